using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>
/// Things that exist in the backing cluster outside the partner's zone, made directly on the cluster
/// (never through the gateway): the real ids of kafka-topic-a and private-topic, a record in
/// private-topic, a live consumer group "upstream-grp" with one member and committed offsets, and a
/// group of another zone ("pz.other-zone.grp") with committed offsets. After every probe
/// <see cref="AssertUnchangedAsync"/> proves the partner changed none of it.
/// </summary>
internal sealed class BackingClusterState : IAsyncDisposable
{
    public const string BackingTopic = "kafka-topic-a";
    public const string PrivateTopic = "private-topic";
    public const string UpstreamGroup = "upstream-grp";
    public const string OtherZoneGroup = "pz.other-zone.grp";
    public const string UpstreamTransactionalId = "upstream-txn";
    public const string UpstreamClientId = "upstream-secret-client";
    public const string ZonePrefix = $"pz.{GatewayFixture.ZoneName}.";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private KafkaWireClient _upstream = null!;
    private Dictionary<(string Topic, int Partition), long> _endOffsets = [];

    private BackingClusterState(EmbeddedCluster cluster) => Cluster = cluster;

    public EmbeddedCluster Cluster { get; }

    public Guid BackingTopicId { get; private set; }

    public Guid PrivateTopicId { get; private set; }

    /// <summary>The value of the one record in private-topic; no partner response may ever carry it.</summary>
    public string PrivateRecordMarker { get; } = $"private-record-{Guid.NewGuid():N}";

    /// <summary>The live member of <see cref="UpstreamGroup"/> and its generation: the exact coordinates a
    /// partner would need to act as that member.</summary>
    public string UpstreamMemberId { get; private set; } = "";

    public int UpstreamGeneration { get; private set; }

    public static readonly IReadOnlyDictionary<(string, int), long> UpstreamGroupOffsets = new Dictionary<(string, int), long>
    {
        [(BackingTopic, 0)] = 5,
        [(BackingTopic, 1)] = 6,
        [(PrivateTopic, 0)] = 1,
    };

    public static readonly IReadOnlyDictionary<(string, int), long> OtherZoneGroupOffsets = new Dictionary<(string, int), long>
    {
        [(BackingTopic, 2)] = 11,
        [(PrivateTopic, 0)] = 1,
    };

    public static async Task<BackingClusterState> CreateAsync(EmbeddedCluster cluster)
    {
        var state = new BackingClusterState(cluster);
        await state.SetUpAsync();
        return state;
    }

    /// <summary>Everything above as the bytes a response could carry, plus the upstream addresses and
    /// cluster id, and the zone's own upstream prefix (partners see their ids without it).</summary>
    public LeakScanner Scanner(params string[] advertisedHosts) => new([
        Secret.Text("backing topic", BackingTopic),
        Secret.Text("foreign topic", PrivateTopic),
        Secret.Uuid("real id of kafka-topic-a", BackingTopicId),
        Secret.Uuid("real id of private-topic", PrivateTopicId),
        Secret.Text("upstream group", UpstreamGroup),
        Secret.Text("other zone's group", OtherZoneGroup),
        Secret.Text("upstream transactional id", UpstreamTransactionalId),
        Secret.Text("upstream member id", UpstreamMemberId),
        Secret.Text("upstream client id", UpstreamClientId),
        Secret.Text("zone's upstream prefix", ZonePrefix),
        Secret.Text("record of private-topic", PrivateRecordMarker),
        Secret.Text("upstream cluster id", Cluster.Options.ClusterId),
        .. Secret.Addresses("upstream broker", Cluster.EndPoints, ["127.0.0.1", "localhost", .. advertisedHosts]),
    ]);

