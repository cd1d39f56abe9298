using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>
/// A Produce v1 whose message set for one partition fails its CRC, through the gateway in front of an upstream
/// that serves only Kafka 4.0's versions: that partition gets CORRUPT_MESSAGE and stores nothing, as on a Kafka
/// 3.x broker, while the other partition of the same request is stored. A bad CRC on a top-level message and
/// on a message inside a compressed wrapper alike (Kafka checks both). For a partner and an admin.
/// </summary>
public sealed class CorruptMessageSetTests(Kafka40GatewayFixture fixture) : IClassFixture<Kafka40GatewayFixture>
{
    private const short CorruptMessage = 2;

    [Theory]
    [InlineData(Principal.Partner, false)]
    [InlineData(Principal.Partner, true)]
    [InlineData(Principal.Admin, false)]
    [InlineData(Principal.Admin, true)]
    public async Task The_corrupt_partition_is_refused_and_stores_nothing_while_the_other_is_stored(Principal who, bool insideWrapper)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var entries = OldMessage.Variety("corrupt", now).Select((m, i) => LegacyBytes.Entry(i, 0, 0, -1, m.Key, m.Value)).ToArray();
        entries[1][^1] ^= 0x5A; // the last byte of its value: the CRC no longer matches
        var corrupt = insideWrapper
            ? LegacyBytes.Wrapper(entries.Length - 1, 0, RecordCompression.Gzip, -1, LegacyBytes.Concat(entries))
            : LegacyBytes.Concat(entries);
        var good = OldMessage.Variety($"beside corrupt {who} {insideWrapper}", now);

        await using var direct = await fixture.DirectAsync();
        var endBefore = await EndOffsetsAsync(direct);
        await using var client = await fixture.LoggedInAsync(who);
        var answer = (await OldRequests.ProduceAsync(client, 1, Kafka40GatewayFixture.WriteTopic(who), (0, corrupt), (1, OldMessage.Set(0, RecordCompression.None, good))))
            .PartitionResponses.ToDictionary(p => p.Index);

        Assert.Equal(2, answer.Count);
        Assert.Equal((CorruptMessage, -1L), (answer[0].ErrorCode, answer[0].BaseOffset));
        Assert.Equal((0, endBefore[1]), ((int)answer[1].ErrorCode, answer[1].BaseOffset));

        Assert.Empty(await BackingLog.ReadAsync(direct, GatewayFixture.BackingTopic, 0, endBefore[0]));
        var stored = Assert.Single(await BackingLog.ReadAsync(direct, GatewayFixture.BackingTopic, 1, endBefore[1]));
        Assert.Equal(KafkaUpConversion.Expect(endBefore[1], 0, RecordCompression.None, good), KafkaUpConversion.Of(stored.Batch));
        await fixture.AssertUpstreamSawOnlyServedVersionsAsync();
    }

    /// <summary>Nothing is left to send upstream once the only partition is refused; the answer still comes,
    /// on a connection that stays usable.</summary>
    [Theory]
    [InlineData(Principal.Partner)]
    [InlineData(Principal.Admin)]
    public async Task A_request_whose_only_partition_is_corrupt_is_answered_for_it(Principal who)
    {
        var entry = LegacyBytes.Text(0, 1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "k", "v");
        entry[^1] ^= 0x01;
        await using var direct = await fixture.DirectAsync();
        var endBefore = await EndOffsetsAsync(direct);
        await using var client = await fixture.LoggedInAsync(who);

        var answer = Assert.Single((await OldRequests.ProduceAsync(client, 2, Kafka40GatewayFixture.WriteTopic(who), (0, entry))).PartitionResponses);
        Assert.Equal((0, CorruptMessage, -1L), (answer.Index, answer.ErrorCode, answer.BaseOffset));
        Assert.Empty(await BackingLog.ReadAsync(direct, GatewayFixture.BackingTopic, 0, endBefore[0]));

        var next = Assert.Single((await OldRequests.ProduceAsync(client, 2, Kafka40GatewayFixture.WriteTopic(who), (0, OldMessage.Set(1, RecordCompression.None, OldMessage.Variety("after corrupt", 0))))).PartitionResponses);
        Assert.Equal((0, endBefore[0]), ((int)next.ErrorCode, next.BaseOffset));
    }

    private static async Task<Dictionary<int, long>> EndOffsetsAsync(KafkaWireClient direct)
    {
        var response = await direct.SendAsync<ListOffsetsResponse>(new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics = [new ListOffsetsRequest.ListOffsetsTopic
            {
                Name = GatewayFixture.BackingTopic,
                Partitions = [new() { PartitionIndex = 0, Timestamp = -1 }, new() { PartitionIndex = 1, Timestamp = -1 }],
            }],
        }, 1);
        return Assert.Single(response.Topics).Partitions.ToDictionary(p => p.PartitionIndex, p => p.Offset);
    }
}
