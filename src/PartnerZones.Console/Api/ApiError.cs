using Microsoft.AspNetCore.Http;

namespace PartnerZones.ControlPlane.Api;

/// <summary>Every error the API returns: a short <see cref="Title"/>, a sentence a person can act on in
/// <see cref="Msg"/>, and for validation every problem found in <see cref="Errors"/> (also joined into Msg).</summary>
public sealed record ApiError(string Title, string Msg, IReadOnlyList<string>? Errors = null)
{
    public static IResult BadRequest(string title, IReadOnlyList<string> errors) =>
        Results.Json(new ApiError(title, string.Join("; ", errors), errors), ApiJson.Options, statusCode: StatusCodes.Status400BadRequest);

    public static IResult Respond(int status, string title, string msg) =>
        Results.Json(new ApiError(title, msg), ApiJson.Options, statusCode: status);

    public static IResult NotFound(string msg) => Respond(StatusCodes.Status404NotFound, "Not found", msg);

    public static IResult Conflict(string msg) => Respond(StatusCodes.Status409Conflict, "Conflict", msg);
}
