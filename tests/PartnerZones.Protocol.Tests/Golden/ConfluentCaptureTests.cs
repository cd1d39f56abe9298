using System.Text;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records;
using static PartnerZones.Protocol.Tests.Golden.GoldenCaptures;

namespace PartnerZones.Protocol.Tests.Golden;

/// <summary>
/// What Confluent.Kafka (its bundled, newer librdkafka) sent, decoded: the topic it created, the
/// records it produced with their header, and the offsets its group consumer committed.
/// </summary>
public sealed class ConfluentCaptureTests
{
    private const string Topic = "golden-dotnet";
    private const string Group = "golden-dotnet-group";
    private const string ClientId = "pz-golden-dotnet";

    private static readonly (int Partition, string Key, string Value)[] Records = [(0, "k0", "v0"), (1, "k1", "v1"), (0, "k2", "v2"), (1, "k3", "v3")];

    [Fact]
    public void ApiVersions_request_names_the_dotnet_client_and_the_client_id()
    {
        // Confluent.Kafka overrides librdkafka's client.software.name with its own (KIP-511).
        var (header, body) = GoldenDecoder.Request<ApiVersionsRequest>(Of(Dotnet, ApiVersionsRequest.Key, request: true)[0]);
        Assert.Equal(ClientId, header.ClientId);
        Assert.Equal("confluent-kafka-dotnet", body.ClientSoftwareName);
        Assert.Matches(@"^\d+\.\d+\.\d+", body.ClientSoftwareVersion);
    }

    [Fact]
    public void CreateTopics_request_asks_for_two_partitions_without_manual_assignment()
    {
        var capture = Assert.Single(Of(Dotnet, CreateTopicsRequest.Key, request: true));
        var topic = Assert.Single(GoldenDecoder.Request<CreateTopicsRequest>(capture).Body.Topics);
        Assert.Equal(Topic, topic.Name);
        Assert.Equal(2, topic.NumPartitions);
        Assert.Equal(1, topic.ReplicationFactor);
        Assert.Empty(topic.Assignments);

        var result = Assert.Single(GoldenDecoder.Response<CreateTopicsResponse>(ResponseTo(capture)).Body.Topics);
        Assert.Equal((Topic, (short)0), (result.Name, result.ErrorCode));
    }

    [Fact]
    public void Produce_requests_carry_crc_valid_batches_with_every_record_and_its_header_on_its_partition()
    {
        var produced = new List<(int Partition, string Key, string Value)>();
        foreach (var capture in Of(Dotnet, ProduceRequest.Key, request: true))
        {
            var (header, body) = GoldenDecoder.Request<ProduceRequest>(capture);
            Assert.Equal(ClientId, header.ClientId);
            Assert.Equal(-1, body.Acks);
            Assert.Null(body.TransactionalId);
            foreach (var partition in Assert.Single(body.TopicData, t => t.Name == Topic).PartitionData)
            {
                foreach (var batchBytes in SplitBatches(partition.Records!.Value))
                {
                    var batch = RecordBatchHeader.Read(batchBytes.Span);
                    Assert.True(batch.Validate(), $"{capture}: stored CRC 0x{batch.Crc:X8}, computed 0x{batch.ComputeCrc():X8}");
                }

                foreach (var record in RecordSet.DecodeAll(partition.Records!.Value).SelectMany(b => b.Records))
                {
                    var header0 = Assert.Single(record.Headers);
                    Assert.Equal("origin", header0.Key);
                    Assert.Equal("golden", Encoding.UTF8.GetString(header0.Value!.Value.Span));
                    produced.Add((partition.Index, Text(record.Key), Text(record.Value)));
                }
            }
        }

        Assert.Equal(Records.OrderBy(r => r.Key), produced.OrderBy(r => r.Key));
    }

