using Interactions.Resilience.Testing.Internal;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Interactions.Resilience.Testing;

/// <summary>
/// A scriptable simulator of the Interactions messaging API: a WireMock.Net server on a free loopback port.
/// </summary>
/// <remarks>
/// <para>
/// By default every request succeeds: <c>POST /v1/messages</c> answers 200 with <c>{"id":"msg_&lt;n&gt;"}</c> (a repeated
/// <c>Idempotency-Key</c> gets the id it already created) and any other request answers 200 with <c>{"ok":true}</c>.
/// </para>
/// <para>
/// <see cref="FailNext"/>, <see cref="FailNextMeta"/>, <see cref="ResetNext"/>, <see cref="TruncateNext"/> and <see cref="DelayNext"/> queue scripted
/// answers that the next requests consume in order. The rate limit (<see cref="RateLimit(InteractionsRateLimitModel)"/>),
/// an <see cref="Outage"/> and <see cref="PinCooldown"/> are checked before the script, in that order; a request they
/// reject consumes no scripted answer.
/// </para>
/// <para>
/// Every request is recorded in <see cref="Requests"/> with what it was answered. The simulator keeps only whether a
/// request had an <c>Authorization</c> header, never its value, and never keeps query strings or request bodies.
/// All members are thread-safe.
/// </para>
/// </remarks>
public sealed class InteractionsSimulator : IDisposable, IAsyncDisposable
{
    private readonly WireMockServer _server;
    private readonly SimulatorState _state;
    private readonly CancellationTokenSource _stopping;
    private int _disposed;

    private InteractionsSimulator(TimeProvider timeProvider)
    {
        _state = new SimulatorState(timeProvider);
        _stopping = new CancellationTokenSource();

        _server = WireMockServer.Start(new WireMockServerSettings
        {
            Urls = ["http://127.0.0.1:0"], // port 0: the OS picks a free port
            StartAdminInterface = false,

            // WireMock's own request log would hold every header, Authorization included: keep none.
            MaxRequestLogCount = 0,
            DoNotSaveDynamicResponseInLogEntry = true,
            Logger = new WireMockNullLogger(),
        });

        _server
            .Given(Request.Create().UsingAnyMethod())
            .RespondWith(new SimulatorResponseProvider(_state, timeProvider, _stopping.Token));

        BaseAddress = new Uri(_server.Url!.TrimEnd('/') + "/");
    }

    /// <summary>Gets the address of the simulator, e.g. <c>http://127.0.0.1:51234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets a snapshot of every request received since the start or the last <see cref="Reset"/>, in order of arrival.</summary>
    public IReadOnlyList<SimulatorRequest> Requests => _state.Requests;

    /// <summary>Gets how many requests were received since the start or the last <see cref="Reset"/>.</summary>
    public int RequestCount => _state.RequestCount;

    /// <summary>
    /// Gets how many requests were answered with code 030003 Rate Limit Exceeded, by the rate limit in force
    /// (<see cref="RateLimit(InteractionsRateLimitModel)"/>) or by a script.
    /// </summary>
    public int RateLimitedCount => _state.RateLimitedCount;

    /// <summary>Gets a snapshot of how many requests carried each <c>Idempotency-Key</c>. Requests without the header are not counted.</summary>
    public IReadOnlyDictionary<string, int> RequestsPerIdempotencyKey => _state.RequestsPerIdempotencyKey;

    /// <summary>Starts a simulator on a free loopback port, on the system clock.</summary>
    /// <returns>The running simulator; dispose it to stop the server.</returns>
    public static InteractionsSimulator Start() => Start(TimeProvider.System);

    /// <summary>Starts a simulator on a free loopback port, on the given clock.</summary>
    /// <param name="timeProvider">
    /// The clock of rate-limit windows, cooldowns, delays and <see cref="SimulatorRequest.ReceivedAt"/>. With a fake clock,
    /// a <see cref="DelayNext"/> answer waits until the clock is advanced.
    /// </param>
    /// <returns>The running simulator; dispose it to stop the server.</returns>
    public static InteractionsSimulator Start(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new InteractionsSimulator(timeProvider);
    }

