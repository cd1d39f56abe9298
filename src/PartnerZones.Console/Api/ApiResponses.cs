namespace PartnerZones.ControlPlane.Api;

/// <summary>The answer to an upsert: what happened (CREATED, UPDATED, NOT_CHANGED) and the resource as stored
/// (or, in dry mode, as it would be stored).</summary>
public sealed record UpsertResponse<T>(string UpsertResult, T Resource);

/// <summary>The answer to a delete: DELETED (gone), or DELETING (the gateway has not confirmed yet; poll the
/// resource until it is 404).</summary>
public sealed record DeleteResponse(string Kind, string Name, string Result = DeleteResponse.Deleted)
{
    public const string Deleted = "DELETED";
    public const string Deleting = "DELETING";
}

public static class UpsertResults
{
    public const string Created = "CREATED";
    public const string Updated = "UPDATED";
    public const string NotChanged = "NOT_CHANGED";
}
