using PartnerZones.Testing.KafkaWire;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>
/// APIs of newer Kafka that the embedded cluster does not serve, in front of an upstream that advertises
/// them (<see cref="ScriptedGatewayFixture"/>): offered before login, so served to the partner after it.
/// DescribeTopicPartitions shows the zone's aliases as Metadata does, paged in alias terms. (The KIP-848
/// consumer group APIs, which the embedded cluster serves, are proven in front of it: ConsumerProtocol*Tests.)
/// </summary>
public sealed class NewerKafkaApiTests(ScriptedGatewayFixture fixture) : IClassFixture<ScriptedGatewayFixture>
{
    private const short UnknownTopicOrPartition = 3;

    [Fact]
    public async Task DescribeTopicPartitions_lists_the_aliases_with_their_virtual_ids_page_by_page()
    {
        await using var client = await PartnerAsync();
        var offer = (await client.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 3)).ApiKeys.Select(k => k.ApiKey);
        Assert.Contains(DescribeTopicPartitionsRequest.Key, offer);
        var virtualIds = (await client.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12)).Topics.ToDictionary(t => t.Name!, t => t.TopicId);

        // One partition per answer: topic-a's only partition, then a cursor at topic-b.
        var first = await client.SendAsync<DescribeTopicPartitionsResponse>(new DescribeTopicPartitionsRequest { ResponsePartitionLimit = 1 }, 0);
        var a = Assert.Single(first.Topics);
        Assert.Equal(("topic-a", virtualIds["topic-a"], 0), (a.Name, a.TopicId, (int)a.ErrorCode));
        Assert.Equal([0], a.Partitions.Select(p => p.PartitionIndex));
        Assert.Equal(int.MinValue, a.TopicAuthorizedOperations);
        Assert.Equal(("topic-b", 0), (first.NextCursor?.TopicName, first.NextCursor?.PartitionIndex));

        var second = await client.SendAsync<DescribeTopicPartitionsResponse>(new DescribeTopicPartitionsRequest { ResponsePartitionLimit = 1, Cursor = first.NextCursor }, 0);
        var b = Assert.Single(second.Topics);
        Assert.Equal(("topic-b", virtualIds["topic-b"]), (b.Name, b.TopicId));
        Assert.Null(second.NextCursor);

        // Named topics, in name order; the backing topic does not exist for the partner.
        var named = await client.SendAsync<DescribeTopicPartitionsResponse>(new DescribeTopicPartitionsRequest
        {
            Topics = [new() { Name = "topic-b" }, new() { Name = ScriptedGatewayFixture.BackingTopic }, new() { Name = "topic-a" }],
        }, 0);
        Assert.Equal([ScriptedGatewayFixture.BackingTopic, "topic-a", "topic-b"], named.Topics.Select(t => t.Name));
        Assert.Equal([UnknownTopicOrPartition, 0, 0], named.Topics.Select(t => t.ErrorCode));
        Assert.Equal(Guid.Empty, named.Topics[0].TopicId);
        Assert.DoesNotContain(named.Topics, t => t.TopicId == ScriptedGatewayFixture.TopicId);
    }

    private async Task<KafkaWireClient> PartnerAsync()
    {
        var client = await KafkaWireClient.ConnectAsync(fixture.Bootstrap);
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        return client;
    }
}
