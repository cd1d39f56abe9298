using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Web.Pages.Zones;

/// <summary>
/// Changes a zone: display name, URL, description, partner contact; topics added, removed, their alias
/// and permission. The last topic cannot be removed (a zone shares at least one). Renaming an alias breaks
/// partner clients that use the old name, so it needs an explicit confirmation. Name, gateway and service
/// account stay as created (changing them is a new zone).
/// </summary>
public sealed class EditModel(ZoneViews views, ResourceService service, TopicCatalog catalog) : PageModel
{
    [BindProperty]
    public ZoneForm Form { get; set; } = new();

    /// <summary>The user confirmed the alias renames listed in <see cref="Renames"/>.</summary>
    [BindProperty]
    public bool ConfirmRenames { get; set; }

    public ZoneView Zone { get; private set; } = null!;

    public FieldErrors Errors { get; private set; } = new();

    public IReadOnlyList<(string From, string To)> Renames { get; private set; } = [];

    /// <summary>The cluster's topics, offered when adding one; empty when they cannot be listed.</summary>
    public IReadOnlyList<string> KnownTopics { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string name)
    {
        if (!await LoadAsync(name))
        {
            return NotFound();
        }

        Form = ZoneForm.From(Zone.Zone);
        return Page();
    }

    /// <summary>"Add header rows": the page again with the form as posted and a blank row per table; nothing is saved.</summary>
    public async Task<IActionResult> OnPostRowsAsync(string name)
    {
        if (!await LoadAsync(name))
        {
            return NotFound();
        }

        foreach (var row in Form.Topics)
        {
            row.Selected = true;
        }

        Renames = [.. Form.Shared.Where(t => t.OriginalAlias is { Length: > 0 } before && before != t.EffectiveAlias).Select(t => (t.OriginalAlias!, t.EffectiveAlias))];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string name)
    {
        if (!await LoadAsync(name))
        {
            return NotFound();
        }

        // What cannot change here comes from the stored zone, whatever the form says.
        var stored = Zone.Spec;
        Form.Name = Zone.Name;
        Form.Cluster = stored.Cluster;
        Form.ServiceAccount = stored.EffectiveServiceAccount;
        foreach (var row in Form.Topics)
        {
            row.Selected = true;
        }

        var errors = new FieldErrors();
        if (!Form.Shared.Any())
        {
            errors.Add("spec.topics", "The last topic cannot be removed: a zone shares at least one topic. Add another topic first, or delete the zone.");
        }

        Renames = [.. Form.Shared.Where(t => t.OriginalAlias is { Length: > 0 } before && before != t.EffectiveAlias).Select(t => (t.OriginalAlias!, t.EffectiveAlias))];
        if (!errors.Any)
        {
            errors = await ZoneWriter.CheckAsync(service, Build(), HttpContext.RequestAborted);
            Form.AddInputProblems(errors);
        }

        if (!errors.Any && Renames.Count > 0 && !ConfirmRenames)
        {
            errors.Add("renames", "Renaming an alias breaks every partner client that uses the old name. Tick the confirmation to save anyway.");
        }

        if (errors.Any)
        {
            Errors = errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var (_, writeErrors) = await ZoneWriter.WriteAsync(service, Build(), dryMode: false, HttpContext.RequestAborted);
        if (writeErrors.Any)
        {
            Errors = writeErrors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return Redirect($"/zones/{Uri.EscapeDataString(name)}?notice=updated");
    }

    /// <summary>The form's zone, keeping what the page does not show (labels, the long form of the
    /// service account) as stored, so saving changes only what the user changed.</summary>
    private PartnerZone Build()
    {
        var edited = Form.ToZone();
        var stored = Zone.Zone;
        return edited with
        {
            Metadata = edited.Metadata with { Labels = stored.Metadata.Labels },
            Spec = edited.Spec with { ServiceAccount = stored.Spec.ServiceAccount, AuthenticationMode = stored.Spec.AuthenticationMode },
        };
    }

    private async Task<bool> LoadAsync(string name)
    {
        if (await views.GetAsync(name, HttpContext.RequestAborted) is not { } zone)
        {
            return false;
        }

        Zone = zone;
        if (await views.ClusterAsync(zone.Spec.Cluster, HttpContext.RequestAborted) is { } cluster)
        {
            try
            {
                KnownTopics = await catalog.ListAsync(cluster, HttpContext.RequestAborted);
            }
            catch (TopicListUnavailable)
            {
                // Adding still works by typing the name.
            }
        }

        return true;
    }
}
