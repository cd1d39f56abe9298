using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Reconciliation;

/// <summary>
/// The console's side of a gateway's admin API: everything the reconciler and the credential endpoints
/// need from a gateway (<see cref="HttpGatewayAdmin"/> calls it over HTTP; tests may plug in a fake). Every
/// call names the cluster, whose <c>spec.adminApi</c> (with its password) says where and as whom to call.
/// Failures are <see cref="GatewayAdminException"/> with a reason a person can act on, which the
/// reconciler stores as the resource's <c>failedReason</c>.
/// </summary>
public interface IGatewayAdmin
{
    /// <summary>Creates or replaces the zone (topics, service account) on the cluster's gateway; returns when
    /// the gateway enforces it, which includes that every backing topic exists in the cluster behind it.</summary>
    Task DeployZoneAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken);

    /// <summary>Revokes every live credential of the zone's service account and removes the zone; nothing
    /// to do when the gateway does not have it.</summary>
    Task RemoveZoneAsync(KafkaCluster cluster, string zoneName, CancellationToken cancellationToken);

    /// <summary>Every zone the gateway enforces now, with its labels and spec, to repair drift (lost or
    /// changed zones, zones deleted from the console while the gateway was away).</summary>
    Task<IReadOnlyList<PartnerZone>> ListZonesAsync(KafkaCluster cluster, CancellationToken cancellationToken);

    /// <summary>Issues a new secret for the zone's service account; the secret is in the result only.</summary>
    Task<IssuedCredential> IssueCredentialAsync(KafkaCluster cluster, PartnerZone zone, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>The zone's credentials that are not revoked (active or expired).</summary>
    Task<IReadOnlyList<CredentialInfo>> ListCredentialsAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken);

    /// <summary>Revokes one credential: new logins fail at once, live sessions are closed.</summary>
    Task RevokeCredentialAsync(KafkaCluster cluster, PartnerZone zone, string credentialId, CancellationToken cancellationToken);
}

/// <summary>A credential just issued: the only time its secret exists outside the gateway's hash.</summary>
public sealed record IssuedCredential(string Id, string Username, string Password, DateTimeOffset ExpiresAt);

/// <summary>A credential's metadata; <see cref="Status"/> is ACTIVE or EXPIRED (revoked ones are not listed).</summary>
/// <summary>A credential as the gateway lists it. <see cref="LastUsedAt"/> is its last login on the gateway
/// instance the console asked, since that instance started (null: none seen).</summary>
public sealed record CredentialInfo(string Id, string Username, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string Status = "ACTIVE", DateTimeOffset? LastUsedAt = null);

/// <summary>What kind of failure a <see cref="GatewayAdminException"/> is, for callers that answer differently.</summary>
public enum GatewayAdminFailure
{
    /// <summary>Anything not listed below: an unexpected answer, a refusal (400, 409), a gateway error (5xx).</summary>
    Other,

    /// <summary>No connection, or no answer in time.</summary>
    Unreachable,

    /// <summary>401 or 403: the cluster's spec.adminApi username or password is wrong.</summary>
    CredentialsRejected,

    /// <summary>The gateway does not have what was asked for (a credential id, for example).</summary>
    NotFound,

    /// <summary>A zone's backing topic does not exist in the cluster behind the gateway.</summary>
    MissingBackingTopic,
}

/// <summary>A gateway call failed. <see cref="Reason"/> is for the resource's failedReason ("gateway admin API
/// at http://...:8888 is unreachable: Connection refused"); <see cref="Retriable"/> says whether trying again
/// later, with nothing changed in the console, can help (an unreachable gateway, a topic someone may create)
/// or a person must change the console's resources first (admin credentials rejected).</summary>
public sealed class GatewayAdminException(string reason, bool retriable, Exception? inner = null, GatewayAdminFailure failure = GatewayAdminFailure.Other)
    : Exception(reason, inner)
{
    public string Reason { get; } = reason;

    public bool Retriable { get; } = retriable;

    public GatewayAdminFailure Failure { get; } = failure;
}
