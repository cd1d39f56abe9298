using PartnerZones.Testing.KafkaWire;
using System.Text;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records;
using PartnerZones.Protocol.Records.Legacy;
using Record = PartnerZones.Protocol.Records.Record;

namespace PartnerZones.EmbeddedKafka.Tests.Compatibility;

/// <summary>
/// Produce v0-2 and Fetch v0-3 sent raw to the embedded cluster, as Kafka 3.x serves them: magic 0/1
/// message sets are stored as record batches, and batches are fetched as magic 0 (v0-1) or 1 (v2-3).
/// </summary>
public sealed class LegacyProduceFetchTests
{
    private const long Timestamp = 1_700_000_000_000;

    private static readonly (string? Key, string? Value, long TimestampDelta)[] Records =
    [
        ("k0", "first", 0),
        (null, "no key", 40),
        ("k2", "", 10),
        ("k3", null, 90),
    ];

    public static TheoryData<short, RecordCompression> ProduceCases()
    {
        var data = new TheoryData<short, RecordCompression>();
        foreach (var version in new short[] { 0, 1, 2 })
        {
            foreach (var codec in new[] { RecordCompression.None, RecordCompression.Gzip, RecordCompression.Snappy, RecordCompression.Lz4 })
            {
                data.Add(version, codec);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProduceCases))]
    public async Task Produce_v0_to_v2_stores_the_message_set_as_record_batches(short version, RecordCompression codec)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "old-producer", partitions: 1);
        await using var connection = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var magic = version < 2 ? (byte)0 : (byte)1;
        var set = LegacyMessageSets.ToMessageSet(Batch(0, codec).ToArray(), magic);
        Assert.Equal(magic, LegacyMessageSets.MagicOf(set));

        var first = await connection.ProduceAsync("old-producer", set, version: version);
        var second = await connection.ProduceAsync("old-producer", set, version: version);

        Assert.Equal((ErrorCodes.None, 0L), (first.ErrorCode, first.BaseOffset));
        Assert.Equal((ErrorCodes.None, (long)Records.Length), (second.ErrorCode, second.BaseOffset));
        Assert.Equal(-1, second.LogAppendTimeMs);
        var partition = cluster.State.Find("old-producer")!.Partitions[0];
        var stored = RecordSet.DecodeAll(partition.Log.Read(0, int.MaxValue));
        Assert.Equal(2, stored.Count);
        for (var b = 0; b < stored.Count; b++)
        {
            var batch = stored[b];
            Assert.Equal(b * Records.Length, batch.BaseOffset);
            Assert.Equal(codec, batch.Compression);
            Assert.Equal(TimestampType.CreateTime, batch.TimestampType);
            Assert.Equal(Records.Length - 1, batch.LastOffsetDelta);
            Assert.Equal(-1, batch.ProducerId);
            Assert.Equal(-1, batch.ProducerEpoch);
            Assert.Equal(-1, batch.BaseSequence);
            Assert.Equal(partition.LeaderEpoch, batch.PartitionLeaderEpoch);
            Assert.Equal(magic == 0 ? -1 : Timestamp + 90, batch.MaxTimestamp);
            for (var i = 0; i < Records.Length; i++)
            {
                var record = batch.Records[i];
                Assert.Equal(i, record.OffsetDelta);
                Assert.Equal(Records[i].Key, Text(record.Key));
                Assert.Equal(Records[i].Value, Text(record.Value));
                Assert.Equal(magic == 0 ? -1 : Timestamp + Records[i].TimestampDelta, batch.TimestampOf(record));
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Fetch_v0_to_v3_down_converts_and_drops_transaction_markers(short version)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "old-consumer", partitions: 1);
        var log = cluster.State.Find("old-consumer")!.Partitions[0].Log;
        log.Append(Batch(0, RecordCompression.None).ToArray());
        var marker = new EndTransactionMarker(ControlRecordType.Commit, 0).ToBatch(producerId: 9, producerEpoch: 0, Timestamp);
        log.Append(marker.ToArray());
        log.Append(Batch(0, RecordCompression.Gzip).ToArray());
        var stored = log.Read(0, int.MaxValue);
        await using var connection = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var partition = await FetchAsync(connection, "old-consumer", version, offset: 0);

        var magic = version < 2 ? (byte)0 : (byte)1;
        Assert.Equal(ErrorCodes.None, partition.ErrorCode);
        Assert.Equal(2 * Records.Length + 1, partition.HighWatermark);
        var records = partition.Records!.Value.ToArray();
        Assert.Equal(LegacyMessageSets.ToMessageSet(stored, magic), records);
        var messages = LegacyMessageSetReader.Read(records);
        Assert.Equal([0L, 1, 2, 3, 5, 6, 7, 8], messages.Select(m => m.Offset));
        Assert.All(messages, m => Assert.Equal(magic, m.Magic));
        Assert.Equal([.. Records.Select(r => r.Key), .. Records.Select(r => r.Key)], messages.Select(m => m.Key));
        Assert.Equal([.. Records.Select(r => r.Value), .. Records.Select(r => r.Value)], messages.Select(m => m.Value));
        var timestamps = Records.Select(r => magic == 0 ? -1 : Timestamp + r.TimestampDelta).ToList();
        Assert.Equal([.. timestamps, .. timestamps], messages.Select(m => m.Timestamp));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Fetch_of_a_zstd_batch_is_unsupported_compression_type_for_old_versions(short version)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "zstd", partitions: 1);
        await using var connection = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        Assert.Equal(ErrorCodes.None, (await connection.ProduceAsync("zstd", Batch(0, RecordCompression.Zstd).ToArray())).ErrorCode);

        var old = await FetchAsync(connection, "zstd", version, offset: 0);
        var current = await FetchAsync(connection, "zstd", 4, offset: 0);

        Assert.Equal(76, old.ErrorCode);
        Assert.True(old.Records is not { Length: > 0 });
        Assert.Equal(ErrorCodes.None, current.ErrorCode);
        Assert.True(current.Records is { Length: > 0 });
    }

    [Fact]
    public async Task Old_produce_and_old_fetch_round_trip_through_the_log()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "old-both", partitions: 1);
        await using var connection = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var set = LegacyMessageSets.ToMessageSet(Batch(0, RecordCompression.Gzip).ToArray(), 1);
        Assert.Equal(ErrorCodes.None, (await connection.ProduceAsync("old-both", set, version: 2)).ErrorCode);

        var fetched = await FetchAsync(connection, "old-both", 2, offset: 0);

        // A compressed magic-1 wrapper comes back as it went in, now at its stored offset.
        var messages = LegacyMessageSetReader.Read(fetched.Records!.Value.Span);
        Assert.Equal([0L, 1, 2, 3], messages.Select(m => m.Offset));
        Assert.Equal(Records.Select(r => r.Value), messages.Select(m => m.Value));
        Assert.Equal(Records.Select(r => Timestamp + r.TimestampDelta), messages.Select(m => m.Timestamp));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task A_message_with_a_bad_crc_is_corrupt_message_and_nothing_is_stored(short version)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "bad-crc", partitions: 1);
        await using var connection = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var set = LegacyMessageSets.ToMessageSet(Batch(0, RecordCompression.None).ToArray(), version < 2 ? (byte)0 : (byte)1);
        set[^1] ^= 0x20;

        var result = await connection.ProduceAsync("bad-crc", set, version: version);

        Assert.Equal(ErrorCodes.CorruptMessage, result.ErrorCode);
        Assert.Equal(0, cluster.State.Find("bad-crc")!.Partitions[0].Log.LogEndOffset);
    }

    [Fact]
    public async Task Produce_v3_with_a_magic_1_message_set_is_invalid_record()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "v3-magic1", partitions: 1);
        await using var connection = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var set = LegacyMessageSets.ToMessageSet(Batch(0, RecordCompression.None).ToArray(), 1);

        var result = await connection.ProduceAsync("v3-magic1", set, version: 3);

        Assert.Equal(ErrorCodes.InvalidRecord, result.ErrorCode);
    }

    /// <summary>An old consumer cannot skip inside a batch: a fetch from the middle of an uncompressed batch
    /// starts at the fetch offset, as Kafka 3.x sends it; a compressed batch still comes whole.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_fetch_from_inside_an_uncompressed_batch_starts_at_the_fetch_offset(short version)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "old-resume", partitions: 1);
        var log = cluster.State.Find("old-resume")!.Partitions[0].Log;
        log.Append(Batch(0, RecordCompression.None).ToArray());
        log.Append(Batch(0, RecordCompression.Gzip).ToArray());
        await using var connection = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var inUncompressed = LegacyMessageSetReader.Read((await FetchAsync(connection, "old-resume", version, offset: 2)).Records!.Value.Span);
        var inCompressed = LegacyMessageSetReader.Read((await FetchAsync(connection, "old-resume", version, offset: Records.Length + 1)).Records!.Value.Span);

        Assert.Equal([2L, 3, 4, 5, 6, 7], inUncompressed.Select(m => m.Offset));
        Assert.Equal([4L, 5, 6, 7], inCompressed.Select(m => m.Offset));
    }

    private static async Task<FetchResponse.PartitionData> FetchAsync(KafkaWireClient connection, string topic, short version, long offset)
    {
        var request = new FetchRequest
        {
            ReplicaId = -1,
            MaxWaitMs = 100,
            MinBytes = 1,
            Topics = [new FetchRequest.FetchTopic { Topic = topic, Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = offset, PartitionMaxBytes = 1 << 20 }] }],
        };
        var response = await connection.SendAsync<FetchResponse>(request, version);
        return Assert.Single(Assert.Single(response.Responses).Partitions);
    }

    private static RecordBatch Batch(long baseOffset, RecordCompression codec)
    {
        var batch = new RecordBatch { BaseOffset = baseOffset, BaseTimestamp = Timestamp, Compression = codec };
        for (var i = 0; i < Records.Length; i++)
        {
            batch.Records.Add(new Record
            {
                OffsetDelta = i,
                TimestampDelta = Records[i].TimestampDelta,
                Key = Bytes(Records[i].Key),
                Value = Bytes(Records[i].Value),
            });
        }

        batch.UpdateSummaryFields();
        return batch;
    }

    // A null byte[] would convert to empty memory: null is kept as the nullable's null.
    private static ReadOnlyMemory<byte>? Bytes(string? text) => text is null ? null : (ReadOnlyMemory<byte>?)Encoding.UTF8.GetBytes(text);

    private static string? Text(ReadOnlyMemory<byte>? bytes) => bytes is { } b ? Encoding.UTF8.GetString(b.Span) : null;
}
