using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Tests.Admin;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.StateSharing;

/// <summary>Two gateway instances on one cluster share zones, accounts and credentials through the state
/// topic: what one instance is told, the other enforces within a second, and both restart from it.</summary>
public sealed class StateSharingTests : IAsyncLifetime
{
    private EmbeddedCluster _cluster = null!;
    private GatewayHost _a = null!;
    private GatewayHost _b = null!;
    private int _httpA;

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 2 });
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _cluster.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = "kafka-topic-a", NumPartitions = 2, ReplicationFactor = 1 }]);
        }

        (_a, _httpA) = await GatewayInstance.StartAsync(_cluster);
        (_b, _) = await GatewayInstance.StartAsync(_cluster);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Zone_created_through_A_admits_its_partner_on_B_within_a_second_and_revocation_on_A_cuts_B()
    {
        using var api = AdminApi.For(_httpA);
        await AdminApiTests.AccountAsync(api, "partner-one");
        var (status, _) = await api.PutAsync("/gateway/v2/partner-zone", AdminApiTests.Zone("zone-one", "partner-one", "WRITE"));
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        var (id, secret) = await api.IssueAsync("partner-one");

        // From the moment A answered, B admits the partner within a second.
        var clock = Stopwatch.StartNew();
        short code;
        do
        {
            using var probe = await KafkaWireClient.ConnectAsync(_b.BootstrapServers);
            code = (await probe.LoginPlainAsync("partner-one", secret)).ErrorCode;
        }
        while (code != 0 && clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(0, code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"B admitted the partner after {clock.ElapsedMilliseconds} ms");

        // A live consumer on B, and a bare session to time the cut precisely.
        using (var producer = new ProducerBuilder<Null, string>(Partner(_b, "partner-one", secret)).Build())
        {
            await producer.ProduceAsync("shared", new Message<Null, string> { Value = "before revocation" });
        }

        var errors = new List<Error>();
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig(Partner(_b, "partner-one", secret))
        {
            GroupId = "consumers",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            // Closing a consumer whose logins now fail waits out the session: keep it short.
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 1000,
        }).SetErrorHandler((_, e) => { lock (errors) { errors.Add(e); } }).Build();
        consumer.Subscribe("shared");
        var first = consumer.Consume(TimeSpan.FromSeconds(30));
        Assert.Equal("before revocation", first?.Message.Value);

        using var live = await KafkaWireClient.ConnectAsync(_b.BootstrapServers);
        Assert.Equal(0, (await live.LoginPlainAsync("partner-one", secret)).ErrorCode);
        Assert.Contains(_b.Runtime.Sessions.Sessions, s => s.CredentialId == id);

        await api.RevokeAsync(id);
        Assert.Empty(await live.WaitForCloseAsync(TimeSpan.FromSeconds(1))); // B closed the revoked session within a second
        Assert.DoesNotContain(_b.Runtime.Sessions.Sessions, s => s.CredentialId == id);

        // The consumer's connections were cut; reconnecting fails authentication.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !HasAuthError(errors))
        {
            consumer.Consume(TimeSpan.FromMilliseconds(200));
        }

        Assert.True(HasAuthError(errors), $"consumer errors: {string.Join("; ", errors.Select(e => $"{e.Code}: {e.Reason}"))}");
        consumer.Close();
    }

    [Fact]
    public async Task After_both_instances_restart_every_zone_and_credential_is_back_and_enforced()
    {
        using (var api = AdminApi.For(_httpA))
        {
            await AdminApiTests.AccountAsync(api, "partner-two");
            await api.PutAsync("/gateway/v2/partner-zone", AdminApiTests.Zone("zone-two", "partner-two", "READ", alias: "two"));
            await AdminApiTests.AccountAsync(api, "partner-three");
            await api.PutAsync("/gateway/v2/partner-zone", AdminApiTests.Zone("zone-three", "partner-three", "WRITE", alias: "three"));
        }

        string live, revoked, three;
        using (var api = AdminApi.For(_httpA))
        {
            (_, live) = await api.IssueAsync("partner-two");
            var (revokedId, revokedSecret) = await api.IssueAsync("partner-two");
            await api.RevokeAsync(revokedId);
            revoked = revokedSecret;
            (_, three) = await api.IssueAsync("partner-three");
        }

        await _a.DisposeAsync();
        await _b.DisposeAsync();
        int http;
        (_a, http) = await GatewayInstance.StartAsync(_cluster);
        (_b, _) = await GatewayInstance.StartAsync(_cluster);
        _httpA = http;

        foreach (var gateway in new[] { _a, _b })
        {
            Assert.Contains(gateway.Runtime.State.Zones, z => z.Metadata.Name == "zone-two");
            Assert.Contains(gateway.Runtime.State.Zones, z => z.Metadata.Name == "zone-three");
            using (var ok = await KafkaWireClient.ConnectAsync(gateway.BootstrapServers))
            {
                Assert.Equal(0, (await ok.LoginPlainAsync("partner-two", live)).ErrorCode);
            }

            using (var no = await KafkaWireClient.ConnectAsync(gateway.BootstrapServers))
            {
                Assert.Equal(58, (await no.LoginPlainAsync("partner-two", revoked)).ErrorCode);
            }

            using var admin = new AdminClientBuilder(Partner(gateway, "partner-three", three)).Build();
            Assert.Equal(["three"], admin.GetMetadata(TimeSpan.FromSeconds(20)).Topics.Select(t => t.Topic));
        }
    }

    [Fact]
    public async Task Records_that_are_not_resources_are_skipped_and_both_instances_keep_following()
    {
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers }).Build())
        {
            foreach (var (key, value) in new[]
            {
                ("PartnerZone/broken", "not json"),
                ("PartnerZone/null-metadata", "{\"metadata\": null, \"spec\": null}"),
                ("ServiceAccount/no-spec", "{\"metadata\": {\"name\": \"no-spec\"}, \"spec\": null}"),
                ("Unknown/thing", "{}"),
                ("Credential/c-x", "{\"metadata\": {\"name\": \"c-x\"}, \"spec\": {\"serviceAccount\": \"x\", \"secretHash\": \"plain\"}}"),
            })
            {
                await producer.ProduceAsync("__pz_gateway_state", new Message<string, string> { Key = key, Value = value });
            }
        }

        using var api = AdminApi.For(_httpA);
        await AdminApiTests.AccountAsync(api, "after-garbage");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && _b.Runtime.State.Account("after-garbage") is null)
        {
            await Task.Delay(50);
        }

        foreach (var gateway in new[] { _a, _b })
        {
            Assert.NotNull(gateway.Runtime.State.Account("after-garbage"));
            Assert.Null(gateway.Runtime.State.Zone("broken"));
            Assert.Null(gateway.Runtime.State.Account("no-spec"));
            Assert.Null(gateway.Runtime.State.Credential("c-x"));
        }
    }

    private static bool HasAuthError(List<Error> errors)
    {
        lock (errors)
        {
            return errors.Any(e => e.Code is ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Authentication);
        }
    }

    private static ClientConfig Partner(GatewayHost gateway, string user, string password) => new()
    {
        BootstrapServers = gateway.BootstrapServers,
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = SaslMechanism.Plain,
        SaslUsername = user,
        SaslPassword = password,
    };
}
