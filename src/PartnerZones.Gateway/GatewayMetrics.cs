using System.Diagnostics.Metrics;

namespace PartnerZones.Gateway;

/// <summary>Counters every connection updates; exported on /metrics.</summary>
public sealed class GatewayMetrics
{
    private long _connections;
    private long _authFailures;
    private long _upstreamErrors;

    public long OpenConnections => Interlocked.Read(ref _connections);

    public long AuthenticationFailures => Interlocked.Read(ref _authFailures);

    public long UpstreamErrors => Interlocked.Read(ref _upstreamErrors);

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    public void AuthenticationFailed() => Interlocked.Increment(ref _authFailures);

    public void UpstreamFailed() => Interlocked.Increment(ref _upstreamErrors);

    public static readonly Meter Meter = new("PartnerZones.Gateway");
}
