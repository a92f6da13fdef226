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
public sealed partial class InteractionsPauseBoard
{
    // A pause that ends within this share of its length of one already in force is the same burst of
    // answers (every concurrent request got the 030003): announcing it again would only add traffic.
    private const double CoalesceShare = 0.1;
    private static readonly TimeSpan MaxCoalesce = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private readonly Dictionary<PauseKey, InteractionsPause> _inForce = [];

    // The end each remote pause in force was announced with, before it was bounded: the same announcement
    // again (a peer that repeats itself) is covered, and does not extend the bounded pause.
    private readonly Dictionary<PauseKey, DateTimeOffset> _announced = [];
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
    /// <see cref="InteractionsPause.Until"/>, but never longer than this instance would pause itself for the same
    /// answer, by its own clock: <c>HaltDuration</c> for a halt, <c>MaxWait</c> for a rate limit or a PIN
    /// cooldown. A code whose policy here does not pause is ignored (logged and counted). Does not raise
    /// <see cref="PauseStarted"/>.
    /// </summary>
    /// <param name="pause">The pause.</param>
    /// <returns>
    /// <see langword="true"/> when the pause was applied (or kept for a client not created yet);
    /// <see langword="false"/> when it has ended, a pause in force already covers it, or its code does not pause here.
    /// </returns>
    public bool ApplyRemote(InteractionsPause pause)
    {
        ArgumentNullException.ThrowIfNull(pause);
        var now = _time.GetUtcNow();
        if (pause.Until <= now)
        {
            return false;
        }

        IPauseTarget? client;
        lock (_lock)
        {
            _clients.TryGetValue(pause.ClientName, out client);
        }

        // Bounded on arrival by what this client would impose itself; a client not created yet keeps the pause
        // as announced, and bounds it when it attaches.
        var announced = pause.Until;
        if (client is not null)
        {
            if (Bounded(client, pause, now) is not { } bounded)
            {
                return false;
            }

            pause = bounded;
        }

        var remaining = pause.Until - now;
        lock (_lock)
        {
            var key = PauseKey.Of(pause);
            if (_inForce.TryGetValue(key, out var known)
                && known.Until > now
                && (known.Until >= pause.Until || (_announced.TryGetValue(key, out var before) && before >= announced)))
            {
                return false;
            }

            RemoveEnded(now);

            // Applied before it is listed: whoever sees it in GetPausesInForce finds the client's requests held.
            // (The client's halt and gates take only their own locks, never the board's.)
            client?.ApplyPause(pause.Code, pause.Scope, remaining);
            _inForce[key] = pause;
            _announced[key] = announced;
        }

        Log.RemotePauseApplied(_logger, InteractionsErrorCatalog.Format(pause.Code), pause.ClientName, pause.Scope is not null, remaining.TotalMilliseconds);
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

    /// <summary>
    /// A client was created: it starts with the pauses in force for its name, those announced before it existed
    /// bounded now by what it would impose itself.
    /// </summary>
    internal void Attach(IPauseTarget client)
    {
        List<InteractionsPause> pending;
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            _clients[client.Name] = client;
            pending = [.. _inForce.Values.Where(p => p.Until > now && string.Equals(p.ClientName, client.Name, StringComparison.Ordinal))];
            foreach (var pause in pending)
            {
                _inForce.Remove(PauseKey.Of(pause));
                _announced.Remove(PauseKey.Of(pause));
            }
        }

        foreach (var announced in pending)
        {
            if (Bounded(client, announced, now) is not { } pause)
            {
                continue;
            }

            lock (_lock)
            {
                client.ApplyPause(pause.Code, pause.Scope, pause.Until - now); // before it is listed, as in ApplyRemote
                if (_inForce.TryAdd(PauseKey.Of(pause), pause))
                {
                    _announced[PauseKey.Of(pause)] = announced.Until;
                }
            }
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
            _announced.Remove(key);
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

    /// <summary>The pause as this client honours it (see <see cref="RemotePauseBounds"/>); <see langword="null"/>, logged and counted, when it does not pause here.</summary>
    private static InteractionsPause? Bounded(IPauseTarget client, InteractionsPause pause, DateTimeOffset now)
    {
        var policy = client.PolicyFor(pause.Code);
        var announced = pause.Until - now;
        if (RemotePauseBounds.Bound(policy, pause.Code, announced, client.Options) is not { } left)
        {
            client.Telemetry.RemotePauseIgnored(InteractionsErrorCatalog.Format(pause.Code), client.Name, policy);
            return null;
        }

        return left == announced ? pause : new InteractionsPause(pause.ClientName, pause.Scope, pause.Code, now + left);
    }

    private void RemoveEnded(DateTimeOffset now)
    {
        foreach (var (key, pause) in _inForce)
        {
            if (pause.Until <= now)
            {
                _inForce.Remove(key);
                _announced.Remove(key);
            }
        }
    }
}
