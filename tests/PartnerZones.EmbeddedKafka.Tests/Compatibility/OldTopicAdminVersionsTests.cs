using PartnerZones.Testing.KafkaWire;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Tests.Compatibility;

/// <summary>CreateTopics v0-1 and DeleteTopics v0, which Kafka 3.9 accepts and 4.0 does not.</summary>
public sealed class OldTopicAdminVersionsTests
{
    [Fact]
    public async Task CreateTopics_v0_creates_and_DeleteTopics_v0_deletes()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var created = await raw.SendAsync<CreateTopicsResponse>(new CreateTopicsRequest
        {
            Topics = [Topic("made-by-v0", 3), Topic("bad name!", 1)],
            TimeoutMs = 5_000,
        }, 0);
        Assert.Equal(new[] { ("made-by-v0", ErrorCodes.None), ("bad name!", ErrorCodes.InvalidTopicException) }, created.Topics.Select(t => (t.Name, t.ErrorCode)));
        Assert.Equal(3, cluster.State.Find("made-by-v0")?.Partitions.Count);

        var again = await raw.SendAsync<CreateTopicsResponse>(new CreateTopicsRequest { Topics = [Topic("made-by-v0", 1)], TimeoutMs = 5_000 }, 0);
        Assert.Equal(ErrorCodes.TopicAlreadyExists, Assert.Single(again.Topics).ErrorCode);

        var deleted = await raw.SendAsync<DeleteTopicsResponse>(new DeleteTopicsRequest { TopicNames = ["made-by-v0", "never-made"], TimeoutMs = 5_000 }, 0);
        Assert.Equal(new[] { ("made-by-v0", ErrorCodes.None), ("never-made", ErrorCodes.UnknownTopicOrPartition) }, deleted.Responses.Select(r => (r.Name!, r.ErrorCode)));
        Assert.Null(cluster.State.Find("made-by-v0"));
    }

    [Fact]
    public async Task CreateTopics_v1_validates_only_when_asked_and_says_why_it_refuses()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var validated = await raw.SendAsync<CreateTopicsResponse>(new CreateTopicsRequest { Topics = [Topic("checked", 2)], TimeoutMs = 5_000, ValidateOnly = true }, 1);
        Assert.Equal(ErrorCodes.None, Assert.Single(validated.Topics).ErrorCode);
        Assert.Null(cluster.State.Find("checked"));

        var refused = await raw.SendAsync<CreateTopicsResponse>(new CreateTopicsRequest { Topics = [Topic("too-many-replicas", 1, replication: 3)], TimeoutMs = 5_000 }, 1);
        var result = Assert.Single(refused.Topics);
        Assert.NotEqual(ErrorCodes.None, result.ErrorCode);
        Assert.False(string.IsNullOrEmpty(result.ErrorMessage), "v1 carries an error message");
        Assert.Null(cluster.State.Find("too-many-replicas"));
    }

    private static CreateTopicsRequest.CreatableTopic Topic(string name, int partitions, short replication = 1) =>
        new() { Name = name, NumPartitions = partitions, ReplicationFactor = replication };
}
