using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PartnerZones.ControlPlane.Desired;

namespace PartnerZones.ControlPlane.Web.Pages.Zones;

/// <summary>Deletes a zone once the user has typed DELETE. The details page opens the same form in a
/// dialog; this page is where it lives without a script. The zone becomes DELETING and the page goes back
/// to its details, which say the partner can still connect; the reconciler then removes it from its gateway
/// (which closes the partner's sessions) and only then from the list.</summary>
public sealed class DeleteModel(ZoneViews views, ResourceService service) : PageModel
{
    public const string Word = "DELETE";

    public string Name { get; private set; } = "";

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string name)
    {
        Name = name;
        return await views.GetAsync(name, HttpContext.RequestAborted) is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(string name, string? confirm)
    {
        Name = name;
        if (await views.GetAsync(name, HttpContext.RequestAborted) is null)
        {
            return NotFound();
        }

        if (!string.Equals(confirm?.Trim(), Word, StringComparison.Ordinal))
        {
            Error = $"Type {Word} in capitals to delete the zone; nothing was deleted.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        try
        {
            if (await service.DeleteAsync(new PartnerZoneRules(), name, HttpContext.RequestAborted) == DeleteOutcome.Pending)
            {
                // Still served until the gateway confirms: the details page says so, the list would not.
                return Redirect($"/zones/{Uri.EscapeDataString(name)}?notice=deleting");
            }
        }
        catch (RequestRejected rejected) when (rejected.Status == StatusCodes.Status404NotFound)
        {
            // Someone else deleted it first; the outcome is the one asked for.
        }

        return Redirect("/?deleted=" + Uri.EscapeDataString(name));
    }
}
