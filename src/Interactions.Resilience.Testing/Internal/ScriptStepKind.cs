namespace Interactions.Resilience.Testing.Internal;

/// <summary>The kinds of scripted answers, queued by the simulator's <c>…Next</c> methods.</summary>
internal enum ScriptStepKind
{
    Fail,
    Reset,
    Truncate,
    Delay,
}
