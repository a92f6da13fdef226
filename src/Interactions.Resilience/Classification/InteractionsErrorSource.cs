namespace Interactions.Resilience;

/// <summary>Where the classifier found a failure's code.</summary>
public enum InteractionsErrorSource
{
    /// <summary>The <c>X-Interactions-Error-Code</c> response header.</summary>
    Header = 0,

    /// <summary>The JSON error body.</summary>
    Body = 1,

    /// <summary>The HTTP status code, because neither header nor body named a code.</summary>
    StatusCode = 2,

    /// <summary>No response arrived: the connection failed, was reset, or the attempt timed out.</summary>
    Transport = 3,

    /// <summary>An app-supplied <see cref="IInteractionsErrorClassifier"/> or options delegate.</summary>
    Custom = 4,

    /// <summary>The handler itself, without calling the server (a halt, an open circuit).</summary>
    Local = 5,
}
