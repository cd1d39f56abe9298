using System.Text;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records;
using static PartnerZones.Protocol.Tests.Golden.GoldenCaptures;

namespace PartnerZones.Protocol.Tests.Golden;

/// <summary>
/// What kcat (Debian's librdkafka) sent, decoded: the values tools/PartnerZones.CaptureGoldens made
/// it send (GoldenWorkload there) must come out of the captured frames.
/// </summary>
public sealed class KcatCaptureTests
{
    private const string Topic = "golden-kcat";
    private const string Group = "golden-kcat-group";
    private const string ClientId = "pz-golden-kcat";

    private static readonly (string Key, string Value)[] Records = [("alpha", "one"), ("bravo", "two"), ("charlie", "three")];

    [Fact]
    public void ApiVersions_request_names_librdkafka_and_the_client_id()
    {
        var (header, body) = GoldenDecoder.Request<ApiVersionsRequest>(Of(Kcat, ApiVersionsRequest.Key, request: true)[0]);
        Assert.Equal(ClientId, header.ClientId);
        Assert.Equal("librdkafka", body.ClientSoftwareName);
        Assert.Matches(@"^\d+\.\d+\.\d+", body.ClientSoftwareVersion);
    }

    [Fact]
    public void Metadata_requests_ask_for_every_topic_when_listing_and_name_the_topic_when_producing()
    {
        var requests = Of(Kcat, MetadataRequest.Key, request: true);
        var listAll = GoldenDecoder.Request<MetadataRequest>(requests.Single(c => c.Shape == "all-topics")).Body;
        Assert.Null(listAll.Topics);

        var produce = GoldenDecoder.Request<MetadataRequest>(requests.Single(c => c.Scenario == "produce")).Body;
        Assert.Equal([Topic], produce.Topics!.Select(t => t.Name));
    }

    [Fact]
    public void Produce_request_carries_one_crc_valid_batch_with_the_records_kcat_read_from_stdin()
    {
        var capture = Assert.Single(Of(Kcat, ProduceRequest.Key, request: true));
        var (header, body) = GoldenDecoder.Request<ProduceRequest>(capture);
        Assert.Equal(ClientId, header.ClientId);
        Assert.Null(body.TransactionalId);
        Assert.Equal(-1, body.Acks);
        var topic = Assert.Single(body.TopicData);
        Assert.Equal(Topic, topic.Name);
        var partition = Assert.Single(topic.PartitionData);
        Assert.Equal(0, partition.Index);

        var records = partition.Records!.Value;
        var batch = RecordBatchHeader.Read(records.Span);
        Assert.Equal(records.Length, batch.TotalSize);
        Assert.True(batch.Validate(), $"stored CRC 0x{batch.Crc:X8}, computed 0x{batch.ComputeCrc():X8}");
        Assert.Equal(Records.Length, batch.RecordCount);
        Assert.Equal(0, batch.BaseOffset);
        Assert.Equal(-1, batch.ProducerId);
        Assert.False(batch.IsTransactional);

        Assert.Equal(Records, KeysAndValues(records));
    }

    [Fact]
    public void Consumer_lists_the_earliest_offset_then_fetches_partition_0_and_gets_the_produced_records()
    {
        var listOffsets = GoldenDecoder.Request<ListOffsetsRequest>(Assert.Single(Of(Kcat, ListOffsetsRequest.Key, request: true))).Body;
        var listed = Assert.Single(Assert.Single(listOffsets.Topics, t => t.Name == Topic).Partitions);
        Assert.Equal(0, listed.PartitionIndex);
        Assert.Equal(-2, listed.Timestamp); // earliest, for -o beginning

        var fetch = Of(Kcat, FetchRequest.Key, request: true).First(c => c.Shape == "records");
        var request = GoldenDecoder.Request<FetchRequest>(fetch).Body;
        Assert.Equal(-1, request.ReplicaId);
        var wanted = Assert.Single(Assert.Single(request.Topics, t => t.Topic == Topic).Partitions);
        Assert.Equal(0, wanted.Partition);
        Assert.Equal(0, wanted.FetchOffset);

        var response = GoldenDecoder.Response<FetchResponse>(ResponseTo(fetch)).Body;
        var data = Assert.Single(Assert.Single(response.Responses, t => t.Topic == Topic).Partitions);
        Assert.Equal(0, data.ErrorCode);
        Assert.Equal(Records.Length, data.HighWatermark);
        Assert.Equal(Records, KeysAndValues(data.Records!.Value));
    }

