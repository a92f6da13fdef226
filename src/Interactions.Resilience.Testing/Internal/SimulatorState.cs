using System.Globalization;

namespace Interactions.Resilience.Testing.Internal;

/// <summary>
/// The simulator's scripts, limits and records. Every request takes one lock, decides its answer and is recorded
/// in the same step, so concurrent requests consume scripts and rate-limit permits exactly once each.
/// </summary>
internal sealed class SimulatorState
{
    private const string MessagesPath = "/v1/messages";

    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly Queue<ScriptStep> _script = new();
    private readonly List<SimulatorRequest> _requests = [];
    private readonly Dictionary<string, int> _requestsPerKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _messageIdPerKey = new(StringComparer.Ordinal);
    private volatile RateLimitInForce? _rateLimit; // volatile: ScopeInForce reads it without the lock
    private DateTimeOffset? _outageEnd;
    private InteractionsErrorCode _outageCode;
    private DateTimeOffset? _pinCooldownEnd;
    private int _messageCount;
    private int _rateLimitedCount;

    public SimulatorState(TimeProvider timeProvider) => _timeProvider = timeProvider;

    public void Enqueue(ScriptStep step)
    {
        if (step.Remaining == 0)
        {
            return;
        }

        lock (_gate)
        {
            _script.Enqueue(step);
        }
    }

    /// <summary>
    /// Gets the scope of the quota in force, or <see langword="null"/> when none is: the response provider reads a
    /// request's scope key only when a quota is scoped to senders or pairs.
    /// </summary>
    public RateLimitScope? ScopeInForce => _rateLimit is { IsQuota: true } rateLimit ? rateLimit.Scope : null;

    public void SetRateLimit(InteractionsRateLimitModel model)
    {
        lock (_gate)
        {
            _rateLimit = new RateLimitInForce(model, _timeProvider.GetUtcNow());
        }
    }

    public void ChangeRateLimit(int requestsPerSecond)
    {
        lock (_gate)
        {
            if (_rateLimit is not { IsQuota: true } rateLimit)
            {
                throw new InvalidOperationException(_rateLimit is null
                    ? "No rate limit is in force: call RateLimit first."
                    : "The rate limit in force is sporadic: it has no rate to change.");
            }

            rateLimit.ChangeRate(requestsPerSecond, _timeProvider.GetUtcNow());
        }
    }

    public void SetOutage(TimeSpan duration, InteractionsErrorCode code)
    {
        lock (_gate)
        {
            _outageEnd = _timeProvider.GetUtcNow() + duration;
            _outageCode = code;
        }
    }

    public void ClearRateLimit()
    {
        lock (_gate)
        {
            _rateLimit = null;
        }
    }

    public void SetPinCooldown(TimeSpan cooldown)
    {
        lock (_gate)
        {
            _pinCooldownEnd = _timeProvider.GetUtcNow() + cooldown;
        }
    }

    public void ClearPinCooldown()
    {
        lock (_gate)
        {
            _pinCooldownEnd = null;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _script.Clear();
            _requests.Clear();
            _requestsPerKey.Clear();
            _messageIdPerKey.Clear();
            _rateLimit = null;
            _pinCooldownEnd = null;
            _outageEnd = null;
            _messageCount = 0;
            _rateLimitedCount = 0;
        }
    }

    public IReadOnlyList<SimulatorRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    public int RequestCount
    {
        get
        {
            lock (_gate)
            {
                return _requests.Count;
            }
        }
    }

    public int RateLimitedCount
    {
        get
        {
            lock (_gate)
            {
                return _rateLimitedCount;
            }
        }
    }

