using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Reconciliation;

/// <summary>What the console uses until an HTTP client for the gateway admin API is plugged in: every call
/// fails with a reason that says so, and the credential endpoints answer 502 with it.</summary>
public sealed class NoGatewayAdmin : IGatewayAdmin
{
    private static Exception Unavailable(KafkaCluster cluster) => new GatewayAdminException(
        $"this console cannot call gateway admin APIs yet (KafkaCluster '{cluster.Metadata.Name}' at {cluster.Spec.AdminApi.Url}); "
        + "zones stay PENDING and credentials cannot be issued until the reconciler is added", retriable: false);

    public Task DeployZoneAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken) => Task.FromException(Unavailable(cluster));

    public Task RemoveZoneAsync(KafkaCluster cluster, string zoneName, CancellationToken cancellationToken) => Task.FromException(Unavailable(cluster));

    public Task<IReadOnlyList<PartnerZone>> ListZonesAsync(KafkaCluster cluster, CancellationToken cancellationToken) =>
        Task.FromException<IReadOnlyList<PartnerZone>>(Unavailable(cluster));

    public Task<IssuedCredential> IssueCredentialAsync(KafkaCluster cluster, PartnerZone zone, TimeSpan lifetime, CancellationToken cancellationToken) =>
        Task.FromException<IssuedCredential>(Unavailable(cluster));

    public Task<IReadOnlyList<CredentialInfo>> ListCredentialsAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken) =>
        Task.FromException<IReadOnlyList<CredentialInfo>>(Unavailable(cluster));

    public Task RevokeCredentialAsync(KafkaCluster cluster, PartnerZone zone, string credentialId, CancellationToken cancellationToken) =>
        Task.FromException(Unavailable(cluster));
}