    [Fact]
    public void Group_member_joins_syncs_commits_the_three_offsets_and_leaves_under_one_member_id()
    {
        var coordinator = GoldenDecoder.Request<FindCoordinatorRequest>(Assert.Single(Of(Kcat, FindCoordinatorRequest.Key, request: true))).Body;
        Assert.Equal(Group, coordinator.CoordinatorKey);
        Assert.Equal(0, coordinator.KeyType);

        var joins = Of(Kcat, JoinGroupRequest.Key, request: true);
        var (firstJoin, memberId) = JoinAndAssignedMemberId(joins[0]);
        Assert.Equal("", firstJoin.MemberId);
        Assert.Equal("consumer", firstJoin.ProtocolType);
        Assert.Equal(Group, firstJoin.GroupId);
        Assert.Contains("range", firstJoin.Protocols.Select(p => p.Name));
        Assert.All(firstJoin.Protocols, p => Assert.Equal([Topic], ConsumerProtocolBytes.SubscribedTopics(p.Metadata)));

        // The client rejoins with the member id the coordinator gave it (KIP-394), and uses it from then on.
        var rejoin = GoldenDecoder.Request<JoinGroupRequest>(joins[1]).Body;
        Assert.Equal(memberId, rejoin.MemberId);
        var joined = GoldenDecoder.Response<JoinGroupResponse>(ResponseTo(joins[1])).Body;
        Assert.Equal(0, joined.ErrorCode);
        Assert.Equal(memberId, joined.Leader);

        var syncCapture = Assert.Single(Of(Kcat, SyncGroupRequest.Key, request: true));
        var sync = GoldenDecoder.Request<SyncGroupRequest>(syncCapture).Body;
        Assert.Equal(Group, sync.GroupId);
        Assert.Equal(joined.GenerationId, sync.GenerationId);
        Assert.Equal(memberId, sync.MemberId);
        var assignment = Assert.Single(sync.Assignments); // the leader assigns, and it is the only member
        Assert.Equal(memberId, assignment.MemberId);
        Assert.Equal([(Topic, 0)], ConsumerProtocolBytes.AssignedPartitions(assignment.Assignment));

        var commit = GoldenDecoder.Request<OffsetCommitRequest>(Assert.Single(Of(Kcat, OffsetCommitRequest.Key, request: true))).Body;
        Assert.Equal(Group, commit.GroupId);
        Assert.Equal(joined.GenerationId, commit.GenerationIdOrMemberEpoch);
        Assert.Equal(memberId, commit.MemberId);
        var committed = Assert.Single(Assert.Single(commit.Topics, t => t.Name == Topic).Partitions);
        Assert.Equal(0, committed.PartitionIndex);
        Assert.Equal(Records.Length, committed.CommittedOffset);

        var offsetFetch = GoldenDecoder.Request<OffsetFetchRequest>(Assert.Single(Of(Kcat, OffsetFetchRequest.Key, request: true))).Body;
        Assert.Equal(Group, offsetFetch.GroupId);
        Assert.Equal([0], Assert.Single(offsetFetch.Topics!, t => t.Name == Topic).PartitionIndexes);

        var heartbeat = GoldenDecoder.Request<HeartbeatRequest>(Assert.Single(Of(Kcat, HeartbeatRequest.Key, request: true))).Body;
        Assert.Equal((Group, joined.GenerationId, memberId), (heartbeat.GroupId, heartbeat.GenerationId, heartbeat.MemberId));

        var leave = GoldenDecoder.Request<LeaveGroupRequest>(Assert.Single(Of(Kcat, LeaveGroupRequest.Key, request: true))).Body;
        Assert.Equal((Group, memberId), (leave.GroupId, leave.MemberId));
    }

    private static (JoinGroupRequest Request, string AssignedMemberId) JoinAndAssignedMemberId(CaptureFile join)
    {
        var request = GoldenDecoder.Request<JoinGroupRequest>(join).Body;
        var response = GoldenDecoder.Response<JoinGroupResponse>(ResponseTo(join)).Body;
        Assert.NotEqual("", response.MemberId);
        return (request, response.MemberId);
    }

    private static List<(string Key, string Value)> KeysAndValues(ReadOnlyMemory<byte> records) =>
    [
        .. RecordSet.DecodeAll(records).SelectMany(b => b.Records)
            .Select(r => (Encoding.UTF8.GetString(r.Key!.Value.Span), Encoding.UTF8.GetString(r.Value!.Value.Span))),
    ];
}
