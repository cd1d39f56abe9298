using Microsoft.AspNetCore.Http;

namespace PartnerZones.ControlPlane.Desired;

/// <summary>A request the console refuses, with the HTTP status and the words for <see cref="Api.ApiError"/>.
/// Thrown inside a write transaction, it also rolls the transaction back.</summary>
public sealed class RequestRejected(int status, string title, IReadOnlyList<string> errors)
    : Exception(string.Join("; ", errors))
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public IReadOnlyList<string> Errors { get; } = errors;

    public static RequestRejected Invalid(string kind, IReadOnlyList<string> errors) =>
        new(StatusCodes.Status400BadRequest, $"Invalid {kind}", errors);

    public static RequestRejected NotFound(string kind, string name) =>
        new(StatusCodes.Status404NotFound, "Not found", [$"{kind} '{name}' does not exist."]);
}
