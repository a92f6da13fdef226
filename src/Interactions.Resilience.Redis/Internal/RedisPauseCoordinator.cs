using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Interactions.Resilience.Redis.Internal;

/// <summary>
/// Carries pauses between the instances of an app through Redis. A pause this instance starts is published
/// on the channel and kept in a key that expires with it; every instance subscribes to the channel and applies
/// what the others publish, and reads the keys when it connects, so the request path never waits for Redis.
/// </summary>
/// <remarks>
/// Redis is a help, never a dependency of a request: when it is down or slow the coordinator logs it, the
/// instance keeps its own pauses, StackExchange.Redis reconnects in the background, and on reconnection the
/// coordinator reads the pauses in force and announces its own again (messages sent meanwhile are lost,
/// as pub/sub messages are).
/// </remarks>
internal sealed class RedisPauseCoordinator : IDisposable, IAsyncDisposable
{
    /// <summary>How long the same message, received again, is taken for the same publish delivered twice.</summary>
    internal static readonly TimeSpan RepeatWindow = TimeSpan.FromSeconds(1);

    private readonly InteractionsPauseBoard _board;
    private readonly InteractionsRedisCoordinationOptions _options;
    private readonly RedisConnectionSource _source;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RedisCoordinationMetrics _metrics;
    private readonly FrozenSet<string> _clients;
    private readonly RedisChannel _channel;
    private readonly string _keyPattern;
    private readonly string _pacePrefix;
    private readonly Action<RedisChannel, RedisValue> _onMessage;
    private readonly ConcurrentDictionary<string, InteractionsPause> _ownPauses = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _resync = new(1, 1);
    private readonly object _startLock = new();
    private readonly Lock _lastLock = new();
    private byte[]? _lastMessage;
    private long _lastMessageAt;
    private Task? _started;
    private IConnectionMultiplexer? _connection;
    private bool _ownsConnection;
    private int _subscribed;
    private int _connectionLost;
    private volatile bool _disposed;

    public RedisPauseCoordinator(
        InteractionsPauseBoard board,
        IOptions<InteractionsRedisCoordinationOptions> options,
        RedisConnectionSource source,
        IServiceProvider services)
    {
        _board = board;
        _options = options.Value;
        _source = source;
        _services = services;
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("Interactions.Resilience.Redis");
        _metrics = services.GetRequiredService<RedisCoordinationMetrics>();
        _clients = _options.ClientNames.ToFrozenSet(StringComparer.Ordinal);
        _channel = RedisChannel.Literal(_options.Channel);
        _keyPattern = PauseKeys.Pattern(_options.KeyPrefix);
        _pacePrefix = PauseKeys.PacePrefix(_options.KeyPrefix);
        _onMessage = OnMessage;

        // From now on, pauses of this instance are recorded, and published as soon as Redis is connected.
        _board.PauseStarted += OnLocalPause;
        _board.PausesLifted += OnLocalLift;
    }

    /// <summary>Gets whether the coordinator holds a Redis connection that is connected now.</summary>
    public bool IsConnected => Volatile.Read(ref _connection) is { IsConnected: true };

    /// <summary>Gets the Redis connection once the coordination has started; <see langword="null"/> before.</summary>
    public IConnectionMultiplexer? Connection => Volatile.Read(ref _connection);

    /// <summary>Gets whether the client's pauses (and pace) are coordinated.</summary>
    public bool IsCoordinated(string clientName) => _clients.Contains(clientName);

    /// <summary>Gets the id that marks this instance's messages, so that it ignores its own.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// Starts the coordination once, and waits for it up to <see cref="InteractionsRedisCoordinationOptions.StartupTimeout"/>.
    /// Called when a coordinated client's handlers are built, for apps without a host.
    /// </summary>
    public void EnsureStarted()
    {
        var started = EnsureStartedAsync();
        if (!started.IsCompleted && !started.Wait(_options.StartupTimeout))
        {
            Log.StartupSlow(_logger, _options.StartupTimeout.TotalMilliseconds);
        }
    }