    private async Task SetUpAsync()
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Cluster.BootstrapServers }).Build())
        {
            var described = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames([BackingTopic, PrivateTopic]));
            BackingTopicId = ToGuid(described.TopicDescriptions.Single(t => t.Name == BackingTopic).TopicId);
            PrivateTopicId = ToGuid(described.TopicDescriptions.Single(t => t.Name == PrivateTopic).TopicId);
        }

        Assert.NotEqual(Guid.Empty, BackingTopicId);
        Assert.NotEqual(Guid.Empty, PrivateTopicId);

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers, Acks = Acks.All }).Build())
        {
            await producer.ProduceAsync(PrivateTopic, new Message<string, string> { Key = "k", Value = PrivateRecordMarker });
        }

        _upstream = await KafkaWireClient.ConnectAsync(Cluster.EndPoints[0], UpstreamClientId);
        await JoinUpstreamGroupAsync();
        await CommitAsync(UpstreamGroup, UpstreamGeneration, UpstreamMemberId, UpstreamGroupOffsets);
        await CommitAsync(OtherZoneGroup, -1, "", OtherZoneGroupOffsets);
        _endOffsets = await EndOffsetsAsync();
        await AssertUnchangedAsync();
    }

    /// <summary>One member, joined and synced directly on the cluster, with a session long enough to
    /// outlive the test run without heartbeats.</summary>
    private async Task JoinUpstreamGroupAsync()
    {
        var join = await _upstream.SendAsync<JoinGroupResponse>(new JoinGroupRequest
        {
            GroupId = UpstreamGroup,
            SessionTimeoutMs = 1_800_000,
            RebalanceTimeoutMs = 60_000,
            MemberId = "",
            ProtocolType = "consumer",
            Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = Subscription(BackingTopic, PrivateTopic) }],
        }, 3);
        Assert.Equal(0, join.ErrorCode);
        Assert.Equal(join.MemberId, join.Leader);
        UpstreamMemberId = join.MemberId;
        UpstreamGeneration = join.GenerationId;

        var sync = await _upstream.SendAsync<SyncGroupResponse>(new SyncGroupRequest
        {
            GroupId = UpstreamGroup,
            GenerationId = UpstreamGeneration,
            MemberId = UpstreamMemberId,
            Assignments = [new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = UpstreamMemberId, Assignment = Subscription(BackingTopic) }],
        }, 3);
        Assert.Equal(0, sync.ErrorCode);
    }

    private async Task CommitAsync(string group, int generation, string member, IReadOnlyDictionary<(string, int), long> offsets)
    {
        var commit = await _upstream.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = group,
            GenerationIdOrMemberEpoch = generation,
            MemberId = member,
            Topics = [.. offsets.GroupBy(o => o.Key.Item1).Select(t => new OffsetCommitRequest.OffsetCommitRequestTopic
            {
                Name = t.Key,
                Partitions = [.. t.Select(p => new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = p.Key.Item2, CommittedOffset = p.Value, CommittedMetadata = "upstream" })],
            })],
        }, 7);
        Assert.All(commit.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(0, p.ErrorCode));
    }

    /// <summary>
    /// Proves nothing outside the zone changed: the upstream member is still the only member of a stable
    /// group, both groups keep exactly their offsets, the topic set, ids and partition counts are as
    /// created, and no record reached either topic.
    /// </summary>
    public async Task AssertUnchangedAsync()
    {
        await _lock.WaitAsync();
        try
        {
            var groups = await _upstream.SendAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = [UpstreamGroup, OtherZoneGroup] }, 5);
            var upstream = groups.Groups[0];
            Assert.Equal("Stable", upstream.GroupState);
            Assert.Equal([UpstreamMemberId], upstream.Members.Select(m => m.MemberId));
            Assert.Empty(groups.Groups[1].Members);

            Assert.Equal(UpstreamGroupOffsets.OrderBy(o => o.Key), (await CommittedAsync(UpstreamGroup)).OrderBy(o => o.Key));
            Assert.Equal(OtherZoneGroupOffsets.OrderBy(o => o.Key), (await CommittedAsync(OtherZoneGroup)).OrderBy(o => o.Key));

            var metadata = await _upstream.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null, AllowAutoTopicCreation = false }, 12);
            var topics = metadata.Topics.Where(t => t.Name?.StartsWith("__", StringComparison.Ordinal) != true)
                .ToDictionary(t => t.Name!, t => (t.TopicId, t.Partitions.Count));
            Assert.Equal(2, topics.Count);
            Assert.Equal((BackingTopicId, 3), topics[BackingTopic]);
            Assert.Equal((PrivateTopicId, 1), topics[PrivateTopic]);

            Assert.Equal(_endOffsets.OrderBy(o => o.Key), (await EndOffsetsAsync()).OrderBy(o => o.Key));
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Deletes the zone's own groups upstream, so that every probe starts from a zone without groups.</summary>
    public async Task ResetZoneGroupsAsync()
    {
        await _lock.WaitAsync();
        try
        {
            var listed = await _upstream.SendAsync<ListGroupsResponse>(new ListGroupsRequest(), 4);
            var zoneGroups = listed.Groups.Select(g => g.GroupId).Where(g => g.StartsWith(ZonePrefix, StringComparison.Ordinal)).ToList();
            if (zoneGroups.Count > 0)
            {
                var deleted = await _upstream.SendAsync<DeleteGroupsResponse>(new DeleteGroupsRequest { GroupsNames = zoneGroups }, 2);
                Assert.All(deleted.Results, r => Assert.Equal(0, r.ErrorCode));
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<Dictionary<(string, int), long>> CommittedAsync(string group)
    {
        var fetched = await _upstream.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest { GroupId = group, Topics = null }, 7);
        Assert.Equal(0, fetched.ErrorCode);
        return fetched.Topics.SelectMany(t => t.Partitions.Where(p => p.CommittedOffset >= 0).Select(p => ((t.Name, p.PartitionIndex), p.CommittedOffset)))
            .ToDictionary(x => x.Item1, x => x.CommittedOffset);
    }

    private async Task<Dictionary<(string, int), long>> EndOffsetsAsync()
    {
        var listed = await _upstream.SendAsync<ListOffsetsResponse>(new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics =
            [
                new ListOffsetsRequest.ListOffsetsTopic { Name = BackingTopic, Partitions = [.. Enumerable.Range(0, 3).Select(p => new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = p, Timestamp = -1 })] },
                new ListOffsetsRequest.ListOffsetsTopic { Name = PrivateTopic, Partitions = [new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 0, Timestamp = -1 }] },
            ],
        }, 7);
        Assert.All(listed.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(0, p.ErrorCode));
        return listed.Topics.SelectMany(t => t.Partitions.Select(p => ((t.Name, p.PartitionIndex), p.Offset))).ToDictionary(x => x.Item1, x => x.Offset);
    }

    /// <summary>A consumer-protocol subscription (v0): the topics, no user data.</summary>
    public static byte[] Subscription(params string[] topics)
    {
        using var stream = new MemoryStream();
        void Int16(int v) => stream.Write([(byte)(v >> 8), (byte)v]);
        void Int32(int v) => stream.Write([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        Int16(0);
        Int32(topics.Length);
        foreach (var topic in topics)
        {
            var name = Encoding.UTF8.GetBytes(topic);
            Int16(name.Length);
            stream.Write(name);
        }

        Int32(-1);
        return stream.ToArray();
    }

    private static Guid ToGuid(Uuid id)
    {
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, id.MostSignificantBits);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), id.LeastSignificantBits);
        return new Guid(bytes, bigEndian: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }

        _lock.Dispose();
    }
}
