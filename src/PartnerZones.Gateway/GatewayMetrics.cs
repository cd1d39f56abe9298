using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace PartnerZones.Gateway;

/// <summary>
/// Counters every connection updates, labelled by zone ("passthrough" for admins, "unauthenticated"
/// before login), rendered as Prometheus text on /metrics. Plain interlocked counters: the hot path
/// pays one atomic add per request and per direction.
/// </summary>
public sealed class GatewayMetrics
{
    private readonly ConcurrentDictionary<string, ZoneCounters> _zones = new(StringComparer.Ordinal);
    private long _connections;
    private long _authFailures;
    private long _upstreamErrors;
    private long _upstreamConnections;
    private long _upstreamRequests;
    private long _stateWriteFailures;
    private readonly ConcurrentDictionary<string, long> _closedByGateway = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(short Api, short Version), long> _unsupported = new();

    public long OpenConnections => Interlocked.Read(ref _connections);

    public long AuthenticationFailures => Interlocked.Read(ref _authFailures);

    public long UpstreamErrors => Interlocked.Read(ref _upstreamErrors);

    /// <summary>Connections to upstream brokers held for clients now (one at most per client connection).</summary>
    public long OpenUpstreamConnections => Interlocked.Read(ref _upstreamConnections);

    /// <summary>Requests sent upstream for clients whose answer has not been handed back yet: each holds a
    /// response buffer once its answer arrives, so a client that leaves must take its requests with it.</summary>
    public long UpstreamRequestsInFlight => Interlocked.Read(ref _upstreamRequests);

    public void UpstreamRequestStarted() => Interlocked.Increment(ref _upstreamRequests);

    public void UpstreamRequestEnded() => Interlocked.Decrement(ref _upstreamRequests);

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    public void AuthenticationFailed() => Interlocked.Increment(ref _authFailures);

    /// <summary>Writes to the state topic that failed: each producer the writer had to replace, and each
    /// write it gave up on.</summary>
    public long StateWriteFailures => Interlocked.Read(ref _stateWriteFailures);

    public void StateWriteFailed() => Interlocked.Increment(ref _stateWriteFailures);

    /// <summary>A connection the gateway closed after login, by reason (see Network.ConnectionCloseLog).</summary>
    public void ConnectionClosedByGateway(string reason) => _closedByGateway.AddOrUpdate(reason, 1, (_, n) => n + 1);

    /// <summary>A request for an API or version not served to its principal (the connection closes).</summary>
    public void UnsupportedRequest(short api, short version) => _unsupported.AddOrUpdate((api, version), 1, (_, n) => n + 1);

    public long ClosedByGateway(string reason) => _closedByGateway.GetValueOrDefault(reason);

    public long UnsupportedRequests(short api, short version) => _unsupported.GetValueOrDefault((api, version));

    public void UpstreamFailed() => Interlocked.Increment(ref _upstreamErrors);

    public void UpstreamConnectionOpened() => Interlocked.Increment(ref _upstreamConnections);

    public void UpstreamConnectionClosed() => Interlocked.Decrement(ref _upstreamConnections);

    /// <summary>Throttling per zone and limit (trafficControlPolicies).</summary>
    public Traffic.TrafficMetrics Traffic { get; } = new();

    public ZoneCounters Zone(string zone) => _zones.GetOrAdd(zone, _ => new ZoneCounters());

    /// <summary>Prometheus text exposition format, version 0.0.4.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help, IEnumerable<(string? Zone, long Value)> values)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (zone, value) in values)
            {
                text.Append(name);
                if (zone is not null)
                {
                    text.Append("{zone=\"").Append(zone.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append("\"}");
                }

                text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        var zones = _zones.OrderBy(z => z.Key, StringComparer.Ordinal).ToList();
        Metric("pz_gateway_open_connections", "gauge", "Client connections open now.", [(null, OpenConnections)]);
        Metric("pz_gateway_upstream_connections", "gauge", "Connections to upstream brokers open now for clients.", [(null, OpenUpstreamConnections)]);
        Metric("pz_gateway_upstream_requests_in_flight", "gauge", "Requests sent upstream for clients and not yet answered.", [(null, UpstreamRequestsInFlight)]);
        Metric("pz_gateway_authentication_failures_total", "counter", "Failed partner and admin logins.", [(null, AuthenticationFailures)]);
        Metric("pz_gateway_state_write_failures_total", "counter", "Failed writes to the state topic (a replaced producer or a write given up).", [(null, StateWriteFailures)]);
        Metric("pz_gateway_upstream_errors_total", "counter", "Client connections closed because the upstream cluster failed.", [(null, UpstreamErrors)]);
        Metric("pz_gateway_zone_connections", "gauge", "Authenticated connections open now, per zone.", zones.Select(z => ((string?)z.Key, z.Value.Connections)));
        Metric("pz_gateway_requests_total", "counter", "Requests received, per zone.", zones.Select(z => ((string?)z.Key, z.Value.Requests)));
        Metric("pz_gateway_bytes_in_total", "counter", "Request bytes received from clients, per zone.", zones.Select(z => ((string?)z.Key, z.Value.BytesIn)));
        Metric("pz_gateway_bytes_out_total", "counter", "Response bytes sent to clients, per zone.", zones.Select(z => ((string?)z.Key, z.Value.BytesOut)));
        // Whole seconds: the console shows "last seen 3 minutes ago", and integers keep Metric() simple.
        Metric("pz_gateway_zone_last_seen_seconds", "gauge", "Unix time of the last request received, per zone.",
            zones.Where(z => z.Value.LastSeenUnixMs > 0).Select(z => ((string?)z.Key, z.Value.LastSeenUnixMs / 1000)));
        text.Append("# HELP pz_gateway_connections_closed_total Connections the gateway closed after login, by reason.\n");
        text.Append("# TYPE pz_gateway_connections_closed_total counter\n");
        foreach (var (reason, count) in _closedByGateway.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append("pz_gateway_connections_closed_total{reason=\"").Append(reason).Append("\"} ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("# HELP pz_gateway_unsupported_requests_total Requests for an API or version not served to their principal, by API key and version.\n");
        text.Append("# TYPE pz_gateway_unsupported_requests_total counter\n");
        foreach (var ((api, version), count) in _unsupported.OrderBy(e => e.Key))
        {
            text.Append("pz_gateway_unsupported_requests_total{api=\"").Append(api.ToString(CultureInfo.InvariantCulture))
                .Append("\",version=\"").Append(version.ToString(CultureInfo.InvariantCulture)).Append("\"} ")
                .Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        Traffic.Render(text, Environment.TickCount64);
        return text.ToString();
    }
}

/// <summary>Traffic of one zone.</summary>
public sealed class ZoneCounters
{
    private long _connections;
    private long _requests;
    private long _bytesIn;
    private long _bytesOut;
    private long _lastSeenUnixMs;

    public long Connections => Interlocked.Read(ref _connections);

    public long Requests => Interlocked.Read(ref _requests);

    public long BytesIn => Interlocked.Read(ref _bytesIn);

    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>When the zone's last request arrived (Unix milliseconds), 0 before the first.</summary>
    public long LastSeenUnixMs => Volatile.Read(ref _lastSeenUnixMs);

    public void Opened() => Interlocked.Increment(ref _connections);

    public void Closed() => Interlocked.Decrement(ref _connections);

    public void Request(int bytes)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _bytesIn, bytes);
        Volatile.Write(ref _lastSeenUnixMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    public void Response(int bytes) => Interlocked.Add(ref _bytesOut, bytes);
}
