using PartnerZones.ControlPlane.Store;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Usage;

/// <summary>
/// Keeps usage with the zone's id, not its name. A gateway counts by zone name since it started, so a zone
/// created under the name of a deleted one would show the deleted zone's traffic and "last seen". Before the
/// console first deploys a zone id to a gateway that does not hold it, <see cref="RecordAsync"/> stores what
/// that gateway has counted for the name; <see cref="Subtract"/> takes it off the figures the pages show.
/// </summary>
public sealed class UsageBaselines(ConsoleStore store, UsageReader reader, TimeProvider time)
{
    /// <summary>Records the baseline of a zone about to be deployed to a gateway that lacks it, once per
    /// (zone id, cluster). Null when recorded or not needed; otherwise why not (the gateway's metrics did not
    /// answer), which the caller logs: the deployment goes ahead, since a partner's access matters more than a figure.</summary>
    public async Task<string?> RecordAsync(Guid zoneId, string zoneName, KafkaCluster cluster, CancellationToken cancellationToken)
    {
        if (await store.GetUsageBaselineAsync(zoneId, cluster.Metadata.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            return null;
        }

        var usage = await reader.ReadAsync(cluster, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        if (usage.Problem is { } problem)
        {
            return problem;
        }

        var counted = usage.For(zoneName);
        await store.AddUsageBaselineAsync(
            new UsageBaseline(zoneId, cluster.Metadata.Name, counted.Requests, counted.BytesIn, counted.BytesOut, counted.LastSeen, time.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);
        return null;
    }

    public Task<UsageBaseline?> GetAsync(Guid zoneId, string cluster, CancellationToken cancellationToken) =>
        store.GetUsageBaselineAsync(zoneId, cluster, cancellationToken);

    /// <summary>The figures that are this zone's own. Counters below the baseline mean the gateway restarted
    /// since (its counts started again at zero, all of them this zone's); a "last seen" no later than the
    /// baseline's was a predecessor's. Open connections are a gauge and stay as they are.</summary>
    public static ZoneUsage Subtract(ZoneUsage usage, UsageBaseline? baseline)
    {
        if (baseline is null)
        {
            return usage;
        }

        var restarted = usage.Requests < baseline.Requests || usage.BytesIn < baseline.BytesIn || usage.BytesOut < baseline.BytesOut;
        var lastSeen = usage.LastSeen is { } seen && (baseline.LastSeen is not { } before || seen > before) ? usage.LastSeen : null;
        return restarted
            ? usage with { LastSeen = lastSeen }
            : usage with
            {
                Requests = usage.Requests - baseline.Requests,
                BytesIn = usage.BytesIn - baseline.BytesIn,
                BytesOut = usage.BytesOut - baseline.BytesOut,
                LastSeen = lastSeen,
            };
    }
}
