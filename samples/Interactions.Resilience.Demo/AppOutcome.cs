namespace Interactions.Resilience.Demo;

/// <summary>What one call of the app's logic ended with, and what the app decided to do about it.</summary>
internal sealed record AppOutcome(string? Result, InteractionsException? Error, string Decision)
{
    public bool Succeeded => Error is null;

    public static AppOutcome Success(string result) => new(result, null, "Done.");

    public static AppOutcome Failure(InteractionsException error, string decision) => new(null, error, decision);
}
