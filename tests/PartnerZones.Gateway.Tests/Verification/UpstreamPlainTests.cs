using Confluent.Kafka;
using PartnerZones.EmbeddedKafka;
using PartnerZones.EmbeddedKafka.Security;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Tests.StateSharing;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>
/// The gateway's own login to the upstream with SASL PLAIN (SCRAM and TLS have their tests in
/// StateSharing/UpstreamSecurityTests): a cluster that accepts only the gateway's PLAIN credentials
/// serves partners through it, for the data path and the state topic alike, and wrong credentials stop
/// the gateway at start-up with an error that names the account.
/// </summary>
[Collection(VerificationCollection.Name)]
public sealed class UpstreamPlainTests
{
    private const string GatewayPassword = "gateway-upstream-plain-password";

    [Fact]
    public async Task The_gateway_logs_in_to_the_cluster_with_PLAIN_and_partners_produce_and_consume_through_it()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { SaslUsers = [new SaslUser(PartnerZones.EmbeddedKafka.Security.SaslMechanism.Plain, "gateway", GatewayPassword)] });
        var direct = new KafkaEndpoint(cluster.BootstrapServers, new SaslPlain("gateway", GatewayPassword));
        await ReferenceClient.CreateTopicAsync(direct, GatewayFixture.BackingTopic, GatewayFixture.BackingPartitions);

        // Without credentials the cluster serves nobody: the gateway's access is its login.
        using (var anonymous = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            Assert.ThrowsAny<KafkaException>(() => anonymous.GetMetadata(TimeSpan.FromSeconds(5)));
        }

        var upstream = new UpstreamConfig { BootstrapServers = cluster.BootstrapServers, SecurityProtocol = "SASL_PLAINTEXT", SaslMechanism = "PLAIN", Username = "gateway", Password = GatewayPassword };
        var (gateway, _) = await GatewayInstance.StartAsync(cluster, TwoZoneGateway.State(), spec => spec with { Upstream = upstream });
        await using (gateway)
        {
            var partner = new KafkaEndpoint(gateway.BootstrapServers, new SaslPlain("johndoe", GatewayFixture.PartnerSecret));
            var config = partner.Config<ProducerConfig>();
            config.Acks = Acks.All;
            using (var producer = new ProducerBuilder<string, string>(config).Build())
            {
                for (var i = 0; i < 10; i++)
                {
                    Assert.Equal(PersistenceStatus.Persisted, (await producer.ProduceAsync("topic-a", new Message<string, string> { Key = $"k{i}", Value = $"plain-{i}" })).Status);
                }
            }

            Assert.Equal(10, ReferenceClient.ReadAll(direct, GatewayFixture.BackingTopic).Count(r => r.Value.StartsWith("plain-", StringComparison.Ordinal)));
            var consumerConfig = partner.Config<ConsumerConfig>();
            consumerConfig.GroupId = "plain-readers";
            consumerConfig.AutoOffsetReset = AutoOffsetReset.Earliest;
            consumerConfig.SessionTimeoutMs = 6000;
            using var consumer = new ConsumerBuilder<string, string>(consumerConfig).Build();
            consumer.Subscribe("topic-b");
            var received = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (received < 10 && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false })
                {
                    received++;
                }
            }

            consumer.Close();
            Assert.Equal(10, received);
        }

        var wrong = upstream with { Password = "not-the-password" };
        var error = await Assert.ThrowsAsync<UpstreamException>(() => GatewayInstance.StartAsync(cluster, TwoZoneGateway.State(), spec => spec with { Upstream = wrong }));
        Assert.Contains("'gateway'", error.Message, StringComparison.Ordinal);
    }
}