    /// <summary>
    /// Gets the HTTP status the simulator answers with <paramref name="code"/>, as the vendor plausibly would:
    /// 01xxxx 400; 020001–020003 401, other 02xxxx 400; 030001 405, 030003 429, other 03xxxx and 031xxx 400;
    /// 032xxx 502; 04xxxx 403; 050001 503, 050002 400; 060001 500, 060002 503, 060003 502, 060004 503;
    /// 070001 402; 080001 and any code outside the catalog 500.
    /// </summary>
    /// <param name="code">The error code.</param>
    /// <returns>The HTTP status.</returns>
    public static int StatusCodeFor(InteractionsErrorCode code) => (int)code switch
    {
        >= 20001 and <= 20003 => 401,      // Token Expired, Invalid Credentials, Unauthorized Access
        30001 => 405,                      // Method Not Allowed
        30003 => 429,                      // Rate Limit Exceeded (RateLimit itself answers 400, as the vendor does)
        50001 => 503,                      // Vendor Account in Maintenance Mode
        60001 => 500,                      // Internal Server Error
        60002 => 503,                      // Service Unavailable
        60003 => 502,                      // Server Temporarily Unavailable
        60004 => 503,                      // Server Overloaded
        >= 10000 and < 20000 => 400,       // General
        >= 20000 and < 30000 => 400,       // other Authentication: PIN mismatch, cooldowns, registration
        >= 30000 and < 32000 => 400,       // other Api, and Template
        >= 32000 and < 33000 => 502,       // Media: the media host failed
        >= 40000 and < 50000 => 403,       // Permissions
        >= 50000 and < 60000 => 400,       // other Vendor: Reengagement Message
        >= 70000 and < 80000 => 402,       // Payment
        _ => 500,                          // Unknown Error, and codes outside the catalog
    };

