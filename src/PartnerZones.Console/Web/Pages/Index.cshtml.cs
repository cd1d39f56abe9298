using Microsoft.AspNetCore.Mvc.RazorPages;
using PartnerZones.ControlPlane.Usage;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Web.Pages;

/// <summary>Every zone with its status, filtered by a search text and a status; totals over all zones.</summary>
public sealed class IndexModel(ZoneViews views, UsageReader usage, TimeProvider time) : PageModel
{
    public IReadOnlyList<ZoneView> All { get; private set; } = [];

    public IReadOnlyList<ZoneView> Shown { get; private set; } = [];

    public IReadOnlyDictionary<string, KafkaCluster> Clusters { get; private set; } = new Dictionary<string, KafkaCluster>();

    public string? Query { get; private set; }

    public string? Status { get; private set; }

    public int TopicsShared { get; private set; }

    /// <summary>Partner connections open now over every gateway that answered; null when none did.</summary>
    public long? Connected { get; private set; }

    public IReadOnlyList<string> UsageProblems { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    public string? Deleted { get; private set; }

    public async Task OnGetAsync(string? q, string? status, string? deleted)
    {
        Now = time.GetUtcNow();
        Query = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        Status = status is "PENDING" or "READY" or "FAILED" or "DELETING" ? status : null;
        Deleted = deleted;
        var cancellationToken = HttpContext.RequestAborted;
        var clustersTask = views.ClustersAsync(cancellationToken);
        All = await views.ListAsync(cancellationToken);
        Clusters = (await clustersTask).ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);
        TopicsShared = All.Sum(z => z.Spec.Topics.Count);
        Shown = [.. All.Where(Matches)];

        var used = All.Select(z => z.Spec.Cluster).Distinct(StringComparer.Ordinal).Where(Clusters.ContainsKey).ToList();
        var readings = await Task.WhenAll(used.Select(c => usage.ReadAsync(Clusters[c], UsageReader.ListMaxAge, cancellationToken)));
        var zonesOf = All.GroupBy(z => z.Spec.Cluster, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(z => z.Name).ToList(), StringComparer.Ordinal);
        var answered = used.Zip(readings).Where(p => p.Second.Problem is null).ToList();
        Connected = answered.Count == 0 ? null : answered.Sum(p => zonesOf[p.First].Sum(z => p.Second.For(z).Connections));
        UsageProblems = [.. readings.Where(r => r.Problem is not null).Select(r => r.Problem!)];
    }

    private bool Matches(ZoneView zone)
    {
        if (Status is not null && zone.Status != Status)
        {
            return false;
        }

        if (Query is null)
        {
            return true;
        }

        bool Has(string? text) => text is not null && text.Contains(Query, StringComparison.OrdinalIgnoreCase);
        return Has(zone.Name) || Has(zone.Spec.DisplayName) || Has(zone.Spec.Url) || Has(zone.Spec.Partner?.Name) || Has(zone.Spec.Partner?.Email)
            || Has(zone.Spec.Cluster) || zone.Spec.Topics.Any(t => Has(t.Name) || Has(t.BackingTopic));
    }
}
