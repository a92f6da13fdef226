using System.Globalization;

namespace Interactions.Resilience.Testing.Internal;

/// <summary>
/// The simulator's scripts, limits and records. Every request takes one lock, decides its answer and is recorded
/// in the same step, so concurrent requests consume scripts and rate-limit permits exactly once each.
/// </summary>
internal sealed class SimulatorState
{
    private const string MessagesPath = "/v1/messages";

    private static readonly TimeSpan RateLimitWindow = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly Queue<ScriptStep> _script = new();
    private readonly List<SimulatorRequest> _requests = [];
    private readonly Dictionary<string, int> _requestsPerKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _messageIdPerKey = new(StringComparer.Ordinal);
    private FixedWindowRateLimit? _rateLimit;
    private int _rateLimitStatus = 400;
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

    public void SetRateLimit(int requestsPerSecond, int statusCode)
    {
        lock (_gate)
        {
            _rateLimit = new FixedWindowRateLimit(requestsPerSecond, RateLimitWindow);
            _rateLimitStatus = statusCode;
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
    public ResponsePlan Decide(string method, string path, string? idempotencyKey, bool hadAuthorization)
    {
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            var plan = Plan(now, method, path, idempotencyKey);

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
    private ResponsePlan Plan(DateTimeOffset now, string method, string path, string? idempotencyKey)
    {
        if (_rateLimit is { } rateLimit && !rateLimit.TryAcquire(now, out var untilWindowEnds))
        {
            // The real vendor answers a rate limit with HTTP 400 and the code in the body.
            return new ResponsePlan
            {
                Answer = SimulatorAnswer.RateLimited,
                StatusCode = _rateLimitStatus,
                ErrorCode = InteractionsErrorCode.RateLimitExceeded,
                Form = InteractionsErrorForm.Body,
                RetryAfterSeconds = ToRetryAfterSeconds(untilWindowEnds, minimum: 1),
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
