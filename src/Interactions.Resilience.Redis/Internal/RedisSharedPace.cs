using System.Globalization;
using Interactions.Resilience.RateLimiting.Internal;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Interactions.Resilience.Redis.Internal;

/// <summary>
/// The release pace of a scope, shared in Redis by every instance that paces it (see <see cref="PaceScript"/>):
/// one round trip per call, on Redis's clock. Only coordinated clients are served. Redis down, slow (past
/// <see cref="InteractionsRedisCoordinationOptions.PaceTimeout"/>) or holding a broken state: the answer is
/// <see langword="null"/> and the caller paces by its own controller; nothing is thrown to the request.
/// </summary>
internal sealed class RedisSharedPace : ISharedPace
{
    private readonly Func<IConnectionMultiplexer?> _connection;
    private readonly string _keyPrefix;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RedisCoordinationMetrics _metrics;
    private readonly Func<string, bool> _isCoordinated;
    private int _unavailable;

    public RedisSharedPace(
        Func<IConnectionMultiplexer?> connection,
        string keyPrefix,
        TimeSpan timeout,
        TimeProvider time,
        ILogger logger,
        RedisCoordinationMetrics metrics,
        Func<string, bool> isCoordinated)
    {
        _connection = connection;
        _keyPrefix = keyPrefix;
        _timeout = timeout;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _isCoordinated = isCoordinated;
    }

    public async ValueTask<TimeSpan?> ReserveAsync(string clientName, string? scope, PaceParameters parameters, CancellationToken cancellationToken)
    {
        if (await RunAsync(PaceScript.Reserve, clientName, scope, 0, parameters, cancellationToken).ConfigureAwait(false) is not { } result
            || result.Status != PaceScript.Ok
            || result.Value < 0)
        {
            return null;
        }

        // Never longer than the state could legitimately hold: a broken answer falls back rather than stalls.
        var delay = TimeSpan.FromTicks(result.Value * 10);
        return delay <= parameters.Idle ? delay : null;
    }

    public async ValueTask OnQuotaSpentAsync(string clientName, string? scope, double localRate, PaceParameters parameters, TimeSpan restartIn = default)
    {
        var rate = double.IsFinite(localRate) && localRate > 0 ? localRate : parameters.MinRate;
        var restartMs = restartIn > TimeSpan.Zero ? restartIn.TotalMilliseconds : 0;
        _ = await RunAsync(PaceScript.QuotaSpent, clientName, scope, rate, parameters, CancellationToken.None, restartMs: restartMs).ConfigureAwait(false);
    }

    public async ValueTask OnLimitedAsync(string clientName, string? scope, int minLimits, PaceParameters parameters)
    {
        _ = await RunAsync(PaceScript.Limited, clientName, scope, 0, parameters, CancellationToken.None, minLimits).ConfigureAwait(false);
    }

    private static bool IsValid(PaceParameters p)
        => p.Beta is > 0 and < 1
           && double.IsFinite(p.Growth) && p.Growth > 0
           && double.IsFinite(p.MinRate) && p.MinRate > 0
           && double.IsFinite(p.MaxRate) && p.MaxRate >= p.MinRate
           && double.IsFinite(p.Burst) && p.Burst >= 0
           && p.Window > TimeSpan.Zero
           && p.Idle > TimeSpan.Zero;

    private async ValueTask<(long Status, long Value)?> RunAsync(int op, string clientName, string? scope, double localRate, PaceParameters parameters, CancellationToken cancellationToken, int minLimits = 0, double restartMs = 0)
    {
        if (!_isCoordinated(clientName) || !IsValid(parameters) || _connection() is not { IsConnected: true } connection)
        {
            return null;
        }

        Task<RedisResult>? call = null;
        try
        {
            call = connection.GetDatabase().ScriptEvaluateAsync(PaceScript.Script, new
            {
                key = (RedisKey)PauseKeys.Pace(_keyPrefix, clientName, scope),
                op,
                beta = Number(parameters.Beta),
                growth = Number(parameters.Growth),
                minRate = Number(parameters.MinRate),
                maxRate = Number(parameters.MaxRate),
                burst = Number(parameters.Burst),
                windowMs = Number(parameters.Window.TotalMilliseconds),
                idleMs = (long)Math.Ceiling(parameters.Idle.TotalMilliseconds),
                localRate = Number(localRate),
                minLimits,
                restartMs = Number(restartMs),
            });
            var result = await call.WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
            var values = (RedisResult[]?)result;
            if (values is not { Length: 2 })
            {
                return null;
            }

            var answer = ((long)values[0], (long)values[1]);
            if (answer.Item1 == PaceScript.Reset)
            {
                Log.PaceReset(_logger, clientName);
                _metrics.Ignored("pace");
            }

            if (Interlocked.Exchange(ref _unavailable, 0) == 1)
            {
                Log.PaceRestored(_logger);
            }

            return answer;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Observe(call);
            throw;
        }
        catch (Exception ex)
        {
            Observe(call);
            if (Interlocked.Exchange(ref _unavailable, 1) == 0)
            {
                Log.PaceUnavailable(_logger, ex is TimeoutException ? $"no answer within {_timeout.TotalMilliseconds} ms" : ex.GetType().Name);
            }

            return null;
        }
    }

    // A call given up may still fail later: observe it, so that it is not an unobserved task exception.
    private static void Observe(Task? call)
        => call?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
