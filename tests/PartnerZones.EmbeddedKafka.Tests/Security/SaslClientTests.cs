using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka.Security;
using Mechanism = PartnerZones.EmbeddedKafka.Security.SaslMechanism;

namespace PartnerZones.EmbeddedKafka.Tests.Security;

/// <summary>Confluent.Kafka (librdkafka) against a SASL_PLAINTEXT cluster, for every mechanism.</summary>
public sealed class SaslClientTests
{
    private static readonly SaslUser[] Users =
    [
        new(Mechanism.Plain, "plain-user", "plain-secret"),
        new(Mechanism.ScramSha256, "scram256-user", "scram256-secret"),
        new(Mechanism.ScramSha512, "scram512-user", "scram512-secret"),
    ];

    private static T WithSasl<T>(T config, Mechanism mechanism, string? password = null)
        where T : ClientConfig
    {
        var user = Users.Single(u => u.Mechanism == mechanism);
        config.SecurityProtocol = SecurityProtocol.SaslPlaintext;
        config.SaslMechanism = mechanism switch
        {
            Mechanism.Plain => Confluent.Kafka.SaslMechanism.Plain,
            Mechanism.ScramSha256 => Confluent.Kafka.SaslMechanism.ScramSha256,
            _ => Confluent.Kafka.SaslMechanism.ScramSha512,
        };
        config.SaslUsername = user.Name;
        config.SaslPassword = password ?? user.Password;
        return config;
    }

    [Theory]
    [InlineData(Mechanism.Plain)]
    [InlineData(Mechanism.ScramSha256)]
    [InlineData(Mechanism.ScramSha512)]
    public async Task The_right_password_lets_admin_producer_and_consumer_work(Mechanism mechanism)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 2, SaslUsers = Users });
        var topic = $"sasl-{mechanism}".ToLowerInvariant();

        using (var admin = new AdminClientBuilder(WithSasl(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }, mechanism)).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 2, ReplicationFactor = 1 }]);
            var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(30));
            Assert.Equal(2, Assert.Single(metadata.Topics).Partitions.Count);
        }

        const int count = 50;
        using (var producer = new ProducerBuilder<string, string>(WithSasl(Clients.Producer(cluster), mechanism)).Build())
        {
            for (var i = 0; i < count; i++)
            {
                await producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
            }
        }

        using var consumer = new ConsumerBuilder<string, string>(WithSasl(Clients.Consumer(cluster, $"group-{topic}"), mechanism)).Build();
        consumer.Subscribe(topic);
        var received = Clients.ConsumeAtLeast(consumer, count, TimeSpan.FromSeconds(60));
        consumer.Close();

        Assert.Equal(Enumerable.Range(0, count).Select(i => $"v{i}").Order(), received.Select(r => r.Message.Value).Order());
    }

    [Theory]
    [InlineData(Mechanism.Plain)]
    [InlineData(Mechanism.ScramSha256)]
    [InlineData(Mechanism.ScramSha512)]
    public async Task A_wrong_password_fails_with_an_authentication_error(Mechanism mechanism)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { SaslUsers = Users });
        var errors = new List<Error>();
        var config = WithSasl(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }, mechanism, password: "not-the-password");
        using var admin = new AdminClientBuilder(config).SetErrorHandler((_, e) => { lock (errors) { errors.Add(e); } }).Build();

        Assert.ThrowsAny<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(5)));
        var failure = WaitForError(errors, e => e.Code is ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Authentication);

        Assert.NotNull(failure);
        Assert.Contains("Authentication failed", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_without_SASL_is_disconnected_and_gets_nothing()
    {
        var log = new List<string>();
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { SaslUsers = Users }, message => { lock (log) { log.Add(message); } });
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();

        Assert.ThrowsAny<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(5)));
        lock (log)
        {
            Assert.Contains(log, line => line.Contains("sent before SASL authentication completed", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_mechanism_the_cluster_does_not_offer_fails()
    {
        var plainOnly = Users.Where(u => u.Mechanism == Mechanism.Plain).ToArray();
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { SaslUsers = plainOnly });
        var errors = new List<Error>();
        var config = WithSasl(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }, Mechanism.ScramSha256);
        using var admin = new AdminClientBuilder(config).SetErrorHandler((_, e) => { lock (errors) { errors.Add(e); } }).Build();

        Assert.ThrowsAny<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(5)));
        var failure = WaitForError(errors, e => e.Reason.Contains("SCRAM-SHA-256", StringComparison.Ordinal));
        Assert.NotNull(failure);
    }

    private static Error? WaitForError(List<Error> errors, Func<Error, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            lock (errors)
            {
                if (errors.FirstOrDefault(match) is { } found)
                {
                    return found;
                }
            }

            Thread.Sleep(100);
        }

        lock (errors)
        {
            Assert.Fail("no matching client error within 30 s; got: " + string.Join(" | ", errors.Select(e => $"{e.Code}: {e.Reason}")));
        }

        return null;
    }
}
