using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>
/// Fetch v0-3 through the gateway in front of an upstream that serves only Kafka 4.0's versions (Fetch from v4):
/// what a modern producer stored (<see cref="ModernRecordsFixture"/>) reaches an old consumer exactly as a
/// Kafka 3.x broker would send it (<see cref="KafkaDownConversion"/>), compared entry by entry and byte by byte.
/// For a partner (its READ alias) and an admin (the backing topic).
/// </summary>
public sealed class LegacyFetchTranslationTests(ModernRecordsFixture records) : IClassFixture<ModernRecordsFixture>
{
    public static TheoryData<Principal, short> Cases()
    {
        var cases = new TheoryData<Principal, short>();
        foreach (var who in Enum.GetValues<Principal>())
        {
            foreach (var version in new short[] { 0, 1, 2, 3 })
            {
                cases.Add(who, version);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_codec_is_down_converted_headers_and_markers_left_out_and_zstd_refused(Principal who, short version)
    {
        var gateway = records.Gateway;
        await using var client = await gateway.LoggedInAsync(who);
        var answer = await OldRequests.FetchAsync(client, version, Kafka40GatewayFixture.ReadTopic(who), (0, 0), (1, 0));

        await using var direct = await gateway.DirectAsync();
        var everything = await BackingLog.ReadAsync(direct, GatewayFixture.BackingTopic, 0);
        Assert.Equal(2, everything.Count(s => s.Batch.IsControl));
        Assert.Contains(everything, s => s.Batch.Records.Any(r => r.Headers.Count > 0));
        await AssertAsKafka3Async(answer[0], direct, 0, 0, version);

        var zstd = answer[1];
        Assert.Equal(KafkaDownConversion.UnsupportedCompressionType, zstd.ErrorCode);
        Assert.True(zstd.Records is null || zstd.Records.Value.IsEmpty, "a partition refused for zstd carries no records");
        await AssertAsKafka3Async(zstd, direct, 1, 0, version);

        Assert.True(gateway.Seen.Saw(FetchRequest.Key, 4), $"Fetch went upstream at v{string.Join(", v", gateway.Seen.VersionsOf(FetchRequest.Key))}, not v4");
        await gateway.AssertUpstreamSawOnlyServedVersionsAsync();
    }

    /// <summary>A magic 0/1 consumer cannot skip inside a batch: from the middle of an uncompressed batch Kafka
    /// sends only the records from the fetch offset on; a compressed batch goes whole, as one wrapper.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_fetch_from_inside_a_batch_gets_what_Kafka_3_sends(Principal who, short version)
    {
        var gateway = records.Gateway;
        await using var client = await gateway.LoggedInAsync(who);
        await using var direct = await gateway.DirectAsync();
        foreach (var offset in new[] { ModernRecordsFixture.InsideUncompressed, ModernRecordsFixture.InsideCompressed })
        {
            var answer = await OldRequests.FetchAsync(client, version, Kafka40GatewayFixture.ReadTopic(who), (2, offset));
            await AssertAsKafka3Async(answer[2], direct, 2, offset, version);
        }
    }

    private static async Task AssertAsKafka3Async(FetchResponse.PartitionData data, Testing.KafkaWire.KafkaWireClient direct, int partition, long offset, short version)
    {
        var stored = await BackingLog.ReadAsync(direct, GatewayFixture.BackingTopic, partition, offset);
        var (error, lines) = KafkaDownConversion.Expect(stored.Select(s => s.Batch), version <= 1 ? (byte)0 : (byte)1, offset);
        Assert.Equal(error, data.ErrorCode);
        Assert.Equal(lines, MessageSetText.Of((data.Records ?? ReadOnlyMemory<byte>.Empty).Span));
        Assert.Equal(stored.Max(s => s.Batch.BaseOffset + s.Batch.LastOffsetDelta) + 1, data.HighWatermark);
    }
}
