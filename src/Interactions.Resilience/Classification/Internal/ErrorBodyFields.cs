namespace Interactions.Resilience.Classification.Internal;

/// <summary>What the JSON body said: the code (when well-formed) and the server's message.</summary>
internal struct ErrorBodyFields
{
    /// <summary>The code as a number; meaningful when <see cref="HasCode"/>.</summary>
    public int CodeNumber;

    /// <summary>Whether the body carried a well-formed code (one to six digits, string or number).</summary>
    public bool HasCode;

    /// <summary>The raw text of the code, kept only when the catalog lacks it.</summary>
    public string? UnknownRawCode;

    /// <summary>The server's <c>message</c>, if any.</summary>
    public string? Message;
}
