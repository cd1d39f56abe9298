using PartnerZones.Testing.KafkaWire;
using PartnerZones.Gateway.Policy;
using PartnerZones.Gateway.Routing.Zone;
using PartnerZones.Gateway.Tests.Security;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Tests.Routing;

/// <summary>
/// OffsetCommit and OffsetFetch v10 name topics by id. A partner knows only the virtual ids of its
/// aliases (Metadata gives them); the gateway commits and fetches under the backing topic's real id,
/// each alias where it keeps its offsets (topic-a in the partner's group, topic-b, a second alias of the
/// same backing topic, in its shadow group), and answers with the virtual ids again. Ids outside the
/// zone are UNKNOWN_TOPIC_ID.
/// </summary>
public sealed class TopicIdOffsetsTests : IAsyncLifetime
{
    private const string Group = "by-id-grp";
    private const short UnknownTopicId = 100;
    private GatewayFixture _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayFixture.StartAsync(1);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Offsets_committed_by_virtual_id_come_back_by_virtual_id_and_land_where_each_alias_keeps_them()
    {
        await using var client = await KafkaWireClient.ConnectAsync(_gateway.Gateway.BootstrapServers);
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        var metadata = await client.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);
        var ids = metadata.Topics.ToDictionary(t => t.Name!, t => t.TopicId);
        var (topicA, topicB, stranger) = (ids["topic-a"], ids["topic-b"], Guid.NewGuid());

        var committed = await client.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = Group,
            GenerationIdOrMemberEpoch = -1,
            MemberId = "",
            Topics = [Commit(topicA, (0, 5), (1, 6)), Commit(topicB, (0, 7)), Commit(stranger, (0, 1))],
        }, 10);

        Assert.Equal([topicA, topicB, stranger], committed.Topics.Select(t => t.TopicId));
        Assert.Equal([0, 0, 0, UnknownTopicId], committed.Topics.SelectMany(t => t.Partitions).Select(p => (int)p.ErrorCode));

        var fetched = Assert.Single((await client.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            Groups = [new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = Group, Topics = [Fetch(topicA, 0, 1), Fetch(topicB, 0, 1), Fetch(stranger, 0)] }],
        }, 10)).Groups);
        Assert.Equal(0, fetched.ErrorCode);
        Assert.Equal([topicA, topicB, stranger], fetched.Topics.Select(t => t.TopicId));
        Assert.Equal([(5L, 0), (6L, 0), (7L, 0), (-1L, 0), (-1L, (int)UnknownTopicId)], fetched.Topics.SelectMany(t => t.Partitions).Select(p => (p.CommittedOffset, (int)p.ErrorCode)));

        // Every topic of the group: both aliases, each by its virtual id, each with its own offsets.
        var everything = Assert.Single((await client.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            Groups = [new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = Group, Topics = null }],
        }, 10)).Groups);
        Assert.Equal([topicA, topicB], everything.Topics.Select(t => t.TopicId));
        Assert.Equal([5L, 6L], everything.Topics[0].Partitions.Select(p => p.CommittedOffset));
        Assert.Equal([7L], everything.Topics[1].Partitions.Select(p => p.CommittedOffset));

        // The same offsets by name (v9), and upstream under the backing topic's name in the two groups.
        var byName = Assert.Single((await client.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            Groups = [new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = Group, Topics = null }],
        }, 9)).Groups);
        Assert.Equal([("topic-a", 0, 5L), ("topic-a", 1, 6L), ("topic-b", 0, 7L)], byName.Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex, p.CommittedOffset))));

        var zone = new ZonePolicy(Assert.Single(Resources.PartnerZoneReader.ReadAll(GatewayFixture.ExampleZone, "example")));
        var primary = await Testing.ProcessClients.ReferenceClient.CommittedAsync(_gateway.UpstreamEndpoint, zone.Namespaced(Group), GatewayFixture.BackingTopic);
        var shadow = await Testing.ProcessClients.ReferenceClient.CommittedAsync(_gateway.UpstreamEndpoint, AliasOffsets.ShadowGroup(zone, zone.ByAlias["topic-b"], Group), GatewayFixture.BackingTopic);
        Assert.Equal((5, 6), (primary[0], primary[1]));
        Assert.Equal(7, shadow[0]);
    }

    /// <summary>A client that learned the virtual id from another gateway instance (or before a restart)
    /// commits by id before any Metadata passed through this one: the backing topic's real id is looked up.</summary>
    [Fact]
    public async Task A_virtual_id_is_served_before_this_gateway_has_seen_any_metadata()
    {
        await using var client = await KafkaWireClient.ConnectAsync(_gateway.Gateway.BootstrapServers);
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        var topicA = ZonePolicy.VirtualIdFor(GatewayFixture.ZoneName, "topic-a");

        var committed = await client.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = Group,
            GenerationIdOrMemberEpoch = -1,
            MemberId = "",
            Topics = [Commit(topicA, (2, 9))],
        }, 10);

        Assert.Equal(0, Assert.Single(Assert.Single(committed.Topics).Partitions).ErrorCode);
        var fetched = Assert.Single((await client.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            Groups = [new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = Group, Topics = [Fetch(topicA, 2)] }],
        }, 10)).Groups);
        Assert.Equal(9, Assert.Single(Assert.Single(fetched.Topics).Partitions).CommittedOffset);
    }

    private static OffsetCommitRequest.OffsetCommitRequestTopic Commit(Guid id, params (int Partition, long Offset)[] offsets) => new()
    {
        TopicId = id,
        Partitions = [.. offsets.Select(o => new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = o.Partition, CommittedOffset = o.Offset, CommittedMetadata = "" })],
    };

    private static OffsetFetchRequest.OffsetFetchRequestTopics Fetch(Guid id, params int[] partitions) => new() { TopicId = id, PartitionIndexes = [.. partitions] };
}
