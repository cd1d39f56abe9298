using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Logging;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.ControlPlane.Reconciliation;
using PartnerZones.ControlPlane.Store;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Web.Pages.Zones;

/// <summary>
/// The create wizard: details → topics → limits and headers → review → create. Each step posts the whole draft and is checked
/// by the API's own validators (a dry-run upsert), keeping only the messages about that step's fields.
/// After creating, a first credential is issued and shown once.
/// </summary>
public sealed class CreateModel(ZoneViews views, ResourceService service, ConsoleStore store, TopicCatalog catalog, IGatewayAdmin gateway, ILogger<CreateModel> logger) : PageModel
{
    public const string DetailsStep = "details";
    public const string TopicsStep = "topics";
    public const string PoliciesStep = "policies";
    public const string ReviewStep = "review";
    public const string DoneStep = "done";

    public static readonly IReadOnlyList<(string Step, string Title)> Steps = [(DetailsStep, "Details"), (TopicsStep, "Topics"), (PoliciesStep, "Limits and headers"), (ReviewStep, "Review")];

    /// <summary>Whether a field is one of the policies step's (traffic control, header rules).</summary>
    public static bool IsPolicyField(string field) =>
        field.StartsWith("spec.trafficControlPolicies", StringComparison.Ordinal) || field.StartsWith("spec.headers", StringComparison.Ordinal);

    [BindProperty]
    public ZoneForm Form { get; set; } = new();

    /// <summary>Text that narrows the topic list (the script filters as you type; without it, a button does).</summary>
    [BindProperty]
    public string? Search { get; set; }

    public string Step { get; private set; } = DetailsStep;

    public FieldErrors Errors { get; private set; } = new();

    public IReadOnlyList<KafkaCluster> Clusters { get; private set; } = [];

    /// <summary>The rows of the topics step: every topic of the cluster, with the draft's choices.</summary>
    public List<TopicRow> Rows { get; private set; } = [];

    public string? TopicsProblem { get; private set; }

    public string? Yaml { get; private set; }

    public IssuedCredential? Issued { get; private set; }

    public string? IssuedProperties { get; private set; }

    public string? CredentialProblem { get; private set; }

    public KafkaCluster? Cluster { get; private set; }

    public async Task OnGetAsync()
    {
        await LoadClustersAsync();
        Form.Cluster ??= Clusters.Count == 1 ? Clusters[0].Metadata.Name : null;
    }

    public Task<IActionResult> OnPostDetailsAsync() => DetailsDoneAsync();

    /// <summary>From the topics step; <paramref name="next"/> is "policies" for the limits and headers
    /// step, else the review follows (limits and headers are optional).</summary>
    public async Task<IActionResult> OnPostTopicsAsync(string? next)
    {
        await LoadClustersAsync();
        var errors = await CheckAsync();
        if (errors.AnyUnder("metadata") || errors.AnyUnder("spec.cluster") || errors.AnyUnder("spec.serviceAccount"))
        {
            return await ShowAsync(DetailsStep, errors);
        }

        if (!Form.Shared.Any())
        {
            errors = new FieldErrors();
            errors.Add("spec.topics", "Pick at least one topic to share.");
        }

        if (errors.General.Count > 0 || errors.Fields.Any(f => !IsPolicyField(f)))
        {
            return await ShowAsync(TopicsStep, errors);
        }

        return await ShowAsync(errors.Any || next == PoliciesStep ? PoliciesStep : ReviewStep, errors);
    }

    public async Task<IActionResult> OnPostPoliciesAsync()
    {
        await LoadClustersAsync();
        var errors = await CheckAsync();
        var step = errors.AnyUnder("metadata") || errors.AnyUnder("spec.cluster") || errors.AnyUnder("spec.serviceAccount") ? DetailsStep
            : errors.AnyUnder("spec.topics") ? TopicsStep
            : errors.Any ? PoliciesStep
            : ReviewStep;
        return await ShowAsync(step, errors);
    }

    /// <summary>"Add header rows": the policies step again, its filled rows kept and a blank one added.</summary>
    public async Task<IActionResult> OnPostRowsAsync()
    {
        await LoadClustersAsync();
        return await ShowAsync(PoliciesStep, new FieldErrors());
    }

    public async Task<IActionResult> OnPostSearchAsync()
    {
        await LoadClustersAsync();
        return await ShowAsync(TopicsStep, new FieldErrors());
    }

