using System.Text.Json;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Web;

/// <summary>Sends a zone from a form through the API's own path (<see cref="ResourceService"/> with
/// <see cref="PartnerZoneRules"/>): the same strict reading, validator and cross-resource checks, so the
/// UI can accept nothing the API would refuse. Refusals come back as field errors.</summary>
public static class ZoneWriter
{
    private static readonly PartnerZoneRules Rules = new();

    /// <summary>Checks without writing; the errors, none when the zone would be accepted.</summary>
    public static async Task<FieldErrors> CheckAsync(ResourceService service, PartnerZone zone, CancellationToken cancellationToken) =>
        (await WriteAsync(service, zone, dryMode: true, cancellationToken).ConfigureAwait(false)).Errors;

    public static async Task<(string? Result, FieldErrors Errors)> WriteAsync(ResourceService service, PartnerZone zone, bool dryMode, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToElement(zone, ResourceJson.Options);
        try
        {
            var (result, _) = await service.UpsertAsync(Rules, body, dryMode, cancellationToken).ConfigureAwait(false);
            return (result, new FieldErrors());
        }
        catch (RequestRejected rejected) when (rejected.Status == Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest)
        {
            return (null, FieldErrors.From(rejected.Errors));
        }
    }
}
