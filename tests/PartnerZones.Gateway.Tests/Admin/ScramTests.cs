using Confluent.Kafka;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>SCRAM-SHA-256/512 for partners, terminated at the gateway, with real clients.</summary>
public sealed class ScramTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Mechanisms = "\"PLAIN\", \"SCRAM-SHA-256\", \"SCRAM-SHA-512\"";

    [Theory]
    [InlineData(SaslMechanism.ScramSha256)]
    [InlineData(SaslMechanism.ScramSha512)]
    public async Task Confluent_Kafka_logs_in_with_SCRAM_and_sees_its_zone(SaslMechanism mechanism)
    {
        using var api = AdminApi.For(fixture.HttpPort);
        var failuresBefore = fixture.Gateway.Runtime.Metrics.AuthenticationFailures;
        var account = $"scram-{(int)mechanism}";
        await AdminApiTests.AccountAsync(api, account, Mechanisms);
        await api.PutAsync("/gateway/v2/partner-zone", AdminApiTests.Zone($"{account}-zone", account, "WRITE", alias: "scram-topic"));
        var (_, secret) = await api.IssueAsync(account);

        using (var producer = new ProducerBuilder<Null, string>(Config(account, secret, mechanism)).Build())
        {
            var delivered = await producer.ProduceAsync("scram-topic", new Message<Null, string> { Value = "over scram" });
            Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        }

        using var admin = new AdminClientBuilder(Config(account, "wrong-secret", mechanism)).Build();
        var error = Assert.ThrowsAny<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(5)));
        Assert.Contains(error.Error.Code, new[] { ErrorCode.SaslAuthenticationFailed, ErrorCode.Local_Authentication, ErrorCode.Local_Transport, ErrorCode.Local_AllBrokersDown, ErrorCode.Local_TimedOut });
        Assert.True(fixture.Gateway.Runtime.Metrics.AuthenticationFailures > failuresBefore);
    }

    [Fact]
    public async Task Kcat_logs_in_with_SCRAM_SHA_512_and_two_live_credentials_both_work()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        await AdminApiTests.AccountAsync(api, "kcat-scram", Mechanisms);
        await api.PutAsync("/gateway/v2/partner-zone", AdminApiTests.Zone("kcat-scram-zone", "kcat-scram", "WRITE", alias: "kcat-topic"));
        var (_, first) = await api.IssueAsync("kcat-scram");
        var (_, second) = await api.IssueAsync("kcat-scram");

        var audit = new System.Collections.Concurrent.ConcurrentQueue<string>();
        fixture.Gateway.Runtime.Audit.Emitting += e => audit.Enqueue($"{e.Action} {e.Outcome} {e.User} {e.Mechanism} {e.Detail}");
        foreach (var secret in new[] { first, second })
        {
            var (exit, output, error) = await Kcat.RunAsync(null, [.. Kcat.Sasl(fixture.Gateway.BootstrapServers, "SCRAM-SHA-512", "kcat-scram", secret), "-L", "-J"]);
            Assert.True(exit == 0, $"kcat failed: {error}\naudit: {string.Join("\n", audit)}");
            Assert.Contains("\"topic\":\"kcat-topic\"", output);
            Assert.DoesNotContain("kafka-topic-a", output);
        }

        var (produced, _, produceError) = await Kcat.RunAsync("hello over scram\n", [.. Kcat.Sasl(fixture.Gateway.BootstrapServers, "SCRAM-SHA-256", "kcat-scram", second), "-P", "-t", "kcat-topic"]);
        Assert.True(produced == 0, produceError);

        var (refused, _, refusedError) = await Kcat.RunAsync(null, [.. Kcat.Sasl(fixture.Gateway.BootstrapServers, "SCRAM-SHA-512", "kcat-scram", "not-a-secret"), "-L", "-m", "5"]);
        Assert.NotEqual(0, refused);
        Assert.Contains("Authentication failed", refusedError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_account_without_SCRAM_or_an_unknown_user_cannot_log_in_with_SCRAM()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        var (_, plainOnly) = await api.IssueAsync("johndoe");
        using (var admin = new AdminClientBuilder(Config("johndoe", plainOnly, SaslMechanism.ScramSha256)).Build())
        {
            Assert.ThrowsAny<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(5)));
        }

        using (var admin = new AdminClientBuilder(Config("johndoe", plainOnly, SaslMechanism.Plain)).Build())
        {
            Assert.Equal(2, admin.GetMetadata(TimeSpan.FromSeconds(20)).Topics.Count);
        }

        using var nobody = new AdminClientBuilder(Config("nobody-at-all", "whatever-secret", SaslMechanism.ScramSha512)).Build();
        Assert.ThrowsAny<KafkaException>(() => nobody.GetMetadata(TimeSpan.FromSeconds(5)));
    }

    private ClientConfig Config(string user, string password, SaslMechanism mechanism) => new()
    {
        BootstrapServers = fixture.Gateway.BootstrapServers,
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = mechanism,
        SaslUsername = user,
        SaslPassword = password,
    };
}
