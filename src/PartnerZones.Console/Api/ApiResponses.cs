namespace PartnerZones.ControlPlane.Api;

/// <summary>The answer to an upsert: what happened (CREATED, UPDATED, NOT_CHANGED) and the resource as stored
/// (or, in dry mode, as it would be stored).</summary>
public sealed record UpsertResponse<T>(string UpsertResult, T Resource);

/// <summary>The answer to a delete.</summary>
public sealed record DeleteResponse(string Kind, string Name, string Result = "DELETED");

public static class UpsertResults
{
    public const string Created = "CREATED";
    public const string Updated = "UPDATED";
    public const string NotChanged = "NOT_CHANGED";
}
