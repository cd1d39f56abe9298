using System.Text;
using Confluent.Kafka;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records;
using PartnerZones.Testing.KafkaWire;
using Record = PartnerZones.Protocol.Records.Record;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>
/// A <see cref="Kafka40GatewayFixture"/> whose backing topic a modern producer filled directly on the cluster,
/// with everything a Fetch v0-3 answer must convert or leave out:
/// <list type="bullet">
/// <item>partition 0: batches uncompressed, gzip, snappy and lz4; batches with record headers; a committed
/// and an aborted transaction (their control batches); then one more lz4 batch;</item>
/// <item>partition 1: an uncompressed batch, then a zstd one;</item>
/// <item>partition 2: an uncompressed batch of five records, then a gzip batch of three, for fetches that
/// start inside a batch (<see cref="InsideUncompressed"/>, <see cref="InsideCompressed"/>).</item>
/// </list>
/// </summary>
public sealed class ModernRecordsFixture : IAsyncLifetime
{
    public const long InsideUncompressed = 2;
    public const long InsideCompressed = 6;

    public Kafka40GatewayFixture Gateway { get; } = new();

    public async Task InitializeAsync()
    {
        await Gateway.InitializeAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 10_000;
        await using var direct = await Gateway.DirectAsync();

        await AppendAsync(direct, 0, Batch(RecordCompression.None, now, R("k0", "plain 0", 0), R(null, "plain no key", 40), R("k2", null, -30), R("", "", 10)));
        await AppendAsync(direct, 0, Batch(RecordCompression.Gzip, now + 100, R("g0", "gzip 0", 0), R(null, "gzip 1", 7), R("g2", "gzip 2", 3)));
        await AppendAsync(direct, 0, Batch(RecordCompression.Snappy, now + 200, R("s0", "snappy 0", 5), R("s1", null, 0), R(null, "snappy 2", 9)));
        await AppendAsync(direct, 0, Batch(RecordCompression.Lz4, now + 300, R("l0", "lz4 0", 0), R("l1", "lz4 1", 1), R("l2", new string('x', 5000), 2)));
        await AppendAsync(direct, 0, Batch(RecordCompression.None, now + 400,
            R("h0", "with headers 0", 0, new RecordHeader("trace", "abc"u8.ToArray()), new RecordHeader("empty", null)),
            R("h1", "with headers 1", 1, new RecordHeader("trace", "def"u8.ToArray()))));
        await AppendAsync(direct, 0, Batch(RecordCompression.Gzip, now + 500, R("hg0", "gzip with headers", 0, new RecordHeader("h", "v"u8.ToArray()))));
        await TransactionsAsync();
        await AppendAsync(direct, 0, Batch(RecordCompression.Lz4, now + 600, R("after", "after the markers", 0)));

        await AppendAsync(direct, 1, Batch(RecordCompression.None, now, R("p1", "before zstd", 0)));
        await AppendAsync(direct, 1, Batch(RecordCompression.Zstd, now + 100, R("z0", "zstd 0", 0), R("z1", "zstd 1", 1)));

        await AppendAsync(direct, 2, Batch(RecordCompression.None, now, [.. Enumerable.Range(0, 5).Select(i => R($"u{i}", $"uncompressed {i}", i))]));
        await AppendAsync(direct, 2, Batch(RecordCompression.Gzip, now + 100, [.. Enumerable.Range(0, 3).Select(i => R($"c{i}", $"compressed {i}", i))]));
    }

    public Task DisposeAsync() => Gateway.DisposeAsync();

    /// <summary>One committed and one aborted transaction on partition 0, by a real transactional producer.</summary>
    private async Task TransactionsAsync()
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = Gateway.Cluster.BootstrapServers,
            TransactionalId = "modern-seed",
            LingerMs = 0,
        }).Build();
        var partition = new TopicPartition(GatewayFixture.BackingTopic, 0);
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        producer.BeginTransaction();
        await producer.ProduceAsync(partition, new Message<string, string> { Key = "t0", Value = "committed" });
        producer.CommitTransaction(TimeSpan.FromSeconds(30));
        producer.BeginTransaction();
        await producer.ProduceAsync(partition, new Message<string, string> { Key = "t1", Value = "aborted, still read uncommitted" });
        producer.AbortTransaction(TimeSpan.FromSeconds(30));
    }

    private static async Task AppendAsync(KafkaWireClient direct, int partition, RecordBatch batch)
    {
        var response = await direct.SendAsync<ProduceResponse>(new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new ProduceRequest.TopicProduceData
            {
                Name = GatewayFixture.BackingTopic,
                PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = batch.ToArray() }],
            }],
        }, 9);
        Assert.Equal(0, Assert.Single(Assert.Single(response.Responses).PartitionResponses).ErrorCode);
    }

    private static RecordBatch Batch(RecordCompression codec, long baseTimestamp, params Record[] records)
    {
        var batch = new RecordBatch { Compression = codec, BaseTimestamp = baseTimestamp };
        for (var i = 0; i < records.Length; i++)
        {
            records[i].OffsetDelta = i;
            batch.Records.Add(records[i]);
        }

        batch.UpdateSummaryFields();
        return batch;
    }

    private static Record R(string? key, string? value, long timestampDelta, params RecordHeader[] headers) =>
        new() { Key = Bytes(key), Value = Bytes(value), TimestampDelta = timestampDelta, Headers = headers };

    private static ReadOnlyMemory<byte>? Bytes(string? text)
    {
        // Not a conditional expression: a null byte[] would become empty memory, not null.
        if (text is null)
        {
            return null;
        }

        return Encoding.UTF8.GetBytes(text);
    }
}
