using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Interactions.Resilience.Redis.Tests.TestSupport;

/// <summary>Keeps every log line an instance wrote, to assert what an operator would read.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _logs = new();

    public IReadOnlyList<CapturedLog> Logs => _logs.ToArray();

    public bool Has(string eventName) => _logs.Any(l => l.EventId.Name == eventName);

    public int Count(string eventName) => _logs.Count(l => l.EventId.Name == eventName);

    /// <summary>Gets the event names logged so far, in order, for a failure message.</summary>
    public string EventNames => string.Join(", ", _logs.Select(l => l.EventId.Name ?? l.EventId.Id.ToString()));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _logs);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<CapturedLog> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => logs.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception)));
    }
}

public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message);
