using System.Collections.Concurrent;
using PartnerZones.ControlPlane.Reconciliation;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Tests.Api;

/// <summary>A gateway admin API in memory: issues credentials per zone, records what it was asked, and can be
/// told to fail the way an unreachable gateway does.</summary>
internal sealed class FakeGatewayAdmin : IGatewayAdmin
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, CredentialInfo>> _credentials = new();

    /// <summary>When set, every call fails with this reason.</summary>
    public string? FailWith { get; set; }

    public ConcurrentQueue<(string Cluster, string Zone, string Password, TimeSpan Lifetime)> Issued { get; } = new();

    public Task DeployZoneAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken) => Check();

    public Task RemoveZoneAsync(KafkaCluster cluster, string zoneName, CancellationToken cancellationToken) => Check();

    public async Task<IReadOnlyList<PartnerZone>> ListZonesAsync(KafkaCluster cluster, CancellationToken cancellationToken)
    {
        await Check();
        return [];
    }

    public async Task<IssuedCredential> IssueCredentialAsync(KafkaCluster cluster, PartnerZone zone, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        await Check();
        Assert.False(string.IsNullOrEmpty(cluster.Spec.AdminApi.Password), "the console must give the gateway client the admin password");
        var id = Guid.NewGuid().ToString();
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var now = DateTimeOffset.UtcNow;
        _credentials.GetOrAdd(zone.Metadata.Name, _ => new())[id] = new CredentialInfo(id, zone.Spec.EffectiveServiceAccount!, now, now + lifetime);
        Issued.Enqueue((cluster.Metadata.Name, zone.Metadata.Name, password, lifetime));
        return new IssuedCredential(id, zone.Spec.EffectiveServiceAccount!, password, now + lifetime);
    }

    public async Task<IReadOnlyList<CredentialInfo>> ListCredentialsAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken)
    {
        await Check();
        return _credentials.TryGetValue(zone.Metadata.Name, out var credentials) ? [.. credentials.Values.OrderBy(c => c.CreatedAt)] : [];
    }

    public async Task RevokeCredentialAsync(KafkaCluster cluster, PartnerZone zone, string credentialId, CancellationToken cancellationToken)
    {
        await Check();
        if (!_credentials.TryGetValue(zone.Metadata.Name, out var credentials) || !credentials.TryRemove(credentialId, out _))
        {
            throw new GatewayAdminException($"gateway {cluster.Spec.AdminApi.Url}: no credential '{credentialId}' for zone '{zone.Metadata.Name}'", retriable: false);
        }
    }

    private Task Check() =>
        FailWith is { } reason ? Task.FromException(new GatewayAdminException(reason, retriable: true)) : Task.CompletedTask;
}
