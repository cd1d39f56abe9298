using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PartnerZones.ControlPlane.Audit;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.ControlPlane.Store;
using PartnerZones.ControlPlane.Usage;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Reconciliation;

/// <summary>
/// Makes every gateway serve what the store says (docs/console.md, "Reconciler"). A pass runs when a write
/// wakes it (<see cref="ReconcileSignal"/>), every <see cref="ReconcilerOptions.Interval"/>, and when a
/// back-off ends. Each pass, per KafkaCluster: list the gateway's zones; deploy each zone of that cluster
/// the gateway lacks or holds differently, or that is not READY yet, and record READY or FAILED with the
/// reason; remove the zones this console deployed there that the store no longer has (see
/// <see cref="ManagedZones"/>), and remove each DELETING zone from its gateway, deleting its row only once
/// the gateway confirmed (the zone is not there, or its DELETE answered 2xx or 404; DESIGN §12) and keeping
/// it DELETING with "Deletion pending: reason" until then. A status is written only when it changes, and
/// only for the generation that was deployed. Failures back off per zone (and per cluster, when the gateway itself is the problem),
/// doubling from <see cref="ReconcilerOptions.MinBackoff"/> to <see cref="ReconcilerOptions.MaxBackoff"/>;
/// rejected admin credentials wait until the KafkaCluster changes.
/// </summary>
public sealed class Reconciler(ConsoleStore store, IGatewayAdmin gateway, ReconcileSignal signal, ReconcilerOptions options, ILogger<Reconciler> logger, RemovalAudit audit, UsageBaselines baselines)
    : BackgroundService
{
    /// <summary>Shortest sleep between passes, so a back-off that just ended cannot spin the loop.</summary>
    private static readonly TimeSpan MinSleep = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<string, Backoff> _zones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Backoff> _clusters = new(StringComparer.Ordinal);

    /// <summary>Clusters deleted from the console whose gateways may still hold zones it deployed (a zone
    /// and its cluster deleted together, before a pass ran): kept, with their admin credentials, until a
    /// pass has removed those zones. In memory only.</summary>
    private readonly Dictionary<string, StoredResource> _retired = new(StringComparer.Ordinal);

    private Dictionary<string, StoredResource> _seen = new(StringComparer.Ordinal);

    private static long NowMs => Environment.TickCount64;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sleep = options.Interval;
            try
            {
                sleep = await PassAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The store did not answer, or something unforeseen: the next pass tries everything again.
                // Never let it end the loop: a console that silently stopped reconciling is worse.
                logger.LogWarning(e, "Reconciler pass failed; next in {Seconds} s", options.Interval.TotalSeconds);
            }

            try
            {
                await signal.WaitAsync(sleep, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over every cluster; returns how long to sleep before the next unless woken.</summary>
    private async Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
    {
        var clusters = (await store.ListAsync(KafkaCluster.KindName, cancellationToken).ConfigureAwait(false))
            .ToDictionary(c => c.Name, StringComparer.Ordinal);
        var rules = new PartnerZoneRules();
        var zones = (await store.ListAsync(PartnerZone.KindName, cancellationToken).ConfigureAwait(false))
            .Select(z => new DesiredZone(z, (PartnerZone)rules.Show(z)))
            .ToList();
        foreach (var (name, last) in _seen.Where(c => !clusters.ContainsKey(c.Key)))
        {
            _retired[name] = last;
        }

        foreach (var name in _retired.Keys.Where(clusters.ContainsKey).ToList())
        {
            _retired.Remove(name);
        }

        _seen = clusters;
        Forget(_zones, zones.Select(z => z.Stored.Name));
        Forget(_clusters, clusters.Keys.Concat(_retired.Keys));

        foreach (var zone in zones.Where(z => !clusters.ContainsKey(z.Zone.Spec.Cluster)))
        {
            if (zone.Deleting)
            {
                // A cluster cannot be deleted while a zone names it, so no gateway the console knows ever
                // served this one under that name (a zone moved off a cluster is that cluster's orphan, below).
                if (await store.RemoveDeletedAsync(PartnerZone.KindName, zone.Stored.Name, zone.Stored.Id, zone.Stored.Generation, cancellationToken).ConfigureAwait(false))
                {
                    audit.RemovedWithoutGateway(PartnerZone.KindName, zone.Stored.Name, zone.Stored.Id, $"its KafkaCluster '{zone.Zone.Spec.Cluster}' does not exist, so no gateway serves it for this console");
                }

                continue;
            }

            var known = clusters.Count == 0 ? "none exists" : $"known: {string.Join(", ", clusters.Keys)}";
            await SetAsync(zone, ResourceStatus.Failed,
                $"KafkaCluster '{zone.Zone.Spec.Cluster}' does not exist in the console ({known}); apply it or point spec.cluster at one that does.",
                cancellationToken).ConfigureAwait(false);
        }

        foreach (var (name, stored) in clusters)
        {
            await IsolatedAsync(stored, [.. zones.Where(z => z.Zone.Spec.Cluster == name)], cancellationToken).ConfigureAwait(false);
        }

        foreach (var (name, last) in _retired.ToList())
        {
            if (await IsolatedAsync(last, [], cancellationToken).ConfigureAwait(false))
            {
                _retired.Remove(name);
            }
        }

        var now = NowMs;
        var nextDue = _zones.Values.Concat(_clusters.Values).Where(b => b.DueAtMs != Backoff.Never).Select(b => b.DueAtMs - now).DefaultIfEmpty(long.MaxValue).Min();
        var sleep = nextDue < options.Interval.TotalMilliseconds ? TimeSpan.FromMilliseconds(nextDue) : options.Interval;
        return sleep < MinSleep ? MinSleep : sleep;
    }

    /// <summary>
    /// <see cref="ReconcileClusterAsync"/>, with anything it did not foresee kept to this cluster: logged,
    /// and shown as the cluster's (and its zones') FAILED reason, so one gateway answering nonsense or one
    /// bug in handling it never stops the pass for the other gateways.
    /// </summary>
    private async Task<bool> IsolatedAsync(StoredResource stored, List<DesiredZone> zones, CancellationToken cancellationToken)
    {
        try
        {
            return await ReconcileClusterAsync(stored, zones, cancellationToken).ConfigureAwait(false);
        }
        // A store that does not answer is not this cluster's fault: the pass as a whole retries (ExecuteAsync).
        catch (Exception e) when (e is not (GatewayAdminException or System.Data.Common.DbException or StoreException) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "KafkaCluster {Cluster}: unexpected failure while reconciling it", stored.Name);
            var failure = new GatewayAdminException(
                $"KafkaCluster '{stored.Name}': the console failed unexpectedly while deploying to its gateway ({e.GetType().Name}); the console log has the details. Retried with back-off.",
                retriable: true, e);
            await ClusterFailedAsync(stored, $"{stored.Id}/{stored.Generation}", failure, zones, cancellationToken).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Brings one gateway in line; true when it answered and every zone to remove was removed.</summary>
    private async Task<bool> ReconcileClusterAsync(StoredResource stored, List<DesiredZone> zones, CancellationToken cancellationToken)
    {
        var cluster = KafkaClusterRules.WithSecrets(stored);
        var name = cluster.Metadata.Name;
        var clusterKey = $"{stored.Id}/{stored.Generation}";
        if (_clusters.TryGetValue(name, out var waiting) && waiting.Waiting(clusterKey, NowMs))
        {
            // The gateway failed a moment ago: its zones learn why now (a new one too), and wait with it.
            await FailAllAsync(zones, waiting.Reason, cancellationToken).ConfigureAwait(false);
            return false;
        }

        IReadOnlyList<PartnerZone> actual;
        try
        {
            actual = await gateway.ListZonesAsync(cluster, cancellationToken).ConfigureAwait(false);
        }
        catch (GatewayAdminException e)
        {
            await ClusterFailedAsync(stored, clusterKey, e, zones, cancellationToken).ConfigureAwait(false);
            return false;
        }

        _clusters.Remove(name);
        await SetClusterAsync(stored, ResourceStatus.Ready, null, cancellationToken).ConfigureAwait(false);
        var onGateway = actual.GroupBy(z => z.Metadata.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        for (var i = 0; i < zones.Count; i++)
        {
            var zone = zones[i];
            if (zone.Deleting)
            {
                continue;
            }

            var inSync = onGateway.TryGetValue(zone.Stored.Name, out var held) && ManagedZones.Same(held, zone.Zone);
            if (inSync && zone.Status == ResourceStatus.Ready)
            {
                continue;
            }

            var zoneKey = $"{zone.Stored.Id}/{zone.Stored.Generation}/{clusterKey}";
            if (_zones.TryGetValue(zone.Stored.Name, out var backoff) && backoff.Waiting(zoneKey, NowMs))
            {
                continue;
            }

            try
            {
                if (!onGateway.ContainsKey(zone.Stored.Name)
                    && await baselines.RecordAsync(zone.Stored.Id, zone.Stored.Name, cluster, cancellationToken).ConfigureAwait(false) is { } unread)
                {
                    logger.LogWarning("PartnerZone {Zone} on KafkaCluster {Cluster}: usage may include an earlier zone of that name, the gateway's metrics could not be read before deploying it: {Problem}", zone.Stored.Name, name, unread);
                }

                await gateway.DeployZoneAsync(cluster, zone.Zone, cancellationToken).ConfigureAwait(false);
                _zones.Remove(zone.Stored.Name);
                await SetAsync(zone, ResourceStatus.Ready, null, cancellationToken).ConfigureAwait(false);
            }
            catch (GatewayAdminException e) when (e.Failure is GatewayAdminFailure.Unreachable or GatewayAdminFailure.CredentialsRejected)
            {
                // The gateway went away (or stopped accepting us) mid-pass: the rest of its zones would fail
                // the same way, one timeout each.
                await ClusterFailedAsync(stored, clusterKey, e, zones.Where((z, j) => j >= i || z.Deleting), cancellationToken).ConfigureAwait(false);
                return false;
            }
            catch (GatewayAdminException e)
            {
                _zones[zone.Stored.Name] = Backoff.After(backoff, zoneKey, e, options, NowMs);
                await SetAsync(zone, ResourceStatus.Failed, e.Reason, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not (System.Data.Common.DbException or StoreException) && !cancellationToken.IsCancellationRequested)
            {
                // Unforeseen, and kept to this zone: the cluster's other zones still get their turn.
                logger.LogError(e, "PartnerZone {Zone} on KafkaCluster {Cluster}: unexpected failure while deploying it", zone.Stored.Name, name);
                var failure = new GatewayAdminException(
                    $"PartnerZone '{zone.Stored.Name}' on KafkaCluster '{name}': the console failed unexpectedly while deploying it ({e.GetType().Name}); the console log has the details. Retried with back-off.",
                    retriable: true, e);
                _zones[zone.Stored.Name] = Backoff.After(backoff, zoneKey, failure, options, NowMs);
                await SetAsync(zone, ResourceStatus.Failed, failure.Reason, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!await RemoveDeletingAsync(stored, cluster, clusterKey, zones, onGateway, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var clean = true;
        // DELETING zones are handled above, with their confirmation; they are not orphans.
        var desired = zones.Select(z => z.Stored.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in actual.Where(z => ManagedZones.IsManaged(z, name) && !desired.Contains(z.Metadata.Name)))
        {
            try
            {
                await gateway.RemoveZoneAsync(cluster, orphan.Metadata.Name, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Removed PartnerZone {Zone} from KafkaCluster {Cluster}: the console no longer has it", orphan.Metadata.Name, name);
            }
            catch (GatewayAdminException e)
            {
                // Still on the gateway, still labelled: the next pass tries again.
                logger.LogWarning("Could not remove PartnerZone {Zone} from KafkaCluster {Cluster}: {Reason}", orphan.Metadata.Name, name, e.Reason);
                clean = false;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Could not remove PartnerZone {Zone} from KafkaCluster {Cluster}: unexpected failure", orphan.Metadata.Name, name);
                clean = false;
            }
        }

        return clean;
    }

    /// <summary>Removes each DELETING zone of this cluster from its gateway, and its row once the gateway has
    /// confirmed. False when the gateway went away mid-way (the zones left are told why, as for deploys).</summary>
    private async Task<bool> RemoveDeletingAsync(StoredResource stored, KafkaCluster cluster, string clusterKey, List<DesiredZone> zones, Dictionary<string, PartnerZone> onGateway, CancellationToken cancellationToken)
    {
        var name = cluster.Metadata.Name;
        var deleting = zones.Where(z => z.Deleting).ToList();
        for (var i = 0; i < deleting.Count; i++)
        {
            var zone = deleting[i];
            var zoneName = zone.Stored.Name;
            // A zone of that name the console did not deploy (no label) is not this one: the console's would
            // carry the label, since deploying replaces the gateway's zone of the same name.
            var served = onGateway.TryGetValue(zoneName, out var held) && ManagedZones.IsManaged(held, name);
            var zoneKey = $"{zone.Stored.Id}/{zone.Stored.Generation}/{clusterKey}";
            if (served && _zones.TryGetValue(zoneName, out var backoff) && backoff.Waiting(zoneKey, NowMs))
            {
                continue;
            }

            try
            {
                if (served)
                {
                    await gateway.RemoveZoneAsync(cluster, zoneName, cancellationToken).ConfigureAwait(false);
                }

                _zones.Remove(zoneName);
                if (await store.RemoveDeletedAsync(PartnerZone.KindName, zoneName, zone.Stored.Id, zone.Stored.Generation, cancellationToken).ConfigureAwait(false))
                {
                    audit.Confirmed(PartnerZone.KindName, zoneName, zone.Stored.Id, name);
                }
            }
            catch (GatewayAdminException e) when (e.Failure is GatewayAdminFailure.Unreachable or GatewayAdminFailure.CredentialsRejected)
            {
                await ClusterFailedAsync(stored, clusterKey, e, deleting[i..], cancellationToken).ConfigureAwait(false);
                return false;
            }
            catch (GatewayAdminException e)
            {
                _zones[zoneName] = Backoff.After(_zones.GetValueOrDefault(zoneName), zoneKey, e, options, NowMs);
                await SetAsync(zone, ResourceStatus.Failed, e.Reason, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not (System.Data.Common.DbException or StoreException) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "PartnerZone {Zone} on KafkaCluster {Cluster}: unexpected failure while removing it", zoneName, name);
                var failure = new GatewayAdminException(
                    $"the console failed unexpectedly while removing it from KafkaCluster '{name}' ({e.GetType().Name}); the console log has the details. Retried with back-off.",
                    retriable: true, e);
                _zones[zoneName] = Backoff.After(_zones.GetValueOrDefault(zoneName), zoneKey, failure, options, NowMs);
                await SetAsync(zone, ResourceStatus.Failed, failure.Reason, cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    private async Task ClusterFailedAsync(StoredResource cluster, string clusterKey, GatewayAdminException failure, IEnumerable<DesiredZone> zones, CancellationToken cancellationToken)
    {
        var name = cluster.Name;
        await SetClusterAsync(cluster, ResourceStatus.Failed, failure.Reason, cancellationToken).ConfigureAwait(false);
        var previous = _clusters.GetValueOrDefault(name);
        _clusters[name] = Backoff.After(previous, clusterKey, failure, options, NowMs);
        if (previous?.Reason != failure.Reason)
        {
            logger.LogWarning("KafkaCluster {Cluster}: {Reason}", name, failure.Reason);
        }

        await FailAllAsync(zones, failure.Reason, cancellationToken).ConfigureAwait(false);
    }

    private async Task FailAllAsync(IEnumerable<DesiredZone> zones, string reason, CancellationToken cancellationToken)
    {
        foreach (var zone in zones)
        {
            await SetAsync(zone, ResourceStatus.Failed, reason, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records a status unless the zone already has exactly it (so nothing flaps and nothing is
    /// written on a quiet pass); the store ignores it when the zone changed since it was read.</summary>
    private async Task SetAsync(DesiredZone zone, string status, string? reason, CancellationToken cancellationToken)
    {
        if (zone.Deleting)
        {
            // A zone being deleted stays DELETING whatever went wrong: the failure is why its removal is
            // still pending, and the partner can still connect meanwhile.
            status = ResourceStatus.Deleting;
            reason = reason is null ? null : ResourceStatus.DeletionPendingPrefix + reason;
        }

        if (zone.Status == status && zone.FailedReason == reason)
        {
            return;
        }

        if (await store.SetStatusAsync(PartnerZone.KindName, zone.Stored.Name, zone.Stored.Generation, status, reason, cancellationToken).ConfigureAwait(false))
        {
            zone.Status = status;
            zone.FailedReason = reason;
            if (zone.Deleting && reason is not null)
            {
                audit.AttemptFailed(PartnerZone.KindName, zone.Stored.Name, zone.Stored.Id, zone.Zone.Spec.Cluster, reason);
            }
            else if (status == ResourceStatus.Failed)
            {
                logger.LogWarning("PartnerZone {Zone} FAILED: {Reason}", zone.Stored.Name, reason);
            }
        }
    }

    /// <summary>A KafkaCluster is READY while its gateway's admin API answers the console, FAILED with the
    /// reason while it does not.</summary>
    private async Task SetClusterAsync(StoredResource cluster, string status, string? reason, CancellationToken cancellationToken)
    {
        if (cluster.Status != status || cluster.FailedReason != reason)
        {
            await store.SetStatusAsync(KafkaCluster.KindName, cluster.Name, cluster.Generation, status, reason, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Forget(Dictionary<string, Backoff> records, IEnumerable<string> present)
    {
        var keep = present.ToHashSet(StringComparer.Ordinal);
        foreach (var gone in records.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            records.Remove(gone);
        }
    }

    /// <summary>A zone as this pass read it, with the status it has now (updated as the pass writes).</summary>
    private sealed class DesiredZone(StoredResource stored, PartnerZone zone)
    {
        public StoredResource Stored { get; } = stored;

        public PartnerZone Zone { get; } = zone;

        public string Status { get; set; } = stored.Status;

        public string? FailedReason { get; set; } = stored.FailedReason;

        /// <summary>Deleted in the console; waits for its gateway to confirm the removal.</summary>
        public bool Deleting => Stored.Status == ResourceStatus.Deleting;
    }
}
