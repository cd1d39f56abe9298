using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// In front of an upstream that serves the KIP-848 consumer group protocol (Kafka 4), the gateway offers
/// ConsumerGroupDescribe to every principal, and librdkafka's DescribeConsumerGroups asks it first. A
/// partner's groups are classic ones, so the gateway answers as Kafka does for such a group and the client
/// describes it with DescribeGroups: the partner sees its group, members and all.
/// </summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class PartnerGroupDescriptionTests
{
    [Fact]
    public async Task A_partner_describes_its_classic_group_in_front_of_an_upstream_with_the_consumer_group_protocol()
    {
        await using var gateway = await GatewayFixture.StartAsync(1, cluster: o => o with { ConsumerGroupProtocol = true });
        ReferenceClient.Produce(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "described", 10);
        const string Group = "described-group";
        var config = gateway.Partner();
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig(config) { GroupId = Group, AutoOffsetReset = AutoOffsetReset.Earliest }).Build();
        consumer.Subscribe(ZoneExpectations.WriteAlias);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (consumer.Assignment.Count == 0 && DateTime.UtcNow < deadline)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(250));
        }

        Assert.NotEmpty(consumer.Assignment);
        using var admin = new AdminClientBuilder(new AdminClientConfig(config)).Build();
        var described = Assert.Single((await admin.DescribeConsumerGroupsAsync([Group], new DescribeConsumerGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(30) })).ConsumerGroupDescriptions);

        Assert.Equal(Group, described.GroupId);
        Assert.Equal(ErrorCode.NoError, described.Error.Code);
        Assert.Equal(ConsumerGroupState.Stable, described.State);
        var member = Assert.Single(described.Members);
        Assert.All(member.Assignment.TopicPartitions, tp => Assert.Equal(ZoneExpectations.WriteAlias, tp.Topic));
        consumer.Close();
    }
}
