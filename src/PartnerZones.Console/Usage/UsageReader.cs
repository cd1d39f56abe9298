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
    /// <c>name{zone="...",...} value</c>); other lines are ignored.</summary>
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

            if (ParseSample(line) is not { } sample || !sample.Labels.TryGetValue("zone", out var zone))
            {
                continue;
            }

            var (name, labels, value) = sample;
            var usage = zones.GetValueOrDefault(zone) ?? ZoneUsage.None;
            // The zone's totals are the series labelled by zone alone; a series split further is a part.
            var whole = labels.Count == 1;
            zones[zone] = name switch
            {
                "pz_gateway_zone_connections" when whole => usage with { Connections = (long)value },
                "pz_gateway_bytes_in_total" when whole => usage with { BytesIn = (long)value },
                "pz_gateway_bytes_out_total" when whole => usage with { BytesOut = (long)value },
                "pz_gateway_requests_total" when whole => usage with { Requests = (long)value },
                "pz_gateway_zone_last_seen_seconds" when whole && value > 0 => usage with { LastSeen = DateTimeOffset.FromUnixTimeMilliseconds((long)(value * 1000)) },
                "pz_gateway_zone_throttled" when value > 0 && labels.TryGetValue("limit", out var limit) =>
                    usage with { ThrottledBy = [.. usage.ThrottledBy.Append(limit).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] },
                _ => usage,
            };
        }

        return new GatewayUsage(zones, null, now);
    }

    /// <summary>One sample line, <c>name{label="value",...} number</c>, with its labels unescaped; null for
    /// a line of another shape (a series without labels is no zone's).</summary>
    private static (string Name, Dictionary<string, string> Labels, double Value)? ParseSample(string line)
    {
        var open = line.IndexOf('{', StringComparison.Ordinal);
        if (open <= 0)
        {
            return null;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var at = open + 1;
        while (at < line.Length && line[at] != '}')
        {
            var equals = line.IndexOf("=\"", at, StringComparison.Ordinal);
            if (equals < 0)
            {
                return null;
            }

            var key = line[at..equals].Trim();
            var value = new System.Text.StringBuilder();
            var i = equals + 2;
            for (; i < line.Length && line[i] != '"'; i++)
            {
                // The text format escapes backslash, double quote and line feed inside label values.
                if (line[i] == '\\' && i + 1 < line.Length)
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }
            }

            if (i >= line.Length)
            {
                return null;
            }

            labels[key] = value.ToString();
            at = i + 1;
            if (at < line.Length && line[at] == ',')
            {
                at++;
            }
        }

        if (at >= line.Length || !double.TryParse(line[(at + 1)..].Trim().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        return (line[..open], labels, number);
    }
}

/// <summary>A zone's traffic through one gateway: bytes the partner sent (produce requests and the
/// rest of its requests) and received (fetched records and other answers), connections open now and
/// the last request the gateway saw; and the zone's limits (spec.trafficControlPolicies) holding its
/// connections back now, if any ("produce", "consume", "commit").</summary>
public sealed record ZoneUsage(long Connections, long BytesIn, long BytesOut, long Requests, DateTimeOffset? LastSeen)
{
    public static ZoneUsage None { get; } = new(0, 0, 0, 0, null);

    public IReadOnlyList<string> ThrottledBy { get; init; } = [];
}
