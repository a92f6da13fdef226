using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.TestSupport;

/// <summary>
/// An app's registration, as in Program.cs — <c>AddHttpClient(...).AddInteractionsResilience(...)</c> — over a
/// <see cref="StubServer"/>, with a <see cref="FakeTimeProvider"/> in DI that the test advances.
/// </summary>
internal sealed class HandlerHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    /// <param name="configure">Changes the options of the client.</param>
    /// <param name="services">Adds services before the provider is built.</param>
    /// <param name="beforeClient">Runs on the built provider before the first client (and so the client's state) is created.</param>
    public HandlerHarness(Action<InteractionsResilienceOptions>? configure = null, Action<IServiceCollection>? services = null, Action<IServiceProvider>? beforeClient = null)
    {
        Server = new StubServer(Time);
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(Time);
        services?.Invoke(collection);
        collection.AddHttpClient("interactions", c => c.BaseAddress = new Uri("https://api.example/"))
            .AddHttpMessageHandler(() => new TrackingHandler(_tracker))
            .AddInteractionsResilience(o =>
            {
                o.Retry.UseJitter = false; // the tests assert exact waits
                configure?.Invoke(o);
            })
            .ConfigurePrimaryHttpMessageHandler(() => Server);
        Services = collection.BuildServiceProvider();
        beforeClient?.Invoke(Services);
        Client = Services.GetRequiredService<IHttpClientFactory>().CreateClient("interactions");
    }

    private static int s_idleBusy = int.MaxValue;
    private readonly InFlightTracker _tracker = new();

    public FakeTimeProvider Time { get; } = new(Start);

    public StubServer Server { get; }

    public ServiceProvider Services { get; }

    public HttpClient Client { get; }

    /// <summary>How much fake time has passed since the harness started.</summary>
    public TimeSpan Elapsed => Time.GetUtcNow() - Start;

    /// <summary>
    /// Advances fake time in small steps until <paramref name="task"/> completes; fails the test when it does
    /// not complete within <paramref name="limit"/> of fake time.
    /// </summary>
    public async Task<T> RunAsync<T>(Task<T> task, TimeSpan? limit = null, TimeSpan? step = null)
    {
        await DriveAsync(task, limit, step);
        return await task;
    }

    /// <summary>Like <see cref="RunAsync{T}"/>, for a call expected to throw; returns the exception.</summary>
    public async Task<TException> RunAndCatchAsync<TException>(Task task, TimeSpan? limit = null, TimeSpan? step = null)
        where TException : Exception
    {
        await DriveAsync(task, limit, step);
        return await Assert.ThrowsAnyAsync<TException>(() => task);
    }

    /// <summary>Advances fake time by <paramref name="duration"/> in steps, letting the requests run between steps.</summary>
    public async Task AdvanceAsync(TimeSpan duration, TimeSpan? step = null)
    {
        var end = Time.GetUtcNow() + duration;
        var increment = step ?? TimeSpan.FromMilliseconds(50);
        await SettleAsync(null);
        while (Time.GetUtcNow() < end)
        {
            var left = end - Time.GetUtcNow();
            Time.Advance(left < increment ? left : increment);
            await SettleAsync(null);
        }
    }

    public async Task DriveAsync(Task task, TimeSpan? limit = null, TimeSpan? step = null)
    {
        var end = Time.GetUtcNow() + (limit ?? TimeSpan.FromMinutes(10));
        var increment = step ?? TimeSpan.FromMilliseconds(50);
        await SettleAsync(task);
        while (!task.IsCompleted)
        {
            if (Time.GetUtcNow() >= end)
            {
                throw new TimeoutException($"The call did not complete within {limit} of fake time.");
            }

            Time.Advance(increment);
            await SettleAsync(task);
        }
    }

    /// <summary>
    /// Lets the continuations that the last advance released run to their next wait before time moves on:
    /// delays on a <see cref="TimeProvider"/> complete asynchronously, on the thread pool.
    /// </summary>
    public Task SettleAsync(Task? task)
    {
        // Spins on this thread rather than awaiting, so the wait itself queues no work on the pool. Settled
        // means: no thread runs a request's code, no pool thread is busy (one that took a continuation but has
        // not yet entered its context is busy), nothing is queued, and the pool finished nothing new, for a
        // hundred checks in a row.
        var quiet = 0;
        var completed = ThreadPool.CompletedWorkItemCount;
        for (var i = 0; i < 1_000_000 && quiet < 100 && task?.IsCompleted != true; i++)
        {
            Thread.Yield();
            Thread.SpinWait(20);
            var now = ThreadPool.CompletedWorkItemCount;
            var busy = BusyPoolThreads();
            s_idleBusy = Math.Min(s_idleBusy, busy); // threads the host keeps blocked count as idle
            quiet = _tracker.Active == 0 && busy <= s_idleBusy && ThreadPool.PendingWorkItemCount == 0 && now == completed ? quiet + 1 : 0;
            completed = now;
        }

        return Task.CompletedTask;
    }

    private static int BusyPoolThreads()
    {
        ThreadPool.GetMaxThreads(out var max, out _);
        ThreadPool.GetAvailableThreads(out var available, out _);
        return max - available;
    }

    public void Dispose()
    {
        Client.Dispose();
        Services.Dispose();
    }
}
