using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Reconciliation;

/// <summary>
/// The console's side of a gateway's admin API: everything the reconciler and the credential endpoints
/// need from a gateway. The HTTP implementation arrives with the gateway admin API; until then the
/// console stores desired state and reports it PENDING. Every call names the cluster, whose
/// <c>spec.adminApi</c> (with its password) says where and as whom to call.
/// Failures are <see cref="GatewayAdminException"/> with a reason a person can act on, which the
/// reconciler stores as the resource's <c>failedReason</c>.
/// </summary>
public interface IGatewayAdmin
{
    /// <summary>Creates or replaces the zone (topics, service account) on the cluster's gateway; returns when
    /// the gateway enforces it.</summary>
    Task DeployZoneAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken);

    /// <summary>Removes the zone and revokes every credential of its service account.</summary>
    Task RemoveZoneAsync(KafkaCluster cluster, string zoneName, CancellationToken cancellationToken);

    /// <summary>The zones the gateway enforces now, with their specs, to repair drift (lost or changed zones,
    /// zones deleted from the console while the gateway was away).</summary>
    Task<IReadOnlyList<PartnerZone>> ListZonesAsync(KafkaCluster cluster, CancellationToken cancellationToken);

    /// <summary>Issues a new secret for the zone's service account; the secret is in the result only.</summary>
    Task<IssuedCredential> IssueCredentialAsync(KafkaCluster cluster, PartnerZone zone, TimeSpan lifetime, CancellationToken cancellationToken);

    Task<IReadOnlyList<CredentialInfo>> ListCredentialsAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken);

    /// <summary>Revokes one credential: new logins fail at once, live sessions are closed.</summary>
    Task RevokeCredentialAsync(KafkaCluster cluster, PartnerZone zone, string credentialId, CancellationToken cancellationToken);
}

/// <summary>A credential just issued: the only time its secret exists outside the gateway's hash.</summary>
public sealed record IssuedCredential(string Id, string Username, string Password, DateTimeOffset ExpiresAt);

public sealed record CredentialInfo(string Id, string Username, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>A gateway call failed. <see cref="Reason"/> is for the resource's failedReason ("gateway
/// http://...:8888 unreachable: connection refused"); <see cref="Retriable"/> says whether backing off and
/// trying again can help (unreachable) or a person must act first (admin credentials rejected, backing
/// topic missing).</summary>
public sealed class GatewayAdminException(string reason, bool retriable, Exception? inner = null) : Exception(reason, inner)
{
    public string Reason { get; } = reason;

    public bool Retriable { get; } = retriable;
}
