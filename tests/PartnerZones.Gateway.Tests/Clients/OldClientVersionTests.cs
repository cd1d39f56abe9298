using System.Collections.Concurrent;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// What each <see cref="OldClient"/> really sends, captured at the embedded cluster it talks to directly: the
/// old versions the end-to-end tests (<see cref="OldClientTests"/>) rely on are the ones on the wire, so a
/// client update that quietly moved to newer versions would fail here rather than leave the old paths untested.
/// </summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class OldClientVersionTests
{
    public static TheoryData<string, string> Expectations() => new()
    {
        // kafka-python's tables for a 0.10.1 broker: message format 1, the group protocol with a rebalance timeout.
        { OldClient.KafkaPython0101.Name, "Produce v2, Fetch v3, ListOffsets v1, Metadata v1, FindCoordinator v0, JoinGroup v1, SyncGroup v0, OffsetCommit v2, OffsetFetch v1, no ApiVersions" },
        // ... and for 0.11: record batches (message format 2) with the same fetch and group versions.
        { OldClient.KafkaPython011.Name, "Produce v3, Fetch v3, ListOffsets v1, Metadata v1, FindCoordinator v0, JoinGroup v1, SyncGroup v0, OffsetCommit v2, OffsetFetch v1, no ApiVersions" },
        // librdkafka turns ApiVersions back on for any fallback of 0.10.0 or later, whatever api.version.request
        // says, and then uses what the broker offers: pinning it to 0.10.0.0 proves only that this configuration
        // works. Its pre-0.10 protocol (Produce and Fetch v0-1, magic 0) has no SASL handshake, so it cannot log
        // in to the gateway; the embedded cluster's own tests run it directly (LibrdkafkaLegacyFormatTests).
        { OldClient.ConfluentKafkaPython0100.Name, "asks ApiVersions" },
        { OldClient.Kcat0100.Name, "asks ApiVersions" },
    };

    [Theory]
    [MemberData(nameof(Expectations))]
    public async Task The_client_sends_the_old_versions_it_is_pinned_to(string clientName, string expected)
    {
        var sent = new ConcurrentDictionary<(short Key, short Version), int>();
        await using var gateway = await GatewayFixture.StartAsync(1, upstreamFrames: (_, request, _) =>
        {
            // Only the client's own requests: the gateway beside it reads its state topic from the same cluster.
            var reader = new KafkaReader(request);
            var header = RequestHeader.Read(ref reader);
            if (header.ClientId is { } id && (id.StartsWith("kafka-python", StringComparison.Ordinal) || id.StartsWith("rdkafka", StringComparison.Ordinal)))
            {
                sent.AddOrUpdate((header.ApiKey, header.ApiVersion), 1, (_, n) => n + 1);
            }
        });
        var client = OldClient.All[clientName];
        sent.Clear();

        await client.ProduceAsync(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "captured", 5);
        await client.ConsumeAsync(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "captured-readers", 5);

        var observed = sent.Keys.ToHashSet();
        var report = string.Join(", ", observed.Order().Select(p => $"{ApiMessages.Find(p.Key)?.Name ?? p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)} v{p.Version}"));
        foreach (var item in expected.Split(", "))
        {
            if (item is "no ApiVersions" or "asks ApiVersions")
            {
                Assert.True(observed.Any(p => p.Key == ApiVersionsRequest.Key) == (item == "asks ApiVersions"), $"{clientName}: expected {item}; it sent: {report}");
                continue;
            }

            var (name, version) = (item.Split(" v")[0], short.Parse(item.Split(" v")[1], System.Globalization.CultureInfo.InvariantCulture));
            var key = ApiMessages.All.Single(a => a.Name == name).Key;
            Assert.True(observed.Contains((key, version)), $"{clientName} did not send {item}; it sent: {report}");
            Assert.True(observed.Where(p => p.Key == key).All(p => p.Version == version), $"{clientName} sent {name} at other versions too; it sent: {report}");
        }
    }
}
