using Interactions.Resilience.Health.Internal;
using Interactions.Resilience.RateLimiting.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.RateLimiting.Simulation;

/// <summary>
/// A small discrete-event harness: <c>senders</c> concurrent senders share <c>sends</c> sends and push them, one after
/// another, through a <see cref="RateController"/> (as the handler does) to a server model, on a FakeTimeProvider advanced a
/// millisecond at a time. The controller releases its waiters inline, so every step runs inside the advance: the run
/// is deterministic and takes no real time. Each hop to and from the server takes the latency, with a seeded jitter.
/// </summary>
internal sealed class RateSimulation
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(1);
    private const int MaxRateLimitRetries = 5;
    private const int StandardRetries = 30;

    private readonly FakeTimeProvider _time = new(Start);
    private readonly HashSet<ITimer> _timers = [];
    private readonly List<(TimeSpan At, double Rate, TimeSpan Pause)> _samples = [];
    private readonly IServerModel _server;
    private readonly SimulatedClient _client;
    private readonly TimeSpan _latency;
    private readonly Random _random;
    private readonly HealthWindow _health;
    private readonly List<(TimeSpan At, bool Accepted)> _answers = [];
    private int _work;
    private int _completed;
    private int _failed;
    private int _requests;
    private int _limits;
    private TimeSpan _end;
    private TimeSpan _longestWaitNotLimited;

    private RateSimulation(IServerModel server, SimulatedClient client, int sends, TimeSpan latency, int seed, ISharedPace? shared, PaceParameters? parameters)
    {
        _server = server;
        _client = client;
        _work = sends;
        _latency = latency;
        _random = new Random(seed);
        _health = new HealthWindow(_time);
        Controller = new RateController(_time, "sim", scope: null, _health.AcceptedPerSecond, shared, parameters, releaseInline: true);
    }

    public RateController Controller { get; }

    private TimeSpan Now => _time.GetUtcNow() - Start;

    /// <summary>Runs the work to its end (or fails after <paramref name="limit"/> of fake time).</summary>
    public static SimulationResult Run(
        IServerModel server,
        SimulatedClient client,
        int senders,
        int sends,
        TimeSpan? latency = null,
        int seed = 1,
        ISharedPace? shared = null,
        TimeSpan? limit = null,
        PaceParameters? parameters = null)
        => Task.Run(() => new RateSimulation(server, client, sends, latency ?? TimeSpan.FromMilliseconds(10), seed, shared, parameters).Drive(senders, sends, limit ?? TimeSpan.FromMinutes(5))).GetAwaiter().GetResult();

    private SimulationResult Drive(int senders, int sends, TimeSpan limit)
    {
        // A blocking wait may run this on the test's thread, whose synchronization context would send every
        // continuation to the pool: without one, they run inline, inside the clock's advance.
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return DriveInline(senders, sends, limit);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private SimulationResult DriveInline(int senders, int sends, TimeSpan limit)
    {
        var everPaced = false;
        var everPaused = false;
        var tasks = Enumerable.Range(0, senders).Select(_ => SenderAsync()).ToArray();
        var end = Start + limit;
        while (!tasks.All(t => t.IsCompleted))
        {
            // One millisecond at a time: timers fire in due order, each reading the step's time.
            var next = _time.GetUtcNow() + TimeSpan.FromMilliseconds(1);
            if (next > end)
            {
                throw new TimeoutException($"The work did not end within {limit} of fake time: {_completed} of {sends} sends completed.");
            }

            _time.SetUtcNow(next); // Advance would also sleep a real millisecond
            if ((next - Start).Ticks % TimeSpan.FromMilliseconds(250).Ticks == 0)
            {
                _samples.Add((next - Start, Controller.CurrentRate, Controller.PauseRemaining));
            }

            everPaced |= Controller.IsPacing;
            everPaused |= Controller.PauseRemaining > TimeSpan.Zero;
        }

        foreach (var task in tasks)
        {
            task.GetAwaiter().GetResult(); // surfaces a fault of the harness itself
        }

        return new SimulationResult(sends, _completed, _failed, _requests, _limits, _end, _longestWaitNotLimited, everPaced, everPaused, _answers, _samples);
    }

    private async Task SenderAsync()
    {
        while (Interlocked.Decrement(ref _work) >= 0)
        {
            if (await SendAsync().ConfigureAwait(false))
            {
                _completed++;
                _end = Now;
            }
            else
            {
                _failed++;
            }
        }
    }

    /// <summary>One logical send, retried as the client retries; true when it was accepted.</summary>
    private async Task<bool> SendAsync()
    {
        long notBefore = 0;
        var retries = 0;
        while (true)
        {
            var passed = false;
            if (_client == SimulatedClient.Controller && (Controller.IsActive || notBefore != 0))
            {
                passed = true;
                var waitFrom = Now;
                if (await Controller.WaitAsync(notBefore, MaxWait, CancellationToken.None).ConfigureAwait(false) is not null)
                {
                    return false; // refused locally: the wait exceeds MaxWait
                }

                if (notBefore == 0 && retries == 0 && Now - waitFrom > _longestWaitNotLimited)
                {
                    _longestWaitNotLimited = Now - waitFrom;
                }
            }

            var sentAt = _time.GetTimestamp();
            _requests++;
            await SleepAsync(Hop()).ConfigureAwait(false);
            var answer = _server.Receive(Now);
            await SleepAsync(Hop()).ConfigureAwait(false);
            _answers.Add((Now, answer.Accepted));
            if (answer.Accepted)
            {
                _health.Record(HealthWindow.Kind.Success);
                if (passed)
                {
                    Controller.OnAccepted(sentAt, _time.GetTimestamp());
                }

                return true;
            }

            _limits++;
            if (_client == SimulatedClient.Controller)
            {
                var wait = answer.RetryAfter ?? DefaultDelay;
                Controller.OnRateLimited(wait);
                if (++retries > MaxRateLimitRetries)
                {
                    return false;
                }

                notBefore = _time.GetTimestamp() + (long)(wait.TotalSeconds * _time.TimestampFrequency);
            }
            else
            {
                if (++retries > StandardRetries)
                {
                    return false;
                }

                var backoff = TimeSpan.FromSeconds(Math.Min(30, 2 * Math.Pow(2, retries - 1) * (0.5 + _random.NextDouble())));
                await SleepAsync(answer.RetryAfter ?? backoff).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A sleep on the clock that continues inside its run (Task.Delay would continue on the pool).</summary>
    private Task SleepAsync(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource();
        ITimer? timer = null;
        timer = _time.CreateTimer(
            _ =>
            {
                _timers.Remove(timer!);
                done.TrySetResult();
            },
            null,
            delay,
            Timeout.InfiniteTimeSpan);
        _timers.Add(timer); // FakeTimeProvider drops a timer that nothing references when it is collected
        return done.Task;
    }

    private TimeSpan Hop() => _latency * (0.5 + _random.NextDouble());
}
