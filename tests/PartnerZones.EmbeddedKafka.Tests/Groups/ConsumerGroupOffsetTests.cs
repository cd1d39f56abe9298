using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;
using static PartnerZones.EmbeddedKafka.Tests.Groups.ConsumerGroupWire;

namespace PartnerZones.EmbeddedKafka.Tests.Groups;

/// <summary>OffsetCommit v9+ and OffsetFetch v9+ from members of a consumer-protocol group: the member epoch
/// stands where the classic generation stood.</summary>
public sealed class ConsumerGroupOffsetTests
{
    private const short UnknownMemberId = 25;
    private const short UnsupportedVersion = 35;
    private const short StaleMemberEpoch = 113;

    [Fact]
    public async Task A_member_commits_and_fetches_at_its_epoch_and_an_older_epoch_is_stale()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "t", 2);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var a = await AckAsync(raw, "g", await JoinAsync(raw, "g", "a", ["t"]));
        var b = await JoinAsync(raw, "g", "b", ["t"]);
        a = await AckAsync(raw, "g", await AckAsync(raw, "g", a)); // a gave a partition up and moved to the new epoch
        var oldEpoch = a.MemberEpoch - 1;
        var topicId = (await raw.SendAsync<MetadataResponse>(new MetadataRequest { Topics = [new() { Name = "t" }] }, 12)).Topics[0].TopicId;

        Assert.Equal(0, await CommitAsync(raw, "a", a.MemberEpoch, 9));
        Assert.Equal(0, await CommitAsync(raw, "a", a.MemberEpoch, 10, topicId));
        Assert.Equal(StaleMemberEpoch, await CommitAsync(raw, "a", oldEpoch, 9));
        Assert.Equal(UnknownMemberId, await CommitAsync(raw, "nobody", 1, 9));
        Assert.Equal(UnsupportedVersion, await CommitAsync(raw, "a", a.MemberEpoch, 8));

        Assert.Equal((0, 42L), await FetchAsync(raw, "a", a.MemberEpoch));
        Assert.Equal(StaleMemberEpoch, (await FetchAsync(raw, "a", oldEpoch)).Error);
        Assert.Equal(UnknownMemberId, (await FetchAsync(raw, "nobody", 3)).Error);
        Assert.Equal((0, 42L), await FetchAsync(raw, null, -1)); // an administrative read
        Assert.NotNull(b.MemberId);
    }

    private static async Task<short> CommitAsync(KafkaWireClient raw, string memberId, int epoch, short version, Guid topicId = default)
    {
        var response = await raw.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "g",
            GenerationIdOrMemberEpoch = epoch,
            MemberId = memberId,
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic
            {
                Name = "t",
                TopicId = topicId,
                Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 42 }],
            }],
        }, version);
        return response.Topics[0].Partitions[0].ErrorCode;
    }

    private static async Task<(short Error, long Offset)> FetchAsync(KafkaWireClient raw, string? memberId, int epoch)
    {
        var response = await raw.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            Groups = [new OffsetFetchRequest.OffsetFetchRequestGroup
            {
                GroupId = "g",
                MemberId = memberId,
                MemberEpoch = epoch,
                Topics = [new OffsetFetchRequest.OffsetFetchRequestTopics { Name = "t", PartitionIndexes = [0] }],
            }],
        }, 9);
        var group = response.Groups[0];
        return (group.ErrorCode, group.Topics.FirstOrDefault()?.Partitions[0].CommittedOffset ?? -1);
    }
}
