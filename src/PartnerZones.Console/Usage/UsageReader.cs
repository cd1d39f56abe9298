using System.Collections.Concurrent;
using System.Globalization;
using PartnerZones.ControlPlane.Web;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Usage;

/// <summary>
/// Reads each gateway's Prometheus text on <c>/metrics</c> (beside its admin API) for the per-zone
/// figures the pages show. The list accepts an answer up to five seconds old, so a list of many zones
/// costs at most one request per gateway in that time; a gateway that does not answer is reported as unavailable, never as zero traffic.
/// With several gateway instances behind one admin URL the figures are those of the instance that answered.
/// </summary>
public sealed class UsageReader(GatewayHttp http, TimeProvider time)
{
    /// <summary>How old an answer the zone list accepts; a zone's own page asks afresh.</summary>
    public static readonly TimeSpan ListMaxAge = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, GatewayUsage Usage)> _cache = new(StringComparer.Ordinal);

    public async Task<GatewayUsage> ReadAsync(KafkaCluster cluster, TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var url = cluster.Spec.AdminApi.Url.TrimEnd('/') + "/metrics";
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(url, out var cached) && now - cached.At < maxAge)
        {
            return cached.Usage;
        }

        GatewayUsage usage;
        try
        {
            using var request = GatewayHttp.Request(cluster, HttpMethod.Get, "/metrics");
            using var response = await http.Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            usage = response.IsSuccessStatusCode
                ? GatewayUsage.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), now)
                : GatewayUsage.Unavailable($"{url} answered {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            usage = GatewayUsage.Unavailable($"{url} did not answer ({e.Message})");
        }

        _cache[url] = (now, usage);
        return usage;
    }
}

/// <summary>One gateway's per-zone figures, or why there are none.</summary>
public sealed record GatewayUsage(IReadOnlyDictionary<string, ZoneUsage> Zones, string? Problem, DateTimeOffset ReadAt)
{
    public static GatewayUsage Unavailable(string problem) => new(new Dictionary<string, ZoneUsage>(), problem, DateTimeOffset.MinValue);

    public ZoneUsage For(string zone) => Zones.TryGetValue(zone, out var usage) ? usage : ZoneUsage.None;

    /// <summary>Reads the per-zone series of the Prometheus text format (one sample per line,
    /// <c>name{zone="..."} value</c>); other lines are ignored.</summary>
    public static GatewayUsage Parse(string text, DateTimeOffset now)
    {
        var zones = new Dictionary<string, ZoneUsage>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var open = line.IndexOf("{zone=\"", StringComparison.Ordinal);
            var close = line.IndexOf("\"}", StringComparison.Ordinal);
            if (open < 0 || close < open)
            {
                continue;
            }

            var name = line[..open];
            var zone = line[(open + 7)..close].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            if (!double.TryParse(line[(close + 2)..].Trim().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            var usage = zones.GetValueOrDefault(zone) ?? ZoneUsage.None;
            zones[zone] = name switch
            {
                "pz_gateway_zone_connections" => usage with { Connections = (long)value },
                "pz_gateway_bytes_in_total" => usage with { BytesIn = (long)value },
                "pz_gateway_bytes_out_total" => usage with { BytesOut = (long)value },
                "pz_gateway_requests_total" => usage with { Requests = (long)value },
                "pz_gateway_zone_last_seen_seconds" when value > 0 => usage with { LastSeen = DateTimeOffset.FromUnixTimeMilliseconds((long)(value * 1000)) },
                _ => usage,
            };
        }

        return new GatewayUsage(zones, null, now);
    }
}

/// <summary>A zone's traffic through one gateway: bytes the partner sent (produce requests and the
/// rest of its requests) and received (fetched records and other answers), connections open now and
/// the last request the gateway saw.</summary>
public sealed record ZoneUsage(long Connections, long BytesIn, long BytesOut, long Requests, DateTimeOffset? LastSeen)
{
    public static ZoneUsage None { get; } = new(0, 0, 0, 0, null);
}
