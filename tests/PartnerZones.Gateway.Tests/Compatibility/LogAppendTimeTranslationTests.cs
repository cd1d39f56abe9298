using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>
/// A backing topic with message.timestamp.type=LogAppendTime, through the gateway in front of an upstream that
/// serves only Kafka 4.0's versions: old producers' messages take the broker's append time (Produce v2 reports
/// it), and old consumers get it back flagged on every magic-1 message and wrapper (Fetch v2-3), or no
/// timestamp at all (Fetch v0-1, magic 0). For a partner (alias "stamped") and an admin (the backing topic).
/// </summary>
public sealed class LogAppendTimeTranslationTests
{
    private const string Backing = "kafka-topic-stamped";
    private const string Alias = "stamped";

    private const string StampedZone = """
        apiVersion: v2
        kind: PartnerZone
        metadata:
          name: external-partner-zone
        spec:
          cluster: gateway
          displayName: A topic stamped with the broker's time
          url: https://partner.example.com
          serviceAccount: johndoe
          topics:
            - name: stamped
              backingTopic: kafka-topic-stamped
              permission: WRITE
          partner:
            name: John Doe
            role: Data analyst
            email: johndoe@example.com
            phone: 07827 837 177
        """;

    [Theory]
    [InlineData(Principal.Partner)]
    [InlineData(Principal.Admin)]
    public async Task Old_messages_take_the_append_time_and_old_consumers_get_it_flagged(Principal who)
    {
        await using var gateway = await Kafka40GatewayFixture.StartAsync(StampedZone);
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = gateway.Cluster.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification
            {
                Name = Backing,
                NumPartitions = 1,
                ReplicationFactor = 1,
                Configs = new Dictionary<string, string> { ["message.timestamp.type"] = "LogAppendTime" },
            }]);
        }

        var topic = who == Principal.Partner ? Alias : Backing;
        var longAgo = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        await using var client = await gateway.LoggedInAsync(who);
        await using var direct = await gateway.DirectAsync();
        foreach (var (version, codec) in new (short, RecordCompression)[] { (2, RecordCompression.None), (1, RecordCompression.Gzip), (2, RecordCompression.Lz4) })
        {
            var magic = version < 2 ? (byte)0 : (byte)1;
            var messages = OldMessage.Variety($"v{version}-{codec}", longAgo);
            var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var answer = Assert.Single((await OldRequests.ProduceAsync(client, version, topic, (0, OldMessage.Set(magic, codec, messages)))).PartitionResponses);
            var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            Assert.Equal(0, answer.ErrorCode);

            var stored = Assert.Single(await BackingLog.ReadAsync(direct, Backing, 0, answer.BaseOffset)).Batch;
            Assert.InRange(stored.MaxTimestamp, before, after);
            Assert.Equal(version >= 2 ? stored.MaxTimestamp : -1, answer.LogAppendTimeMs); // v0-1 have no such field
            Assert.Equal(KafkaUpConversion.Expect(answer.BaseOffset, magic, codec, messages, topicLogAppendTime: stored.MaxTimestamp), KafkaUpConversion.Of(stored));
        }

        var all = await BackingLog.ReadAsync(direct, Backing, 0);
        foreach (var version in new short[] { 0, 1, 2, 3 })
        {
            var data = (await OldRequests.FetchAsync(client, version, topic, (0, 0)))[0];
            var (error, lines) = KafkaDownConversion.Expect(all.Select(s => s.Batch), version <= 1 ? (byte)0 : (byte)1, 0);
            Assert.Equal(error, data.ErrorCode);
            Assert.Equal(lines, MessageSetText.Of((data.Records ?? ReadOnlyMemory<byte>.Empty).Span));
        }

        await gateway.AssertUpstreamSawOnlyServedVersionsAsync();
    }
}