    public IReadOnlyDictionary<string, int> RequestsPerIdempotencyKey
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_requestsPerKey, StringComparer.Ordinal);
            }
        }
    }

    public int CountByIdempotencyKey(string key)
    {
        lock (_gate)
        {
            return _requestsPerKey.GetValueOrDefault(key);
        }
    }

    /// <summary>Decides the answer to one request and records it.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path, without the query.</param>
    /// <param name="idempotencyKey">The <c>Idempotency-Key</c>, if any.</param>
    /// <param name="hadAuthorization">Whether the request had an <c>Authorization</c> header.</param>
    /// <param name="scopeKey">The request's key for a scoped quota (see <see cref="ScopeInForce"/>); empty otherwise.</param>
    public ResponsePlan Decide(string method, string path, string? idempotencyKey, bool hadAuthorization, string scopeKey)
    {
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            var plan = Plan(now, method, path, idempotencyKey, scopeKey);

            _requests.Add(new SimulatorRequest(
                method, path, idempotencyKey, hadAuthorization, now, plan.Answer, plan.StatusCode, plan.ErrorCode, plan.MetaCode));
            if (idempotencyKey is not null)
            {
                _requestsPerKey[idempotencyKey] = _requestsPerKey.GetValueOrDefault(idempotencyKey) + 1;
            }

            if (plan.ErrorCode == InteractionsErrorCode.RateLimitExceeded)
            {
                _rateLimitedCount++;
            }

            return plan;
        }
    }

    /// <summary>Rounds a wait up to the whole seconds of a <c>Retry-After</c> header, never below <paramref name="minimum"/>.</summary>
    public static long ToRetryAfterSeconds(TimeSpan wait, long minimum)
        => Math.Max(minimum, (long)Math.Ceiling(wait.TotalSeconds));

    public static string FormatRetryAfter(long seconds) => seconds.ToString(CultureInfo.InvariantCulture);

    // Order: the rate limit (a gateway rejects before anything else runs), then the PIN cooldown, then the script.
    // A rejected request consumes no script step, so scripts stay deterministic under a rate limit.
    private ResponsePlan Plan(DateTimeOffset now, string method, string path, string? idempotencyKey, string scopeKey)
    {
        if (_rateLimit is { } rateLimit && rateLimit.Rejects(now, scopeKey, out var retryAfterSeconds))
        {
            // The real vendor answers a rate limit with HTTP 400 and the code in the body.
            return new ResponsePlan
            {
                Answer = SimulatorAnswer.RateLimited,
                StatusCode = rateLimit.StatusCode,
                ErrorCode = InteractionsErrorCode.RateLimitExceeded,
                Form = InteractionsErrorForm.Body,
                RetryAfterSeconds = retryAfterSeconds,
            };
        }

        if (_outageEnd is { } outageEnd)
        {
            if (now < outageEnd)
            {
                return new ResponsePlan
                {
                    Answer = SimulatorAnswer.Error,
                    StatusCode = InteractionsSimulator.StatusCodeFor(_outageCode),
                    ErrorCode = _outageCode,
                    Form = InteractionsErrorForm.Body,
                };
            }

            _outageEnd = null;
        }

        if (_pinCooldownEnd is { } cooldownEnd)
        {
            if (now < cooldownEnd)
            {
                return new ResponsePlan
                {
                    Answer = SimulatorAnswer.PinCooldown,
                    StatusCode = 400,
                    ErrorCode = InteractionsErrorCode.TwoStepPinGuessedTooFast,
                    Form = InteractionsErrorForm.Body,
                    RetryAfterSeconds = ToRetryAfterSeconds(cooldownEnd - now, minimum: 1),
                };
            }

            _pinCooldownEnd = null;
        }

        if (_script.TryPeek(out var step))
        {
            step.Remaining--;
            if (step.Remaining == 0)
            {
                _script.Dequeue();
            }

            switch (step.Kind)
            {
                case ScriptStepKind.Fail when step.MetaCode is { } metaCode:
                    return new ResponsePlan
                    {
                        Answer = SimulatorAnswer.Error,
                        StatusCode = step.StatusCode ?? MetaCodes.Describe(metaCode).Status,
                        Form = InteractionsErrorForm.Meta,
                        MetaCode = metaCode,
                        MetaDetails = step.MetaDetails,
                        RetryAfterSeconds = step.RetryAfter is { } metaRetryAfter ? ToRetryAfterSeconds(metaRetryAfter, minimum: 0) : null,
                    };

                case ScriptStepKind.Fail:
                    return new ResponsePlan
                    {
                        Answer = SimulatorAnswer.Error,
                        StatusCode = step.StatusCode ?? InteractionsSimulator.StatusCodeFor(step.Code),
                        ErrorCode = step.Code,
                        Form = step.Form,
                        RetryAfterSeconds = step.RetryAfter is { } retryAfter ? ToRetryAfterSeconds(retryAfter, minimum: 0) : null,
                    };

                case ScriptStepKind.Reset:
                    return new ResponsePlan { Answer = SimulatorAnswer.Reset };

                case ScriptStepKind.Truncate:
                    return new ResponsePlan
                    {
                        Answer = SimulatorAnswer.Truncated,
                        StatusCode = step.StatusCode ?? InteractionsSimulator.StatusCodeFor(step.Code),
                        ErrorCode = step.Code,
                        Form = InteractionsErrorForm.Body,
                    };

                case ScriptStepKind.Delay:
                    return Success(method, path, idempotencyKey) with { Delay = step.Delay };
            }
        }

        return Success(method, path, idempotencyKey);
    }

    private ResponsePlan Success(string method, string path, string? idempotencyKey)
    {
        string? messageId = null;
        if (IsSendMessage(method, path))
        {
            // A repeated key gets the message it already created, as an idempotent server answers.
            if (idempotencyKey is null || !_messageIdPerKey.TryGetValue(idempotencyKey, out messageId))
            {
                messageId = "msg_" + (++_messageCount).ToString(CultureInfo.InvariantCulture);
                if (idempotencyKey is not null)
                {
                    _messageIdPerKey[idempotencyKey] = messageId;
                }
            }
        }

        return new ResponsePlan { Answer = SimulatorAnswer.Success, StatusCode = 200, MessageId = messageId };
    }

    private static bool IsSendMessage(string method, string path)
        => string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase)
            && path.TrimEnd('/').Equals(MessagesPath, StringComparison.OrdinalIgnoreCase);
}
