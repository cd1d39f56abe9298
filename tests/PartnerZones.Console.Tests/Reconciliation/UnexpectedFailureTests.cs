using System.Diagnostics;
using System.Text.Json;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Reconciliation;
using PartnerZones.ControlPlane.Tests.Api;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Tests.Reconciliation;

/// <summary>
/// An exception the gateway client did not foresee (a bug, not a gateway failure) stays with the cluster or
/// the zone it came from: logged, shown as that resource's FAILED reason, and the pass goes on to every
/// other cluster and zone. The gateway is <see cref="FakeGatewayAdmin"/>, wrapped to throw for one cluster
/// and one zone.
/// </summary>
public sealed class UnexpectedFailureTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("pz-unexpected-tests-").FullName;
    private TestConsole _console = null!;

    public async Task InitializeAsync() =>
        _console = await TestConsole.StartAsync(new StoreConfig { Sqlite = Path.Combine(_directory, "c.db") }, new Throwing(new FakeGatewayAdmin()), GatewayUnderTest.Pace);

    public async Task DisposeAsync()
    {
        await _console.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task An_unexpected_exception_fails_only_its_cluster_or_zone()
    {
        // Clusters and zones are reconciled in name order: the broken ones come first.
        await ApplyAsync("kafka-cluster", Documents.Cluster("aa-broken"));
        await ApplyAsync("kafka-cluster", Documents.Cluster("zz-healthy"));
        await ApplyAsync("partner-zone", Documents.Zone("on-broken", "aa-broken"));
        await ApplyAsync("partner-zone", Documents.Zone("aa-broken-zone", "zz-healthy"));
        await ApplyAsync("partner-zone", Documents.Zone("zz-fine-zone", "zz-healthy"));

        await WaitForAsync("partner-zone", "zz-fine-zone", "READY");
        var cluster = await WaitForAsync("kafka-cluster", "aa-broken", "FAILED");
        Assert.Contains("KafkaCluster 'aa-broken': the console failed unexpectedly while deploying to its gateway (InvalidOperationException)", cluster);
        Assert.DoesNotContain("bug-detail", cluster);
        Assert.Equal(cluster, await WaitForAsync("partner-zone", "on-broken", "FAILED"));
        var zone = await WaitForAsync("partner-zone", "aa-broken-zone", "FAILED");
        Assert.Contains("PartnerZone 'aa-broken-zone' on KafkaCluster 'zz-healthy': the console failed unexpectedly while deploying it (NullReferenceException)", zone);
        await WaitForAsync("kafka-cluster", "zz-healthy", "READY");
    }

    private async Task ApplyAsync(string kindPath, System.Text.Json.Nodes.JsonObject document)
    {
        var (response, body) = await Documents.PutAsync(_console.Client, kindPath, document);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
    }

    /// <summary>Polls until the resource has <paramref name="status"/>; returns its failedReason ("" when none).</summary>
    private async Task<string> WaitForAsync(string kindPath, string name, string status)
    {
        var clock = Stopwatch.StartNew();
        JsonElement metadata;
        do
        {
            metadata = (await Documents.GetJsonAsync(_console.Client, $"{Documents.Base}/{kindPath}/{name}")).GetProperty("metadata");
            if (metadata.GetProperty("status").GetString() == status)
            {
                return metadata.TryGetProperty("failedReason", out var reason) ? reason.GetString()! : "";
            }

            await Task.Delay(50);
        }
        while (clock.Elapsed < Patience);

        Assert.Fail($"{kindPath} {name} is not {status} after {Patience.TotalSeconds} s: {metadata}");
        return "";
    }

    /// <summary>Throws what a bug would for cluster 'aa-broken' and for zone 'aa-broken-zone'.</summary>
    private sealed class Throwing(IGatewayAdmin inner) : IGatewayAdmin
    {
        public Task DeployZoneAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken) =>
            zone.Metadata.Name == "aa-broken-zone" ? throw new NullReferenceException("bug-detail") : inner.DeployZoneAsync(cluster, zone, cancellationToken);

        public Task RemoveZoneAsync(KafkaCluster cluster, string zoneName, CancellationToken cancellationToken) => inner.RemoveZoneAsync(cluster, zoneName, cancellationToken);

        public Task<IReadOnlyList<PartnerZone>> ListZonesAsync(KafkaCluster cluster, CancellationToken cancellationToken) =>
            cluster.Metadata.Name == "aa-broken" ? throw new InvalidOperationException("bug-detail") : inner.ListZonesAsync(cluster, cancellationToken);

        public Task<IssuedCredential> IssueCredentialAsync(KafkaCluster cluster, PartnerZone zone, TimeSpan lifetime, CancellationToken cancellationToken) =>
            inner.IssueCredentialAsync(cluster, zone, lifetime, cancellationToken);

        public Task<IReadOnlyList<CredentialInfo>> ListCredentialsAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken) =>
            inner.ListCredentialsAsync(cluster, zone, cancellationToken);

        public Task RevokeCredentialAsync(KafkaCluster cluster, PartnerZone zone, string credentialId, CancellationToken cancellationToken) =>
            inner.RevokeCredentialAsync(cluster, zone, credentialId, cancellationToken);
    }
}
