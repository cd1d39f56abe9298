using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>
/// Produce v0-2 through the gateway in front of an upstream that serves only Kafka 4.0's versions (Produce from
/// v3, record batches only): the message sets old producers send, in every codec Kafka allowed for them (magic 0
/// for v0-1, magic 1 for v2), are stored as a Kafka 3.x broker stores them, checked by reading the backing
/// topic directly at a modern Fetch version. For a partner (its WRITE alias) and an admin (the backing topic).
/// </summary>
public sealed class LegacyProduceTranslationTests(Kafka40GatewayFixture fixture) : IClassFixture<Kafka40GatewayFixture>
{
    private static readonly RecordCompression[] LegacyCodecs = [RecordCompression.None, RecordCompression.Gzip, RecordCompression.Snappy, RecordCompression.Lz4];

    public static TheoryData<Principal, short, RecordCompression> Cases()
    {
        var cases = new TheoryData<Principal, short, RecordCompression>();
        foreach (var who in Enum.GetValues<Principal>())
        {
            foreach (var version in new short[] { 0, 1, 2 })
            {
                foreach (var codec in LegacyCodecs)
                {
                    cases.Add(who, version, codec);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_message_set_is_stored_as_the_one_record_batch_Kafka_3_stores(Principal who, short version, RecordCompression codec)
    {
        var magic = version < 2 ? (byte)0 : (byte)1;
        var partition = (int)codec % GatewayFixture.BackingPartitions;
        var messages = OldMessage.Variety($"{who}-v{version}-{codec}", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        await using var client = await fixture.LoggedInAsync(who);
        var answer = Assert.Single((await OldRequests.ProduceAsync(client, version, Kafka40GatewayFixture.WriteTopic(who), (partition, OldMessage.Set(magic, codec, messages)))).PartitionResponses);
        Assert.Equal((partition, 0), (answer.Index, (int)answer.ErrorCode));
        Assert.True(answer.BaseOffset >= 0, $"base offset {answer.BaseOffset}");
        Assert.Equal(-1, answer.LogAppendTimeMs); // CreateTime topic; v0-1 have no such field and decode the default

        await using var direct = await fixture.DirectAsync();
        var stored = Assert.Single(await BackingLog.ReadAsync(direct, GatewayFixture.BackingTopic, partition, answer.BaseOffset));
        Assert.Equal(KafkaUpConversion.Expect(answer.BaseOffset, magic, codec, messages), KafkaUpConversion.Of(stored.Batch));

        Assert.True(fixture.Seen.Saw(ProduceRequest.Key, 3), $"Produce went upstream at v{string.Join(", v", fixture.Seen.VersionsOf(ProduceRequest.Key))}, not v3");
        await fixture.AssertUpstreamSawOnlyServedVersionsAsync();
    }

    /// <summary>A magic-1 wrapper flagged LogAppendTime (producers should not, but Kafka 3.x accepts it on a
    /// CreateTime topic): its timestamp is every inner message's. The stored batch's timestamp type is not
    /// checked: Kafka sets the topic's on append, which the embedded upstream does not do, and the gateway
    /// leaves the flag for the upstream to judge, as Kafka 3.x judged it.</summary>
    [Theory]
    [InlineData(Principal.Partner)]
    [InlineData(Principal.Admin)]
    public async Task A_wrapper_flagged_log_append_time_gives_its_timestamp_to_every_message(Principal who)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var messages = OldMessage.Variety($"{who}-wrapper-time", now - 60_000);
        var wrapperTime = now - 1_000;

        await using var client = await fixture.LoggedInAsync(who);
        var answer = Assert.Single((await OldRequests.ProduceAsync(client, 2, Kafka40GatewayFixture.WriteTopic(who),
            (0, OldMessage.Set(1, RecordCompression.Gzip, messages, wrapperLogAppendTime: wrapperTime)))).PartitionResponses);
        Assert.Equal(0, answer.ErrorCode);

        await using var direct = await fixture.DirectAsync();
        var stored = Assert.Single(await BackingLog.ReadAsync(direct, GatewayFixture.BackingTopic, 0, answer.BaseOffset));
        Assert.Equal(RecordCompression.Gzip, stored.Batch.Compression);
        Assert.Equal(
            KafkaUpConversion.Expect(answer.BaseOffset, 1, RecordCompression.Gzip, messages, wrapperLogAppendTime: wrapperTime).Skip(1),
            KafkaUpConversion.Of(stored.Batch).Skip(1));
        await fixture.AssertUpstreamSawOnlyServedVersionsAsync();
    }
}
