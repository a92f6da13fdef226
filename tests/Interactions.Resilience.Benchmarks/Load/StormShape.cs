namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>How big a storm is: concurrent senders, sends each, and what the server accepts per second.</summary>
internal sealed record StormShape(int Senders, int SendsPerSender, int AcceptedPerSecond);
