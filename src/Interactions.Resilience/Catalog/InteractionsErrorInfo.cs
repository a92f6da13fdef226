namespace Interactions.Resilience;

/// <summary>One row of the vendor's error catalog.</summary>
public sealed class InteractionsErrorInfo
{
    internal InteractionsErrorInfo(
        InteractionsErrorCode code,
        InteractionsErrorCategory category,
        InteractionsPolicy defaultPolicy,
        string title,
        string message)
    {
        Code = code;
        Category = category;
        DefaultPolicy = defaultPolicy;
        Title = title;
        Message = message;
        FormattedCode = InteractionsErrorCatalog.Format((int)code);
    }

    /// <summary>Gets the code.</summary>
    public InteractionsErrorCode Code { get; }

    /// <summary>Gets the code as the vendor writes it: six digits with leading zeros, e.g. <c>031002</c>.</summary>
    public string FormattedCode { get; }

    /// <summary>Gets the code's category.</summary>
    public InteractionsErrorCategory Category { get; }

    /// <summary>Gets the vendor's title, e.g. <c>Template Is Paused</c>.</summary>
    public string Title { get; }

    /// <summary>Gets the vendor's message, character for character.</summary>
    public string Message { get; }

    /// <summary>Gets what the handler does with this code unless options override it.</summary>
    public InteractionsPolicy DefaultPolicy { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{FormattedCode} {Title}";
}
