namespace PartnerZones.Gateway.Admin;

/// <summary>An admin request that cannot be served: the HTTP status and every problem, each naming the
/// field and the fix.</summary>
public sealed class AdminException(int status, IReadOnlyList<string> errors) : Exception(string.Join(" ", errors))
{
    public AdminException(int status, string error)
        : this(status, [error])
    {
    }

    public int Status { get; } = status;

    public IReadOnlyList<string> Errors { get; } = errors;

    public static AdminException BadRequest(IReadOnlyList<string> errors) => new(400, errors);

    public static AdminException BadRequest(string error) => new(400, error);

    public static AdminException NotFound(string error) => new(404, error);

    public static AdminException Conflict(string error) => new(409, error);
}