    /// <summary>Starts the coordination once and waits for it, up to the startup timeout. Used by the hosted service.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureStartedAsync().WaitAsync(_options.StartupTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.StartupSlow(_logger, _options.StartupTimeout.TotalMilliseconds);
        }
    }

    /// <summary>Starts the coordination once. The task never faults: Redis trouble is logged.</summary>
    public Task EnsureStartedAsync()
    {
        if (Volatile.Read(ref _started) is { } started)
        {
            return started;
        }

        lock (_startLock)
        {
            if (_started is null)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);

                // A missing multiplexer is a registration mistake, not Redis being down: say so at once.
                var provided = _source.ConnectionString is null
                    ? _services.GetService<IConnectionMultiplexer>()
                      ?? throw new InvalidOperationException("WithRedisCoordination() without a connection string uses the IConnectionMultiplexer registered in DI, and none is registered. Register one, or pass a connection string.")
                    : null;
                _started = Task.Run(() => RunStartAsync(provided));
            }

            return _started;
        }
    }

    public void Dispose()
    {
        if (!BeginDispose(out var connection) || connection is null)
        {
            return;
        }

        if (_ownsConnection)
        {
            connection.Dispose();
        }
        else
        {
            Unsubscribe(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!BeginDispose(out var connection) || connection is null)
        {
            return;
        }

        if (_ownsConnection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            Unsubscribe(connection);
        }
    }

    private async Task RunStartAsync(IConnectionMultiplexer? provided)
    {
        try
        {
            var connection = provided;
            if (connection is null)
            {
                // With AbortOnConnectFail off this returns even while Redis is down, and keeps reconnecting.
                connection = await ConnectionMultiplexer.ConnectAsync(_source.CreateConfiguration()).ConfigureAwait(false);
                _ownsConnection = true;
            }

            lock (_startLock)
            {
                if (_disposed)
                {
                    if (_ownsConnection)
                    {
                        connection.Dispose();
                    }

                    return;
                }

                _connection = connection;
                connection.ConnectionFailed += OnConnectionFailed;
                connection.ConnectionRestored += OnConnectionRestored;
            }

            // A failure raised while connecting, before the handlers above were attached, is not raised again:
            // say so here, so that an outage at start is logged like any other.
            if (!connection.IsConnected && Interlocked.Exchange(ref _connectionLost, 1) == 0)
            {
                Log.ConnectionLost(_logger, ConnectionFailureType.UnableToConnect);
            }

            Log.Started(_logger, _options.Channel, InstanceId);
            await ResyncAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.StartFailed(_logger, ex);
        }
    }

    /// <summary>Subscribes (once), reads the pauses in force, and announces this instance's pauses again.</summary>
    private async Task ResyncAsync()
    {
        if (_disposed || _connection is not { } connection)
        {
            return;
        }

        await _resync.WaitAsync().ConfigureAwait(false);
        try
        {
            await SubscribeAsync(connection).ConfigureAwait(false);
            await ReadPausesInForceAsync(connection).ConfigureAwait(false);
            ForgetLiftedOwnPauses();
            foreach (var (key, pause) in _ownPauses)
            {
                if (pause.Until <= _time.GetUtcNow())
                {
                    _ownPauses.TryRemove(new KeyValuePair<string, InteractionsPause>(key, pause));
                }
                else
                {
                    await PublishAsync(connection, key, pause).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _resync.Release();
        }
    }

    private async Task SubscribeAsync(IConnectionMultiplexer connection)
    {
        if (Volatile.Read(ref _subscribed) == 1)
        {
            return; // StackExchange.Redis restores its subscriptions by itself after a reconnection
        }

        try
        {
            await connection.GetSubscriber().SubscribeAsync(_channel, _onMessage).ConfigureAwait(false);
            Volatile.Write(ref _subscribed, 1);
        }
        catch (Exception ex)
        {
            Log.SubscribeFailed(_logger, _options.Channel, ex.Message);
        }
    }

    private async Task ReadPausesInForceAsync(IConnectionMultiplexer connection)
    {
        try
        {
            var database = connection.GetDatabase();
            var read = 0;
            foreach (var endpoint in connection.GetEndPoints())
            {
                var server = connection.GetServer(endpoint);
                if (!server.IsConnected || server.IsReplica)
                {
                    continue;
                }

                await foreach (var key in server.KeysAsync(database.Database, _keyPattern, pageSize: 250).ConfigureAwait(false))
                {
                    if (key.ToString().StartsWith(_pacePrefix, StringComparison.Ordinal))
                    {
                        continue; // a shared pace, not a pause
                    }

                    if (await ReadKeyAsync(database, key).ConfigureAwait(false) is { } pause && _board.ApplyRemote(pause))
                    {
                        read++;
                    }
                }
            }

            Log.PausesRead(_logger, read);
        }
        catch (Exception ex)
        {
            Log.ReadFailed(_logger, ex.Message);
        }
    }

    /// <summary>
    /// One pause key of another instance, or <see langword="null"/>. A key this version does not read (too long,
    /// not a string, malformed, another version, or not the key of the pause it holds) is ignored and counted,
    /// and the others are still read.
    /// </summary>
    private async Task<InteractionsPause?> ReadKeyAsync(IDatabase database, RedisKey key)
    {
        string reason;
        try
        {
            // At most one byte more than a pause may take: a huge value is never read whole.
            var value = (byte[]?)await database.StringGetRangeAsync(key, 0, PauseMessage.MaxBytes).ConfigureAwait(false);
            if (value is null or { Length: 0 })
            {
                return null; // expired between SCAN and GETRANGE (which answers "" for a missing key)
            }

            if (PauseMessage.TryRead(value, out var instance, out var pause, out reason))
            {
                if (!string.Equals(PauseKeys.For(_options.KeyPrefix, pause), key.ToString(), StringComparison.Ordinal))
                {
                    reason = PauseMessage.Malformed; // a pause kept under another pause's key
                }
                else
                {
                    return IsFromOthers(instance, pause) ? pause : null;
                }
            }
        }
        catch (RedisServerException)
        {
            reason = PauseMessage.Malformed; // WRONGTYPE: not a string
        }

        Log.KeyIgnored(_logger, reason);
        _metrics.Ignored(reason);
        return null;
    }

    private void OnLocalPause(object? sender, InteractionsPause pause)
    {
        if (_disposed || !_clients.Contains(pause.ClientName))
        {
            return;
        }

        var key = PauseKeys.For(_options.KeyPrefix, pause);
        _ownPauses[key] = pause;
        if (Volatile.Read(ref _connection) is not { } connection)
        {
            return; // announced once connected
        }

        // Off the request's thread: the request that got the answer never waits for Redis.
        _ = Task.Run(() => PublishAsync(connection, key, pause));
    }

    private void OnLocalLift(object? sender, InteractionsPauseLift lift)
    {
        if (_disposed || !_clients.Contains(lift.ClientName))
        {
            return;
        }

        ForgetLiftedOwnPauses();
        if (Volatile.Read(ref _connection) is not { } connection)
        {
            Log.LiftPublishFailed(_logger, lift.ClientName, "not connected");
            return;
        }

        _ = Task.Run(() => PublishLiftAsync(connection, lift));
    }

    /// <summary>An own pause the board no longer holds was lifted: it must not be announced again on a resync.</summary>
    private void ForgetLiftedOwnPauses()
    {
        var inForce = _board.GetPausesInForce().ToHashSet();
        foreach (var own in _ownPauses)
        {
            if (!inForce.Contains(own.Value))
            {
                _ownPauses.TryRemove(own);
            }
        }
    }

    /// <summary>
    /// Deletes the stored pauses the lift ended (and the shared paces of lifted rate-limit pauses), so that a late joiner
    /// does not read them, and tells the other instances.
    /// </summary>
    private async Task PublishLiftAsync(IConnectionMultiplexer connection, InteractionsPauseLift lift)
    {
        try
        {
            // A lifted rate-limit pause also ends the scope's shared release pace: the fleet sends freely again.
            var keys = lift.Pauses.Select(p => (RedisKey)PauseKeys.For(_options.KeyPrefix, p))
                .Concat(lift.Pauses.Where(static p => p.Code == InteractionsErrorCode.RateLimitExceeded).Select(p => (RedisKey)PauseKeys.Pace(_options.KeyPrefix, p.ClientName, p.Scope)))
                .ToArray();
            var deleted = keys.Length == 0 ? Task.FromResult(0L) : connection.GetDatabase().KeyDeleteAsync(keys);
            var published = connection.GetSubscriber().PublishAsync(_channel, LiftMessage.Write(InstanceId, lift));
            var both = Task.WhenAll(deleted, published);
            try
            {
                await both.WaitAsync(_options.PublishTimeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _ = both.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw;
            }

            Log.LiftPublished(_logger, lift.ClientName, await deleted.ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            Log.LiftPublishFailed(_logger, lift.ClientName, ex is TimeoutException ? $"no answer within {_options.PublishTimeout.TotalMilliseconds} ms" : ex.Message);
        }
    }

    private async Task PublishAsync(IConnectionMultiplexer connection, string key, InteractionsPause pause)
    {
        var code = InteractionsErrorCatalog.Format(pause.Code);
        try
        {
            var left = pause.Until - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            var message = PauseMessage.Write(InstanceId, pause);
            var stored = connection.GetDatabase().StringSetAsync(key, message, left, When.Always);
            var published = connection.GetSubscriber().PublishAsync(_channel, message);
            var both = Task.WhenAll(stored, published);
            try
            {
                await both.WaitAsync(_options.PublishTimeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The commands may still fail later: observe that, so it is not an unobserved task exception.
                _ = both.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw;
            }

            Log.Published(_logger, code, pause.ClientName);
        }
        catch (Exception ex)
        {
            Log.PublishFailed(_logger, code, pause.ClientName, ex is TimeoutException ? $"no answer within {_options.PublishTimeout.TotalMilliseconds} ms" : ex.Message);
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue value)
    {
        if (_disposed || IsRepeat(value))
        {
            return;
        }

        if (!value.IsNull && ((byte[])value!).Length <= PauseMessage.MaxBytes && LiftMessage.TryRead((byte[])value!, out var lifter, out var lift))
        {
            if (!string.Equals(lifter, InstanceId, StringComparison.Ordinal) && _clients.Contains(lift.ClientName))
            {
                _board.ApplyRemoteLift(lift);
                ForgetLiftedOwnPauses();
            }

            return;
        }

        if (!PauseMessage.TryRead(value.IsNull ? [] : (byte[])value!, out var instance, out var pause, out var reason))
        {
            Log.MessageIgnored(_logger, _options.Channel, reason);
            _metrics.Ignored(reason);
            return;
        }

        if (IsFromOthers(instance, pause))
        {
            _board.ApplyRemote(pause);
        }
    }

    /// <summary>
    /// Whether <paramref name="value"/> is the message received just before, again within <see cref="RepeatWindow"/>:
    /// one publish can arrive twice (a command resent after a reconnection, a subscription restored on a second
    /// connection), and it is applied, logged and counted once. A peer that repeats itself later is heard again.
    /// </summary>
    private bool IsRepeat(RedisValue value)
    {
        if (value.IsNull)
        {
            return false;
        }

        var bytes = (byte[])value!;
        var now = _time.GetTimestamp();
        lock (_lastLock)
        {
            if (_lastMessage is { } last && _time.GetElapsedTime(_lastMessageAt, now) < RepeatWindow && bytes.AsSpan().SequenceEqual(last))
            {
                return true;
            }

            _lastMessage = bytes;
            _lastMessageAt = now;
            return false;
        }
    }

    private bool IsFromOthers(string instance, InteractionsPause pause)
        => !string.Equals(instance, InstanceId, StringComparison.Ordinal) && _clients.Contains(pause.ClientName);

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (Interlocked.Exchange(ref _connectionLost, 1) == 0)
        {
            Log.ConnectionLost(_logger, e.FailureType); // once per outage, not once per reconnection attempt
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (_disposed)
        {
            return;
        }

        if (Interlocked.Exchange(ref _connectionLost, 0) == 1)
        {
            Log.ConnectionRestored(_logger);
        }

        _ = Task.Run(ResyncAsync);
    }

    private bool BeginDispose(out IConnectionMultiplexer? connection)
    {
        lock (_startLock)
        {
            connection = null;
            if (_disposed)
            {
                return false;
            }

            _disposed = true;
            _board.PauseStarted -= OnLocalPause;
            _board.PausesLifted -= OnLocalLift;
            connection = _connection;
            if (connection is not null)
            {
                connection.ConnectionFailed -= OnConnectionFailed;
                connection.ConnectionRestored -= OnConnectionRestored;
            }

            return true;
        }
    }

    private void Unsubscribe(IConnectionMultiplexer connection)
    {
        try
        {
            connection.GetSubscriber().Unsubscribe(_channel, _onMessage, CommandFlags.FireAndForget);
        }
        catch (Exception ex)
        {
            Log.SubscribeFailed(_logger, _options.Channel, ex.Message);
        }
    }
}