    [Fact]
    public void Fetch_names_the_topic_by_the_id_metadata_gave_it()
    {
        var metadata = Of(Dotnet, MetadataRequest.Key, request: true).Single(c => c.Shape == "topics");
        var described = Assert.Single(GoldenDecoder.Response<MetadataResponse>(ResponseTo(metadata)).Body.Topics, t => t.Name == Topic);
        Assert.NotEqual(Guid.Empty, described.TopicId);

        var fetches = Of(Dotnet, FetchRequest.Key, request: true);
        Assert.NotEmpty(fetches);
        Assert.All(fetches, fetch =>
        {
            Assert.True(fetch.Version >= 13, $"{fetch}: expected a topic-id Fetch (v13+) from this librdkafka");
            var topic = Assert.Single(GoldenDecoder.Request<FetchRequest>(fetch).Body.Topics);
            Assert.Equal(described.TopicId, topic.TopicId);
        });
    }

    [Fact]
    public void Group_member_commits_two_records_per_partition_with_its_generation_and_member_id()
    {
        var joins = Of(Dotnet, JoinGroupRequest.Key, request: true);
        Assert.All(joins, join =>
        {
            var request = GoldenDecoder.Request<JoinGroupRequest>(join).Body;
            Assert.Equal((Group, "consumer"), (request.GroupId, request.ProtocolType));
            Assert.All(request.Protocols, p => Assert.Equal([Topic], ConsumerProtocolBytes.SubscribedTopics(p.Metadata)));
        });
        var joined = GoldenDecoder.Response<JoinGroupResponse>(ResponseTo(joins[^1])).Body;
        Assert.Equal(0, joined.ErrorCode);

        var sync = GoldenDecoder.Request<SyncGroupRequest>(Assert.Single(Of(Dotnet, SyncGroupRequest.Key, request: true))).Body;
        Assert.Equal((Group, joined.GenerationId, joined.MemberId), (sync.GroupId, sync.GenerationId, sync.MemberId));
        var assigned = ConsumerProtocolBytes.AssignedPartitions(Assert.Single(sync.Assignments).Assignment);
        Assert.Equal([(Topic, 0), (Topic, 1)], assigned.Order());

        var commit = GoldenDecoder.Request<OffsetCommitRequest>(Assert.Single(Of(Dotnet, OffsetCommitRequest.Key, request: true))).Body;
        Assert.Equal((Group, joined.GenerationId, joined.MemberId), (commit.GroupId, commit.GenerationIdOrMemberEpoch, commit.MemberId));
        var offsets = Assert.Single(commit.Topics, t => t.Name == Topic).Partitions
            .Select(p => (p.PartitionIndex, p.CommittedOffset)).Order();
        Assert.Equal([(0, 2L), (1, 2L)], offsets);

        // Committed() asks the coordinator back (OffsetFetch v8+ batches groups).
        var fetch = GoldenDecoder.Request<OffsetFetchRequest>(Assert.Single(Of(Dotnet, OffsetFetchRequest.Key, request: true))).Body;
        var asked = Assert.Single(fetch.Groups);
        Assert.Equal(Group, asked.GroupId);

        var leave = GoldenDecoder.Request<LeaveGroupRequest>(Assert.Single(Of(Dotnet, LeaveGroupRequest.Key, request: true))).Body;
        Assert.Equal((Group, joined.MemberId), (leave.GroupId, leave.MemberId));
    }

    private static string Text(ReadOnlyMemory<byte>? bytes) => Encoding.UTF8.GetString(bytes!.Value.Span);

    private static List<ReadOnlyMemory<byte>> SplitBatches(ReadOnlyMemory<byte> records)
    {
        var batches = new List<ReadOnlyMemory<byte>>();
        var e = RecordSet.Batches(records);
        while (e.MoveNext())
        {
            batches.Add(e.CurrentMemory);
        }

        Assert.False(e.HasPartialTail, "a produce request must hold whole batches only");
        Assert.NotEmpty(batches);
        return batches;
    }
}
