using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>
/// A partner's Confluent.Kafka admin client against its own aliases, on one upstream node and on three:
/// creating, deleting and growing topics and deleting records are refused with TOPIC_AUTHORIZATION_FAILED,
/// and the backing topic keeps its partitions and records. (The generated isolation rows send these for
/// names outside the zone; here the partner names topics it may otherwise use.)
/// </summary>
[Collection(VerificationCollection.Name)]
public sealed class PartnerRefusalTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Topic_administration_on_the_zones_own_aliases_is_a_topic_authorization_error(int nodes)
    {
        await using var gateway = await TwoZoneGateway.StartAsync(nodes, autoCreateTopics: false, createBackingTopic: true);
        ReferenceClient.Produce(gateway.Upstream, GatewayFixture.BackingTopic, "kept", 12);

        using (var partner = new AdminClientBuilder(gateway.Partner.Config<AdminClientConfig>()).Build())
        {
            var create = await Assert.ThrowsAsync<CreateTopicsException>(() => partner.CreateTopicsAsync(
                [new TopicSpecification { Name = "topic-c", NumPartitions = 1, ReplicationFactor = 1 }, new TopicSpecification { Name = "topic-a", NumPartitions = 1, ReplicationFactor = 1 }],
                new CreateTopicsOptions { RequestTimeout = Timeout }));
            Assert.All(create.Results, r => Assert.Equal(ErrorCode.TopicAuthorizationFailed, r.Error.Code));

            var grow = await Assert.ThrowsAsync<CreatePartitionsException>(() => partner.CreatePartitionsAsync(
                [new PartitionsSpecification { Topic = "topic-a", IncreaseTo = 6 }, new PartitionsSpecification { Topic = "topic-b", IncreaseTo = 6 }],
                new CreatePartitionsOptions { RequestTimeout = Timeout }));
            Assert.All(grow.Results, r => Assert.Equal(ErrorCode.TopicAuthorizationFailed, r.Error.Code));

            var deleteRecords = await Assert.ThrowsAsync<DeleteRecordsException>(() => partner.DeleteRecordsAsync(
                [.. Enumerable.Range(0, GatewayFixture.BackingPartitions).SelectMany(p => new[] { new TopicPartitionOffset("topic-a", p, Offset.End), new TopicPartitionOffset("topic-b", p, Offset.End) })],
                new DeleteRecordsOptions { RequestTimeout = Timeout }));
            Assert.All(deleteRecords.Results, r => Assert.Equal(ErrorCode.TopicAuthorizationFailed, r.Error.Code));

            var delete = await Assert.ThrowsAsync<DeleteTopicsException>(() => partner.DeleteTopicsAsync(["topic-a", "topic-b"], new DeleteTopicsOptions { RequestTimeout = Timeout }));
            Assert.All(delete.Results, r => Assert.Equal(ErrorCode.TopicAuthorizationFailed, r.Error.Code));
        }

        Assert.Equal([GatewayFixture.BackingTopic], gateway.UpstreamTopics());
        Assert.Equal(GatewayFixture.BackingPartitions, ReferenceClient.Leaders(gateway.Upstream, GatewayFixture.BackingTopic).Count);
        Assert.Equal(12, ReferenceClient.ReadAll(gateway.Upstream, GatewayFixture.BackingTopic).Count);
    }
}
