using System.Diagnostics;
using System.Globalization;
using System.Net;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Tests.Admin;
using PartnerZones.Gateway.Tests.StateSharing;
using PartnerZones.Testing;
using Xunit.Abstractions;

namespace PartnerZones.Gateway.Tests.Faults;

/// <summary>
/// The gateway's state writer recovers by itself when the backing cluster stops accepting its producer.
/// The cluster is restarted from a copy of its data directory taken a few writes earlier (a restore from
/// backup, or a tail lost in a crash): the broker remembers the gateway's producer at an older sequence
/// and answers its next write OUT_OF_ORDER_SEQUENCE_NUMBER, which librdkafka treats as fatal. Before,
/// every later admin write answered 503 for good; now the writer replaces its producer, the write goes
/// through, the failure is counted, and readiness reports the writer while it cannot write.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class StateWriterRecoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Admin_writes_work_again_after_the_cluster_comes_back_from_older_data()
    {
        var live = Directory.CreateTempSubdirectory("pz-state-live-").FullName;
        var backup = Directory.CreateTempSubdirectory("pz-state-backup-").FullName;
        var clusterPort = LoopbackPorts.FreeRange(1);
        var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { BasePort = clusterPort, DataDir = live });
        try
        {
            var (gateway, httpPort) = await GatewayInstance.StartAsync(cluster);
            await using var running = gateway;
            using var api = AdminApi.For(httpPort);

            await AdminApiTests.AccountAsync(api, "first");
            Copy(live, backup);
            await AdminApiTests.AccountAsync(api, "second");
            await AdminApiTests.AccountAsync(api, "third");

            await cluster.DisposeAsync();
            cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { BasePort = clusterPort, DataDir = backup });

            // Writes reach the restored cluster through a new producer, within the recovery time each. The
            // fatal error may hit the state write or the audit record that follows it, so several writes.
            foreach (var name in new[] { "after-restore", "after-restore-2", "after-restore-3" })
            {
                var clock = Stopwatch.StartNew();
                HttpStatusCode status;
                do
                {
                    (status, var body) = await api.PutAsync("/gateway/v2/service-account", Account(name));
                    output.WriteLine($"{name} {clock.Elapsed}: {(int)status} {body?.ToJsonString()}");
                    if (status != HttpStatusCode.OK)
                    {
                        await Task.Delay(1000);
                    }
                }
                while (status != HttpStatusCode.OK && clock.Elapsed < Recovery);

                Assert.Equal(HttpStatusCode.OK, status);
                var (read, account) = await api.GetAsync($"/gateway/v2/service-account/{name}");
                Assert.Equal(HttpStatusCode.OK, read);
                Assert.Equal(name, account!["metadata"]!["name"]!.GetValue<string>());
            }

            // The writer said what happened: counted, and readiness is back once a write went through.
            var metrics = (await RawHttp.SendAsync(httpPort, "GET", "/metrics")).Body;
            var failures = metrics.Split('\n').Single(l => l.StartsWith("pz_gateway_state_write_failures_total ", StringComparison.Ordinal));
            output.WriteLine(failures);
            Assert.True(long.Parse(failures.Split(' ')[^1], CultureInfo.InvariantCulture) >= 1, "the replaced producer was not counted");
            Assert.Equal(200, (await RawHttp.SendAsync(httpPort, "GET", "/health/ready")).Status);
        }
        finally
        {
            await cluster.DisposeAsync();
            Directory.Delete(live, recursive: true);
            Directory.Delete(backup, recursive: true);
        }
    }

    /// <summary>The state topic kept in a cluster of its own (spec.state.cluster) that stops while the
    /// partners' cluster stays up: readiness reports the state writer until a write goes through again.</summary>
    [Fact]
    public async Task Readiness_reports_a_state_writer_that_cannot_write_until_it_can()
    {
        var stateData = Directory.CreateTempSubdirectory("pz-state-cluster-").FullName;
        var stateOptions = new ClusterOptions { BasePort = LoopbackPorts.FreeRange(1), DataDir = stateData };
        await using var upstream = await EmbeddedCluster.StartAsync(new ClusterOptions());
        var stateCluster = await EmbeddedCluster.StartAsync(stateOptions);
        try
        {
            var (gateway, httpPort) = await GatewayInstance.StartAsync(upstream, adjust: spec => spec with
            {
                State = new StateConfig { Cluster = new UpstreamConfig { BootstrapServers = stateCluster.BootstrapServers } },
            });
            await using var running = gateway;
            using var api = AdminApi.For(httpPort);
            await AdminApiTests.AccountAsync(api, "first");
            Assert.Equal(200, (await RawHttp.SendAsync(httpPort, "GET", "/health/ready")).Status);

            await stateCluster.DisposeAsync();
            var (status, _) = await api.PutAsync("/gateway/v2/service-account", Account("while-down"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            var ready = await RawHttp.SendAsync(httpPort, "GET", "/health/ready");
            output.WriteLine(ready.Body);
            Assert.Equal(503, ready.Status);
            Assert.Contains("state writer cannot write", ready.Body, StringComparison.Ordinal);

            // Once its cluster is back, readiness recovers by itself, without waiting for the next write.
            stateCluster = await EmbeddedCluster.StartAsync(stateOptions);
            var clock = Stopwatch.StartNew();
            while ((await RawHttp.SendAsync(httpPort, "GET", "/health/ready")).Status != 200)
            {
                Assert.True(clock.Elapsed < Recovery, "readiness did not recover after the state cluster came back");
                await Task.Delay(500);
            }

            while ((await api.PutAsync("/gateway/v2/service-account", Account("after"))).Status != HttpStatusCode.OK)
            {
                Assert.True(clock.Elapsed < Recovery, "the state writer did not write again after its cluster came back");
                await Task.Delay(500);
            }
        }
        finally
        {
            await stateCluster.DisposeAsync();
            Directory.Delete(stateData, recursive: true);
        }
    }

    private static string Account(string name) =>
        $$$"""{"metadata": {"name": "{{{name}}}"}, "spec": {"type": "PARTNER", "saslMechanisms": ["PLAIN"]}}""";

    /// <summary>The data directory as a backup tool would copy it while the cluster runs (without its lock).</summary>
    private static void Copy(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) != ".lock")
            {
                File.Copy(file, file.Replace(from, to, StringComparison.Ordinal), overwrite: true);
            }
        }
    }
}
