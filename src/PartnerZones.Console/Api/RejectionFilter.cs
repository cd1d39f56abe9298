using Microsoft.AspNetCore.Http;
using PartnerZones.ControlPlane.Desired;

namespace PartnerZones.ControlPlane.Api;

/// <summary>Answers a <see cref="RequestRejected"/> with its <see cref="ApiError"/>. Refusals are expected
/// outcomes, so they are answered here rather than logged as failures by the exception handler.</summary>
internal sealed class RejectionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (RequestRejected r)
        {
            return r.Status == StatusCodes.Status400BadRequest
                ? ApiError.BadRequest(r.Title, r.Errors)
                : ApiError.Respond(r.Status, r.Title, string.Join("; ", r.Errors));
        }
    }
}
