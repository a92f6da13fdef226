namespace Interactions.Resilience.Idempotency.Internal;

/// <summary>
/// Which requests carry an idempotency key, and which outcomes may be retried without one.
/// </summary>
/// <remarks>
/// A "maybe processed" outcome (060001, 080001, an attempt timeout, a connection lost after the request
/// was sent) may have been acted on by the server: an unsafe request (POST, PATCH) is retried after it only
/// when it carries an idempotency key, so the server can tell the retry from a second message. Every other
/// retryable outcome ("not processed": 030003, 020008, 050001, 060002–060004, 032xxx, connection refused)
/// is retried whatever the method.
/// </remarks>
internal sealed class IdempotencyRules
{
    private readonly string _headerName;
    private readonly bool _generateKeys;

    public IdempotencyRules(InteractionsIdempotencyOptions options)
    {
        _headerName = options.HeaderName;
        _generateKeys = options.GenerateKeys;
    }

    // Keys are a random 64-bit prefix drawn once per process and a counter: unique across instances and
    // restarts without a random draw per request, and one short string to allocate.
    private static readonly string KeyPrefix = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)) + "-";
    private static long s_keyCounter;

    public static bool IsUnsafe(HttpMethod method) => method == HttpMethod.Post || method == HttpMethod.Patch;

    /// <summary>A new key, e.g. <c>9f2c41d07a3be816-000000000000002a</c>.</summary>
    public static string NewKey()
        => string.Create(33, Interlocked.Increment(ref s_keyCounter), static (span, counter) =>
        {
            KeyPrefix.AsSpan().CopyTo(span);
            counter.TryFormat(span[17..], out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
        });

    /// <summary>Stamps one key on an unsafe request that has none; a request's own key is kept.</summary>
    public void Stamp(HttpRequestMessage request)
    {
        if (_generateKeys && IsUnsafe(request.Method) && !request.Headers.NonValidated.Contains(_headerName))
        {
            request.Headers.TryAddWithoutValidation(_headerName, NewKey());
        }
    }

    public bool HasKey(HttpRequestMessage request) => request.Headers.NonValidated.Contains(_headerName);

    public static bool MaybeProcessed(InteractionsError error) => error.Source switch
    {
        InteractionsErrorSource.Transport => !NotSent(error.Exception),
        InteractionsErrorSource.Local => false,
        _ => error.Code is InteractionsErrorCode.InternalServerError or InteractionsErrorCode.UnknownError,
    };

    /// <summary>Failures that happen before the request leaves: the server cannot have seen it.</summary>
    private static bool NotSent(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError })
            {
                return true;
            }

            if (e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused or System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.HostUnreachable or System.Net.Sockets.SocketError.NetworkUnreachable })
            {
                return true;
            }
        }

        return false;
    }
}
