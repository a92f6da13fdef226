using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Interactions.Resilience.Tests.TestSupport;

/// <summary>Keeps every log line written, to assert what an operator would read.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _logs = new();

    public IReadOnlyList<CapturedLog> Logs => _logs.ToArray();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _logs);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<CapturedLog> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            // Copied now: the state of a generated [LoggerMessage] may be pooled and reused after this call.
            => logs.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), exception, (state as IEnumerable<KeyValuePair<string, object?>>)?.ToList()));
    }
}

internal sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyList<KeyValuePair<string, object?>>? State);
