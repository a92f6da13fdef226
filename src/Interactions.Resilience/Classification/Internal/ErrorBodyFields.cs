namespace Interactions.Resilience.Classification.Internal;

/// <summary>What the JSON body said: the code (when well-formed) and the server's message, and Meta's fields when relayed.</summary>
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

    /// <summary><c>error.code</c> as a JSON integer (Meta writes numbers); meaningful when <see cref="HasMetaCode"/>.</summary>
    public int MetaCode;

    /// <summary>Whether <c>error.code</c> was a non-negative JSON integer, of any length that fits an <see cref="int"/>.</summary>
    public bool HasMetaCode;

    /// <summary>Whether <c>error</c> carried Meta's marks: a <c>type</c> such as <c>OAuthException</c>, or a <c>fbtrace_id</c>.</summary>
    public bool HasMetaMark;

    /// <summary>Meta's <c>error.error_data.details</c>, if any.</summary>
    public string? Details;

    /// <summary>Whether the body is Meta's error shape: a numeric <c>error.code</c> with Meta's marks.</summary>
    public readonly bool IsMeta => HasMetaCode && HasMetaMark;
}
