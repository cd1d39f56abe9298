using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PartnerZones.Gateway.Tests;

/// <summary>A logger factory that keeps every line a gateway logs (category, text and named values), for
/// tests that assert what the gateway said.</summary>
internal sealed class CapturingLogs : ILoggerFactory, ILoggerProvider
{
    public ConcurrentQueue<(string Category, string Message, Dictionary<string, object?> Properties)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
            owner.Entries.Enqueue((category, formatter(state, exception), properties));
        }
    }
}
