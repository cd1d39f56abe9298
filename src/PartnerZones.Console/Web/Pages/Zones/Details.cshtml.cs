using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PartnerZones.ControlPlane.Reconciliation;
using PartnerZones.ControlPlane.Usage;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Web.Pages.Zones;

/// <summary>One zone: topics, credentials (generate, revoke), description, partner contact, usage from
/// the gateway's metrics, and a status badge the script keeps current.</summary>
public sealed class DetailsModel(ZoneViews views, IGatewayAdmin gateway, UsageReader usage, UsageBaselines baselines, TimeProvider time) : PageModel
{
    /// <summary>The lifetimes offered for a new credential, in days.</summary>
    public static readonly int[] LifetimeDays = [7, 30, 90, 365];

    public ZoneView Zone { get; private set; } = null!;

    public KafkaCluster? Cluster { get; private set; }

    public IReadOnlyList<CredentialInfo>? Credentials { get; private set; }

    public string? CredentialsProblem { get; private set; }

    public ZoneUsage? Usage { get; private set; }

    public string? UsageProblem { get; private set; }

    /// <summary>A credential issued by this request: the only time its password is shown.</summary>
    public IssuedCredential? Issued { get; private set; }

    public string? IssuedProperties { get; private set; }

    public string? Notice { get; private set; }

    public string? Error { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(string name, string? notice)
    {
        if (!await LoadAsync(name))
        {
            // Deleted, and already confirmed by the gateway while the browser followed the redirect here.
            return notice == "deleting" ? Redirect("/?deleted=" + Uri.EscapeDataString(name)) : NotFound();
        }

        Notice = notice switch
        {
            "created" => "Zone created. The gateway serves it once its status is Ready.",
            "updated" => "Changes saved. Partners' open connections are closed and reconnect to the new zone once the gateway applies it.",
            "revoked" => "Credential revoked. It can no longer log in, and its open sessions are closed.",
            "deleting" => "Deletion requested. The zone leaves the list once its gateway confirms the removal.",
            _ => null,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostGenerateAsync(string name, int lifetimeDays)
    {
        if (!await LoadAsync(name, listCredentials: false))
        {
            return NotFound();
        }

        if (!LifetimeDays.Contains(lifetimeDays))
        {
            Error = $"Choose a lifetime of {string.Join(", ", LifetimeDays)} days.";
        }
        else if (Cluster is null)
        {
            Error = $"The zone's cluster '{Zone.Spec.Cluster}' does not exist, so no gateway can issue credentials.";
        }
        else
        {
            try
            {
                Issued = await gateway.IssueCredentialAsync(Cluster, Zone.Zone, TimeSpan.FromDays(lifetimeDays), HttpContext.RequestAborted);
                IssuedProperties = ClientProperties.Write(Issued.Id, Issued.Username, Issued.Password, Issued.ExpiresAt, Cluster.Spec.BootstrapServers);
                // The password is in this response only: keep it out of every cache.
                Response.Headers.CacheControl = "no-store";
                // Times are shown relative to now: taken after the gateway answered, the new credential
                // reads "just now" rather than "in a few seconds".
                Now = time.GetUtcNow();
            }
            catch (GatewayAdminException e)
            {
                Error = $"The gateway could not issue a credential: {e.Reason}";
            }
        }

        await ListCredentialsAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string name, string id)
    {
        if (!await LoadAsync(name, listCredentials: false))
        {
            return NotFound();
        }

        if (Cluster is not null && !string.IsNullOrWhiteSpace(id))
        {
            try
            {
                await gateway.RevokeCredentialAsync(Cluster, Zone.Zone, id, HttpContext.RequestAborted);
                return Redirect($"/zones/{Uri.EscapeDataString(name)}?notice=revoked");
            }
            catch (GatewayAdminException e)
            {
                Error = $"The gateway could not revoke credential {id}: {e.Reason}";
            }
        }

        await ListCredentialsAsync();
        return Page();
    }

    private async Task<bool> LoadAsync(string name, bool listCredentials = true)
    {
        Now = time.GetUtcNow();
        var cancellationToken = HttpContext.RequestAborted;
        if (await views.GetAsync(name, cancellationToken) is not { } zone)
        {
            return false;
        }

        Zone = zone;
        Cluster = await views.ClusterAsync(zone.Spec.Cluster, cancellationToken);
        if (Cluster is null)
        {
            UsageProblem = CredentialsProblem = $"KafkaCluster '{zone.Spec.Cluster}' does not exist.";
            return true;
        }

        var reading = usage.ReadAsync(Cluster, TimeSpan.Zero, cancellationToken);
        var baseline = baselines.GetAsync(zone.Id, Cluster.Metadata.Name, cancellationToken);
        if (listCredentials)
        {
            await ListCredentialsAsync();
        }

        var gatewayUsage = await reading;
        var ownBaseline = await baseline;
        if (gatewayUsage.Problem is { } problem)
        {
            UsageProblem = problem;
        }
        else
        {
            // The gateway counts by name; what an earlier zone of this name did is not this zone's.
            Usage = UsageBaselines.Subtract(gatewayUsage.For(name), ownBaseline);
        }

        return true;
    }

    private async Task ListCredentialsAsync()
    {
        if (Cluster is null)
        {
            return;
        }

        try
        {
            Credentials = await gateway.ListCredentialsAsync(Cluster, Zone.Zone, HttpContext.RequestAborted);
        }
        catch (GatewayAdminException e)
        {
            CredentialsProblem = e.Reason;
        }
    }
}