    /// <summary>Makes the next <paramref name="count"/> requests fail with <paramref name="code"/>.</summary>
    /// <param name="count">How many requests fail; 0 does nothing.</param>
    /// <param name="code">
    /// The code to answer. A well-formed code outside the catalog (1 to 999999) is allowed, to exercise a client's
    /// handling of unknown codes; its body says <c>Undocumented Error</c>.
    /// </param>
    /// <param name="form">
    /// Where the response names the code. The default is <see cref="InteractionsErrorForm.Body"/>. With
    /// <see cref="InteractionsErrorForm.Meta"/>, the code's Meta counterpart is answered in Meta's shape.
    /// </param>
    /// <param name="retryAfter">When set, a <c>Retry-After</c> header in whole seconds, rounded up.</param>
    /// <param name="statusCode">
    /// The HTTP status (200–599); the default is <see cref="StatusCodeFor"/>, or Meta's documented status in the Meta form.
    /// </param>
    /// <exception cref="ArgumentException">The form is <see cref="InteractionsErrorForm.Meta"/> and Meta has no counterpart of <paramref name="code"/>.</exception>
    public void FailNext(
        int count,
        InteractionsErrorCode code,
        InteractionsErrorForm form = InteractionsErrorForm.Body,
        TimeSpan? retryAfter = null,
        int? statusCode = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ThrowIfMalformed(code);
        if (!Enum.IsDefined(form))
        {
            throw new ArgumentOutOfRangeException(nameof(form), form, "Unknown error form.");
        }

        if (retryAfter is { } wait)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero, nameof(retryAfter));
        }

        ThrowIfInvalidStatus(statusCode);
        int? metaCode = null;
        if (form == InteractionsErrorForm.Meta)
        {
            metaCode = MetaCodes.CounterpartOf(code)
                ?? throw new ArgumentException($"Meta has no code for {InteractionsErrorCatalog.Format(code)}; use FailNextMeta with a Meta code.", nameof(code));
        }

        _state.Enqueue(new ScriptStep
        {
            Kind = ScriptStepKind.Fail,
            Remaining = count,
            Code = code,
            Form = form,
            MetaCode = metaCode,
            RetryAfter = retryAfter,
            StatusCode = statusCode,
        });
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> requests fail with Meta's WhatsApp Cloud API error
    /// <paramref name="metaCode"/>, in Meta's shape as the vendor's gateway relays it (<see cref="InteractionsErrorForm.Meta"/>):
    /// <c>message</c> <c>(#code) title</c>, <c>type</c> <c>OAuthException</c>, the numeric <c>code</c>,
    /// <c>error_data.details</c> and a <c>fbtrace_id</c>.
    /// </summary>
    /// <param name="count">How many requests fail; 0 does nothing.</param>
    /// <param name="metaCode">
    /// Meta's code, e.g. 130429 Rate limit hit or 131047 Re-engagement message. Any non-negative code is allowed, to
    /// exercise a client's handling of codes it does not know; its title is <c>Undocumented error</c>.
    /// </param>
    /// <param name="details">The <c>error_data.details</c>, e.g. one stating a wait; the default is Meta's documented text.</param>
    /// <param name="retryAfter">When set, a <c>Retry-After</c> header in whole seconds, rounded up.</param>
    /// <param name="statusCode">The HTTP status (200–599); the default is the one Meta documents for the code (400 for an undocumented one).</param>
    public void FailNextMeta(int count, int metaCode, string? details = null, TimeSpan? retryAfter = null, int? statusCode = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(metaCode);
        if (retryAfter is { } wait)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero, nameof(retryAfter));
        }

        ThrowIfInvalidStatus(statusCode);
        _state.Enqueue(new ScriptStep
        {
            Kind = ScriptStepKind.Fail,
            Remaining = count,
            Form = InteractionsErrorForm.Meta,
            MetaCode = metaCode,
            MetaDetails = details,
            RetryAfter = retryAfter,
            StatusCode = statusCode,
        });
    }

    /// <summary>Gets the HTTP status the simulator answers with Meta's <paramref name="metaCode"/>, as Meta documents it (400 for a code it does not document).</summary>
    /// <param name="metaCode">Meta's code.</param>
    /// <returns>The HTTP status.</returns>
    public static int StatusCodeForMeta(int metaCode) => MetaCodes.Describe(metaCode).Status;

    /// <summary>Makes the next <paramref name="count"/> requests end with a reset connection and no response at all.</summary>
    /// <param name="count">How many requests are reset; 0 does nothing.</param>
    public void ResetNext(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _state.Enqueue(new ScriptStep { Kind = ScriptStepKind.Reset, Remaining = count });
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> requests get an error response whose JSON body is cut off mid-way:
    /// the status and headers arrive, the connection closes after half the declared <c>Content-Length</c>.
    /// </summary>
    /// <param name="count">How many requests get a truncated response; 0 does nothing.</param>
    /// <param name="code">The code whose body (in the <see cref="InteractionsErrorForm.Body"/> form) is cut off.</param>
    /// <param name="statusCode">The HTTP status (200–599); the default is <see cref="StatusCodeFor"/>.</param>
    public void TruncateNext(int count, InteractionsErrorCode code, int? statusCode = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ThrowIfMalformed(code);
        ThrowIfInvalidStatus(statusCode);
        _state.Enqueue(new ScriptStep { Kind = ScriptStepKind.Truncate, Remaining = count, Code = code, StatusCode = statusCode });
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> requests succeed only after <paramref name="delay"/>. A client that gives up
    /// first finds its connection closed.
    /// </summary>
    /// <param name="count">How many requests are delayed; 0 does nothing.</param>
    /// <param name="delay">How long each waits before its answer.</param>
    public void DelayNext(int count, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        _state.Enqueue(new ScriptStep { Kind = ScriptStepKind.Delay, Remaining = count, Delay = delay });
    }

    /// <summary>
    /// From now on accepts at most <paramref name="requestsPerSecond"/> requests per fixed one-second window, which starts
    /// at the first request after the previous window ended. The rest get HTTP 400 with code 030003 in the body, as the
    /// vendor answers, and <c>Retry-After</c> with the whole seconds left in the window (at least 1). The same as
    /// <see cref="RateLimit(InteractionsRateLimitModel)"/> with <see cref="InteractionsRateLimitModel.FixedWindow"/>.
    /// </summary>
    /// <param name="requestsPerSecond">The requests accepted per window; at least 1.</param>
    public void RateLimit(int requestsPerSecond) => RateLimit(requestsPerSecond, statusCode: 400);

    /// <summary>
    /// Like <see cref="RateLimit(int)"/>, answering the rejected requests with <paramref name="statusCode"/> (e.g. 429, which
    /// generic HTTP resilience handlers know how to retry) and code 030003 in the body.
    /// </summary>
    /// <param name="requestsPerSecond">How many requests each one-second window accepts.</param>
    /// <param name="statusCode">The HTTP status of a rejection (400–599).</param>
    public void RateLimit(int requestsPerSecond, int statusCode)
        => RateLimit(InteractionsRateLimitModel.FixedWindow(requestsPerSecond).WithStatusCode(statusCode));

    /// <summary>
    /// From now on rate-limits as <paramref name="model"/> says: a fixed window, a sliding window, a token bucket or
    /// sporadic single-request limits, answered with code 030003. It replaces the rate limit in force; its windows,
    /// buckets, schedule and random draws start afresh now, on the simulator's clock. Rejections are counted in
    /// <see cref="RateLimitedCount"/> and recorded as <see cref="SimulatorAnswer.RateLimited"/>.
    /// </summary>
    /// <example>
    /// <code>
    /// simulator.RateLimit(InteractionsRateLimitModel.TokenBucket(requestsPerSecond: 20, burst: 40).WithStatusCode(429));
    /// simulator.RateLimit(InteractionsRateLimitModel.FixedWindow(20).WithRateChange(TimeSpan.FromSeconds(2), 80));
    /// simulator.RateLimit(InteractionsRateLimitModel.Sporadic(0.02, retryAfter: TimeSpan.FromSeconds(1), seed: 7));
    /// </code>
    /// </example>
    /// <param name="model">How to rate-limit.</param>
    public void RateLimit(InteractionsRateLimitModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _state.SetRateLimit(model);
    }

    /// <summary>
    /// Changes the rate of the quota in force to <paramref name="requestsPerSecond"/> from now on, as a server that
    /// raises or lowers an account's throughput does: a fixed or sliding window's permits per second (the window in
    /// force included), a token bucket's refill rate. Every scope of a scoped quota changes alike.
    /// </summary>
    /// <param name="requestsPerSecond">The new rate; at least 1.</param>
    /// <exception cref="InvalidOperationException">No rate limit is in force, or it is sporadic and has no rate.</exception>
    public void ChangeRateLimit(int requestsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerSecond, 1);
        _state.ChangeRateLimit(requestsPerSecond);
    }

    /// <summary>
    /// Answers every request with <paramref name="code"/> (in the body form, status <see cref="StatusCodeFor"/>) until
    /// <paramref name="duration"/> has passed from now: an outage. Checked after the rate limit and before the script.
    /// </summary>
    /// <param name="duration">How long the outage lasts.</param>
    /// <param name="code">The code answered; the default is 060002 Service Unavailable.</param>
    public void Outage(TimeSpan duration, InteractionsErrorCode code = InteractionsErrorCode.ServiceUnavailable)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        ThrowIfMalformed(code);
        _state.SetOutage(duration, code);
    }

    /// <summary>Removes the rate limit set by <see cref="RateLimit(InteractionsRateLimitModel)"/> or <see cref="RateLimit(int)"/>.</summary>
    public void ClearRateLimit() => _state.ClearRateLimit();

    /// <summary>
    /// Answers every request with HTTP 400 and code 020008 Two-Step PIN Guessed Too Fast, with <c>Retry-After</c> in whole
    /// seconds left (at least 1), until <paramref name="cooldown"/> has passed from now; then requests succeed again.
    /// </summary>
    /// <param name="cooldown">How long the cooldown lasts.</param>
    public void PinCooldown(TimeSpan cooldown)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cooldown, TimeSpan.Zero);
        _state.SetPinCooldown(cooldown);
    }

    /// <summary>Ends the cooldown set by <see cref="PinCooldown"/> at once.</summary>
    public void ClearPinCooldown() => _state.ClearPinCooldown();

    /// <summary>Gets how many requests carried the <c>Idempotency-Key</c> <paramref name="key"/>.</summary>
    /// <param name="key">The idempotency key.</param>
    /// <returns>The number of requests; 0 when none carried it.</returns>
    public int CountByIdempotencyKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _state.CountByIdempotencyKey(key);
    }

    /// <summary>Clears the scripts, the rate limit, the cooldown and the records; the simulator keeps running.</summary>
    public void Reset() => _state.Reset();

    /// <summary>Stops the server. Delayed answers still pending are abandoned and their connections closed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _server.Stop();
        _server.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Stops the server, as <see cref="Dispose"/> does.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static void ThrowIfMalformed(InteractionsErrorCode code)
    {
        // Anything the vendor could write as six digits.
        if ((int)code is < 1 or > 999_999)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "An Interactions error code has one to six digits.");
        }
    }

    private static void ThrowIfInvalidStatus(int? statusCode)
    {
        if (statusCode is { } status and (< 200 or > 599))
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "The status must be between 200 and 599.");
        }
    }
}
