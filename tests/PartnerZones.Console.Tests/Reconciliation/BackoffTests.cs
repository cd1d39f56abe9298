using System.Diagnostics;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Reconciliation;
using PartnerZones.ControlPlane.Tests.Api;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Tests.Reconciliation;

/// <summary>Back-off, narrowly: the schedule itself, and a reconciler over a gateway faked to fail, counting
/// how often it is called.</summary>
public sealed class BackoffTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-backoff-tests-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public void The_wait_doubles_from_the_minimum_to_the_cap()
    {
        var options = new ReconcilerOptions();
        Assert.Equal(
            [1, 2, 4, 8, 16, 30, 30],
            Enumerable.Range(1, 7).Select(n => options.Backoff(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(30), options.Backoff(int.MaxValue));
    }

    [Fact]
    public async Task Failing_calls_back_off_and_the_status_is_written_once()
    {
        var gateway = new CountingGateway { Failure = new GatewayAdminException("gateway admin API at http://gw:8888 (KafkaCluster/gw) is unreachable: Connection refused", retriable: true, failure: GatewayAdminFailure.Unreachable) };
        var pace = new ReconcilerOptions { Interval = TimeSpan.FromMilliseconds(50), MinBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromMilliseconds(800) };
        await using var console = await TestConsole.StartAsync(new StoreConfig { Sqlite = Path.Combine(_directory, "b.db") }, gateway, pace);
        var cluster = await Documents.CreateClusterAsync(console.Client);
        var zone = Documents.Unique("zone");
        await Documents.PutAsync(console.Client, "partner-zone", Documents.Zone(zone, cluster));

        var clock = Stopwatch.StartNew();
        while (gateway.Lists < 1 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        var start = gateway.Lists;
        await Task.Delay(TimeSpan.FromSeconds(3));
        var calls = gateway.Lists - start;
        // 200 + 400 + 800 + 800 ms of back-off fit in 3 s: about 5 calls, not the 60 a 50 ms pace would make.
        Assert.InRange(calls, 2, 8);
        Assert.Equal(0, gateway.Deploys);

        var metadata = (await Documents.GetJsonAsync(console.Client, $"{Documents.Base}/partner-zone/{zone}")).GetProperty("metadata");
        Assert.Equal("FAILED", metadata.GetProperty("status").GetString());
        Assert.Equal(gateway.Failure.Reason, metadata.GetProperty("failedReason").GetString());

        // Rejected credentials are not retried at all until the cluster changes.
        gateway.Failure = new GatewayAdminException("admin credentials rejected", retriable: false, failure: GatewayAdminFailure.CredentialsRejected);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        start = gateway.Lists;
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(0, gateway.Lists - start);
        Assert.Equal("admin credentials rejected", (await Documents.GetJsonAsync(console.Client, $"{Documents.Base}/partner-zone/{zone}")).GetProperty("metadata").GetProperty("failedReason").GetString());

        gateway.Failure = null;
        var changed = Documents.Cluster(cluster, "a-new-password");
        await Documents.PutAsync(console.Client, "kafka-cluster", changed);
        clock.Restart();
        while (gateway.Deploys == 0 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        // Deployed once, READY, and then left alone: later passes find it in sync.
        var ready = await WaitForReadyAsync(console, zone);
        Assert.Equal("READY", ready);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, gateway.Deploys);
    }

    private static async Task<string?> WaitForReadyAsync(TestConsole console, string zone)
    {
        var clock = Stopwatch.StartNew();
        string? status;
        do
        {
            status = (await Documents.GetJsonAsync(console.Client, $"{Documents.Base}/partner-zone/{zone}")).GetProperty("metadata").GetProperty("status").GetString();
            await Task.Delay(20);
        }
        while (status != "READY" && clock.Elapsed < TimeSpan.FromSeconds(60));

        return status;
    }

    /// <summary>Fails every call with <see cref="Failure"/> while it is set, otherwise holds what it was
    /// given like a gateway; counts calls.</summary>
    private sealed class CountingGateway : IGatewayAdmin
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PartnerZone> _zones = new();
        private GatewayAdminException? _failure;
        private int _lists;
        private int _deploys;

        public GatewayAdminException? Failure
        {
            get => Volatile.Read(ref _failure);
            set => Volatile.Write(ref _failure, value);
        }

        public int Lists => Volatile.Read(ref _lists);

        public int Deploys => Volatile.Read(ref _deploys);

        public Task DeployZoneAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _deploys);
            if (Failure is { } failure)
            {
                return Task.FromException(failure);
            }

            _zones[zone.Metadata.Name] = ManagedZones.ToGateway(zone);
            return Task.CompletedTask;
        }

        public Task RemoveZoneAsync(KafkaCluster cluster, string zoneName, CancellationToken cancellationToken)
        {
            _zones.TryRemove(zoneName, out _);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<PartnerZone>> ListZonesAsync(KafkaCluster cluster, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _lists);
            return Failure is { } failure ? Task.FromException<IReadOnlyList<PartnerZone>>(failure) : Task.FromResult<IReadOnlyList<PartnerZone>>([.. _zones.Values]);
        }

        public Task<IssuedCredential> IssueCredentialAsync(KafkaCluster cluster, PartnerZone zone, TimeSpan lifetime, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<CredentialInfo>> ListCredentialsAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task RevokeCredentialAsync(KafkaCluster cluster, PartnerZone zone, string credentialId, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