    public async Task<IActionResult> OnPostBackAsync(string to)
    {
        await LoadClustersAsync();
        return await ShowAsync(to is DetailsStep or TopicsStep or PoliciesStep ? to : DetailsStep, new FieldErrors());
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        await LoadClustersAsync();
        var taken = await NameTakenAsync();
        if (taken is not null)
        {
            return await ShowAsync(DetailsStep, taken);
        }

        var input = new FieldErrors();
        Form.AddInputProblems(input);
        if (input.Any)
        {
            return await ShowAsync(PoliciesStep, input);
        }

        var (_, errors) = await ZoneWriter.WriteAsync(service, Form.ToZone(), dryMode: false, HttpContext.RequestAborted);
        if (errors.Any)
        {
            return await ShowAsync(errors.AnyUnder("spec.topics") ? TopicsStep : errors.Fields.Any(IsPolicyField) ? PoliciesStep : DetailsStep, errors);
        }

        Step = DoneStep;
        var zone = await views.GetAsync(Form.Name!.Trim(), HttpContext.RequestAborted);
        Cluster = zone is null ? null : await views.ClusterAsync(zone.Spec.Cluster, HttpContext.RequestAborted);
        if (zone is null || Cluster is null)
        {
            // Deleted again (or its cluster) by someone else in the meantime.
            CredentialProblem = "the zone or its gateway no longer exists";
            return Page();
        }

        try
        {
            Issued = await gateway.IssueCredentialAsync(Cluster, zone.Zone, TimeSpan.FromDays(30), HttpContext.RequestAborted);
            IssuedProperties = ClientProperties.Write(Issued.Id, Issued.Username, Issued.Password, Issued.ExpiresAt, Cluster.Spec.BootstrapServers);
            Response.Headers.CacheControl = "no-store";
        }
        catch (GatewayAdminException e)
        {
            CredentialProblem = e.Reason;
        }
        catch (Exception e) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The zone is written by now: whatever went wrong with the credential, the page shows the zone
            // (its status badge says PENDING or FAILED with the reason) rather than an error page that
            // suggests nothing was created.
            logger.LogError(e, "PartnerZone {Zone}: the first credential could not be issued", Form.Name);
            CredentialProblem = $"the console failed unexpectedly while asking the gateway of KafkaCluster '{Cluster.Metadata.Name}' for a credential ({e.GetType().Name}); the console log has the details";
        }

        return Page();
    }

    private async Task<IActionResult> DetailsDoneAsync()
    {
        await LoadClustersAsync();
        var errors = await NameTakenAsync() ?? (await CheckAsync()).Where(field => !field.StartsWith("spec.topics", StringComparison.Ordinal) && !IsPolicyField(field));
        return await ShowAsync(errors.Any ? DetailsStep : TopicsStep, errors);
    }

    private async Task<FieldErrors?> NameTakenAsync()
    {
        var name = (Form.Name ?? "").Trim();
        if (name.Length == 0 || await store.GetAsync(PartnerZone.KindName, name, HttpContext.RequestAborted) is null)
        {
            return null;
        }

        var errors = new FieldErrors();
        errors.Add("metadata.name", $"A zone named '{name}' already exists; choose another name, or edit that zone.");
        return errors;
    }

    private async Task<FieldErrors> CheckAsync()
    {
        var errors = await ZoneWriter.CheckAsync(service, Form.ToZone(), HttpContext.RequestAborted);
        Form.AddInputProblems(errors);
        return errors;
    }

    private async Task<IActionResult> ShowAsync(string step, FieldErrors errors)
    {
        Step = step;
        Errors = errors;
        if (step == TopicsStep)
        {
            await LoadTopicsAsync();
        }
        else if (step == ReviewStep)
        {
            Yaml = ZoneYaml.Write(Form.ToZone());
        }

        if (errors.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    private async Task LoadClustersAsync() => Clusters = await views.ClustersAsync(HttpContext.RequestAborted);

    /// <summary>The cluster's topics merged with the draft's rows; the draft's own rows (typed names) stay.</summary>
    private async Task LoadTopicsAsync()
    {
        var chosen = Form.Topics.Where(t => !string.IsNullOrWhiteSpace(t.Backing))
            .GroupBy(t => t.Backing!.Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        IReadOnlyList<string> names = [];
        if (Clusters.FirstOrDefault(c => c.Metadata.Name == Form.Cluster) is { } cluster)
        {
            try
            {
                names = await catalog.ListAsync(cluster, HttpContext.RequestAborted);
            }
            catch (TopicListUnavailable e)
            {
                TopicsProblem = e.Message;
            }
        }

        Rows = [.. names.Select(n => chosen.TryGetValue(n, out var row) ? row : new TopicRow { Backing = n, Alias = n, Permission = "READ" })];
        Rows.AddRange(chosen.Values.Where(r => !names.Contains(r.Backing!.Trim(), StringComparer.Ordinal)));
        Rows.Sort((a, b) => string.CompareOrdinal(a.Backing, b.Backing));
    }
}
