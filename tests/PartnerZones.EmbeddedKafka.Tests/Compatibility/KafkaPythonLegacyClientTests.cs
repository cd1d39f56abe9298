using System.Text;
using System.Text.Json;
using PartnerZones.EmbeddedKafka.Tests.ProcessClients;
using PartnerZones.Protocol.Records;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.EmbeddedKafka.Tests.Compatibility;

/// <summary>
/// kafka-python pinned to a broker before 0.11 (api_version 0.8.2: Produce v0 and Fetch v0, magic 0;
/// 0.9: Produce v1 and Fetch v1, magic 0; 0.10.1: Produce v2 and Fetch v3, magic 1) producing and
/// consuming through the embedded cluster,
/// with what it stored checked record by record.
/// </summary>
[Collection(ProcessClientsCollection.Name)]
public sealed class KafkaPythonLegacyClientTests
{
    private const int Count = 25;

    private static readonly ScriptClient Client = new(
        "kafka-python (old api_version)", () => ClientTools.Python("kafka"), () => ClientTools.PythonScript("kafka_python_legacy_client.py"));

    [Theory]
    [InlineData("0.8.2", "gzip")]
    [InlineData("0.9", "none")]
    [InlineData("0.9", "gzip")]
    [InlineData("0.10.1", "none")]
    [InlineData("0.10.1", "gzip")]
    public async Task An_old_kafka_python_produces_and_consumes(string apiVersion, string compression)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "old-python", partitions: 1);
        var endpoint = new KafkaEndpoint(cluster.BootstrapServers);
        var magic1 = apiVersion == "0.10.1";
        string[] codec = compression == "none" ? [] : ["--compression", compression];

        var produced = await Client.RunAsync(endpoint, "produce", ["--api-version", apiVersion, "--topic", "old-python", "--count", $"{Count}", "--prefix", "old", .. codec]);

        Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i), produced.GetProperty("offsets").EnumerateArray().Select(o => o.GetInt64()));
        var stored = RecordSet.DecodeAll(cluster.State.Find("old-python")!.Partitions[0].Log.Read(0, int.MaxValue));
        var expectedCodec = compression == "gzip" ? RecordCompression.Gzip : RecordCompression.None;
        Assert.All(stored, b => Assert.Equal(expectedCodec, b.Compression));
        Assert.All(stored, b => Assert.Equal(-1, b.ProducerId));
        var records = stored.SelectMany(b => b.Records.Select(r => (Offset: b.OffsetOf(r), Timestamp: b.TimestampOf(r), Record: r))).ToList();
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"k{i}"), records.Select(r => Encoding.UTF8.GetString(r.Record.Key!.Value.Span)));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"old-{i}"), records.Select(r => Encoding.UTF8.GetString(r.Record.Value!.Value.Span)));
        if (magic1)
        {
            Assert.All(records, r => Assert.True(r.Timestamp > 1_600_000_000_000, $"timestamp {r.Timestamp} is not the producer's clock"));
        }
        else
        {
            Assert.All(records, r => Assert.Equal(-1, r.Timestamp));
        }

        var consumed = await Client.RunAsync(endpoint, "consume", "--api-version", apiVersion, "--topic", "old-python", "--count", $"{Count}");

        var messages = consumed.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(records.Select(r => r.Offset), messages.Select(m => m.GetProperty("offset").GetInt64()));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"k{i}"), messages.Select(m => m.GetProperty("key").GetString()));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"old-{i}"), messages.Select(m => m.GetProperty("value").GetString()));
        if (magic1)
        {
            Assert.Equal(records.Select(r => r.Timestamp), messages.Select(m => m.GetProperty("timestamp").GetInt64()));
            Assert.All(messages, m => Assert.Equal(0, m.GetProperty("timestamp_type").GetInt32()));
        }
        else
        {
            // Magic 0 has no timestamp; kafka-python reports none.
            Assert.All(messages, m => Assert.Equal(JsonValueKind.Null, m.GetProperty("timestamp").ValueKind));
        }
    }
}
