namespace Interactions.Resilience.Benchmarks;

/// <summary>The primary handler under a benchmark's clients: each kind has its own baseline row.</summary>
public enum PrimaryKind
{
    /// <summary>In memory; <c>SendAsync</c> returns a task that is already complete.</summary>
    SyncStub,

    /// <summary>In memory; <c>SendAsync</c> returns a task that is not complete, as a socket's, answered once every handler above waits on it (<see cref="DeferredCompletion"/>).</summary>
    AsyncStub,

    /// <summary><see cref="SocketsHttpHandler"/> against a Kestrel server on loopback in the same process.</summary>
    Kestrel,
}
