using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.Gateway.Policy;

namespace PartnerZones.Gateway.Tests;

/// <summary>Partners see a stable virtual topic id per alias, never the backing topic's.</summary>
public sealed class TopicIdTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Each_alias_has_its_own_stable_id_that_is_not_the_backing_topics()
    {
        using var partner = new AdminClientBuilder(fixture.Partner()).Build();
        var described = await partner.DescribeTopicsAsync(TopicCollection.OfTopicNames(["topic-a", "topic-b"]));
        var idA = described.TopicDescriptions.Single(t => t.Name == "topic-a").TopicId;
        var idB = described.TopicDescriptions.Single(t => t.Name == "topic-b").TopicId;

        using var direct = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = fixture.Cluster.BootstrapServers }).Build();
        var backing = (await direct.DescribeTopicsAsync(TopicCollection.OfTopicNames(["kafka-topic-a"]))).TopicDescriptions[0].TopicId;

        Assert.NotEqual(idA, idB);
        Assert.NotEqual(backing, idA);
        Assert.NotEqual(backing, idB);
        Assert.Equal(ZonePolicy.VirtualIdFor(GatewayFixture.ZoneName, "topic-a"), ToGuid(idA));

        // Stable: asking again gives the same ids.
        var again = await partner.DescribeTopicsAsync(TopicCollection.OfTopicNames(["topic-a"]));
        Assert.Equal(idA.ToString(), again.TopicDescriptions[0].TopicId.ToString());
    }

    private static Guid ToGuid(Uuid id)
    {
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, id.MostSignificantBits);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), id.LeastSignificantBits);
        return new Guid(bytes, bigEndian: true);
    }
}
