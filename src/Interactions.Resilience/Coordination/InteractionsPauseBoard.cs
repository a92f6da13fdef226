using Interactions.Resilience.Internal;
using Interactions.Resilience.Coordination.Internal;
using Interactions.Resilience.Telemetry.Internal;
using Microsoft.Extensions.Logging;

namespace Interactions.Resilience;

/// <summary>
/// The pauses of this app instance's Interactions clients, for sharing them with its other instances: raises
/// <see cref="PauseStarted"/> when this instance starts a pause, and applies the pauses that other instances
/// started through <see cref="ApplyRemote"/>. <c>AddInteractionsResilience()</c> registers one per service
/// provider; a coordinator (such as <c>WithRedisCoordination</c>) carries the pauses between instances.
/// </summary>
/// <remarks>
/// <para>
/// A pause starts when a response makes the client wait or halt: a 030003 pauses its scope's rate-limit gate
/// for the <c>Retry-After</c> (or <c>RateLimit.DefaultDelay</c>); a Halt code halts the client for
/// <c>HaltDuration</c>; a 020008 pauses its scope for the PIN cooldown (the <c>Retry-After</c>, or
/// <c>PinCooldown</c>). Requests that succeed never reach the board.
/// </para>
/// <para>
/// The board keeps the pauses in force, so a client created later (clients are created on first use) starts
/// with them, and a pause already in force is neither announced twice nor applied twice.
/// </para>
/// </remarks>
public sealed class InteractionsPauseBoard
{
    // A pause that ends within this share of its length of one already in force is the same burst of
    // answers (every concurrent request got the 030003): announcing it again would only add traffic.
    private const double CoalesceShare = 0.1;
    private static readonly TimeSpan MaxCoalesce = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private readonly Dictionary<PauseKey, InteractionsPause> _inForce = [];
    private readonly Dictionary<string, IPauseTarget> _clients = new(StringComparer.Ordinal);

    internal InteractionsPauseBoard(TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Occurs when a client of this instance starts a pause, on the thread of the request that got the answer.
    /// Not raised for pauses applied through <see cref="ApplyRemote"/>, so coordinators do not echo each
    /// other. Handlers must return quickly and not throw (an exception is logged and ignored).
    /// </summary>
    public event EventHandler<InteractionsPause>? PauseStarted;

    /// <summary>
    /// Applies a pause that another instance started: pauses the rate-limit gate of its scope, or halts the
    /// client when the code's policy here is <see cref="InteractionsPolicy.Halt"/>, until
    /// <see cref="InteractionsPause.Until"/>. Does not raise <see cref="PauseStarted"/>.
    /// </summary>
    /// <param name="pause">The pause.</param>
    /// <returns>
    /// <see langword="true"/> when the pause was applied (or kept for a client not created yet);
    /// <see langword="false"/> when it has ended or a pause in force already covers it.
    /// </returns>
    public bool ApplyRemote(InteractionsPause pause)
    {
        ArgumentNullException.ThrowIfNull(pause);
        var now = _time.GetUtcNow();
        var remaining = pause.Until - now;
        if (remaining <= TimeSpan.Zero)
        {
            return false;
        }

        IPauseTarget? client;
        lock (_lock)
        {
            var key = PauseKey.Of(pause);
            if (_inForce.TryGetValue(key, out var known) && known.Until >= pause.Until)
            {
                return false;
            }

            RemoveEnded(now);
            _inForce[key] = pause;
            _clients.TryGetValue(pause.ClientName, out client);
        }

        Log.RemotePauseApplied(_logger, InteractionsErrorCatalog.Format(pause.Code), pause.ClientName, pause.Scope is not null, remaining.TotalMilliseconds);
        client?.ApplyPause(pause.Code, pause.Scope, remaining);
        return true;
    }

    /// <summary>Gets the pauses in force now, started here or applied from other instances.</summary>
    /// <returns>The pauses that have not ended.</returns>
    public IReadOnlyList<InteractionsPause> GetPausesInForce()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return [.. _inForce.Values.Where(p => p.Until > now)];
        }
    }

    /// <summary>A client was created: it starts with the pauses in force for its name.</summary>
    internal void Attach(IPauseTarget client)
    {
        List<InteractionsPause> pending;
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            _clients[client.Name] = client;
            pending = [.. _inForce.Values.Where(p => p.Until > now && string.Equals(p.ClientName, client.Name, StringComparison.Ordinal))];
        }

        foreach (var pause in pending)
        {
            client.ApplyPause(pause.Code, pause.Scope, pause.Until - now);
        }
    }

    /// <summary>A client of this instance paused (or halted) for <paramref name="duration"/>: announce it, unless a pause in force covers it.</summary>
    internal void OnLocalPause(string clientName, string? scope, InteractionsErrorCode code, TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var pause = new InteractionsPause(clientName, scope, code, now + duration);
        var tolerance = TimeMath.Min(duration * CoalesceShare, MaxCoalesce);
        lock (_lock)
        {
            var key = PauseKey.Of(pause);
            if (_inForce.TryGetValue(key, out var known) && known.Until >= pause.Until - tolerance)
            {
                return;
            }

            RemoveEnded(now);
            _inForce[key] = pause;
        }

        Log.PauseStarted(_logger, InteractionsErrorCatalog.Format(code), clientName, scope is not null, duration.TotalMilliseconds);
        if (PauseStarted is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((EventHandler<InteractionsPause>)handler)(this, pause);
            }
            catch (Exception ex)
            {
                // A coordinator's failure must never fail the request that started the pause.
                Log.PauseListenerFailed(_logger, InteractionsErrorCatalog.Format(code), clientName, ex);
            }
        }
    }

    private void RemoveEnded(DateTimeOffset now)
    {
        foreach (var (key, pause) in _inForce)
        {
            if (pause.Until <= now)
            {
                _inForce.Remove(key);
            }
        }
    }
}
