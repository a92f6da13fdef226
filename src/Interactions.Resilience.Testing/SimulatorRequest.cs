namespace Interactions.Resilience.Testing;

/// <summary>
/// One request that <see cref="InteractionsSimulator"/> received, and what it answered.
/// The simulator never keeps the <c>Authorization</c> value, the query string or the request body.
/// </summary>
public sealed class SimulatorRequest
{
    internal SimulatorRequest(
        string method,
        string path,
        string? idempotencyKey,
        bool hadAuthorization,
        DateTimeOffset receivedAt,
        SimulatorAnswer answer,
        int? statusCode,
        InteractionsErrorCode? errorCode,
        int? metaCode = null)
    {
        Method = method;
        Path = path;
        IdempotencyKey = idempotencyKey;
        HadAuthorization = hadAuthorization;
        ReceivedAt = receivedAt;
        Answer = answer;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        MetaCode = metaCode;
    }

    /// <summary>Gets the HTTP method, e.g. <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>Gets the request path without the query string, e.g. <c>/v1/messages</c>.</summary>
    public string Path { get; }

    /// <summary>Gets the value of the <c>Idempotency-Key</c> header, or <see langword="null"/> when the request had none.</summary>
    public string? IdempotencyKey { get; }

    /// <summary>Gets a value indicating whether the request carried an <c>Authorization</c> header. Its value is never kept.</summary>
    public bool HadAuthorization { get; }

    /// <summary>Gets when the simulator received the request, by its <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Gets what the simulator answered.</summary>
    public SimulatorAnswer Answer { get; }

    /// <summary>Gets the HTTP status answered, or <see langword="null"/> when the connection was reset without a response.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the error code answered, or <see langword="null"/> for a success, a reset or an answer in Meta's shape.</summary>
    public InteractionsErrorCode? ErrorCode { get; }

    /// <summary>Gets Meta's code, when the answer was in Meta's shape (<see cref="InteractionsErrorForm.Meta"/>); otherwise <see langword="null"/>.</summary>
    public int? MetaCode { get; }

    /// <inheritdoc/>
    public override string ToString()
        => MetaCode is { } meta
            ? $"{Method} {Path} -> {StatusCode} Meta {meta.ToString(System.Globalization.CultureInfo.InvariantCulture)} ({Answer})"
            : ErrorCode is { } code
            ? $"{Method} {Path} -> {StatusCode} {InteractionsErrorCatalog.Format(code)} ({Answer})"
            : $"{Method} {Path} -> {(StatusCode is { } status ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no response")} ({Answer})";
}
