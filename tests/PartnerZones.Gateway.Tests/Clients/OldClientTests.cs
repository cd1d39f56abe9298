using PartnerZones.EmbeddedKafka;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// Clients of the Kafka 0.10/0.11 era (see <see cref="OldClient"/>) do what a partner does, end to end:
/// list, produce to one topic, consume another with a group and commit, then resume from the commit and
/// read only what came later. Through the gateway in front of the embedded cluster on one node and on
/// three, through the gateway in front of an upstream that serves only Kafka 4.0's versions (the gateway
/// translates what Kafka 4 removed), and directly against the embedded cluster (which serves what Kafka
/// 3.9 serves, like a company's 3.x cluster).
/// </summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class OldClientTests
{
    private const int First = 30;
    private const int Later = 10;

    public enum Target
    {
        GatewayOneNode,
        GatewayThreeNodes,
        GatewayBeforeKafka40Upstream,
        EmbeddedClusterDirectly,
    }

    public static TheoryData<string, Target> Cases()
    {
        var cases = new TheoryData<string, Target>();
        foreach (var client in OldClient.All.Keys)
        {
            foreach (var target in Enum.GetValues<Target>())
            {
                cases.Add(client, target);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Lists_produces_consumes_with_a_group_commits_and_resumes(string clientName, Target target)
    {
        var client = OldClient.All[clientName];
        await using var gateway = await GatewayFixture.StartAsync(
            target == Target.GatewayThreeNodes ? 3 : 1,
            cluster: target == Target.GatewayBeforeKafka40Upstream ? o => o with { ApiGeneration = KafkaApiGeneration.Kafka40 } : null);
        var direct = target == Target.EmbeddedClusterDirectly;
        var endpoint = direct ? gateway.UpstreamEndpoint : gateway.PartnerEndpoint;
        var (writeTopic, readTopic) = direct
            ? (GatewayFixture.BackingTopic, GatewayFixture.BackingTopic)
            : (ZoneExpectations.WriteAlias, ZoneExpectations.ReadAlias);
        var group = $"old-{Guid.NewGuid():N}";

        var listed = await client.ListAsync(endpoint);
        Assert.Contains(writeTopic, listed);
        Assert.Contains(readTopic, listed);
        if (!direct)
        {
            Assert.Equal([ZoneExpectations.WriteAlias, ZoneExpectations.ReadAlias], listed.Order(StringComparer.Ordinal));
        }

        await client.ProduceAsync(endpoint, writeTopic, "old", First);
        RecordChecks.AssertComplete(ZoneExpectations.Backing(gateway), "old", First);

        var first = await client.ConsumeAsync(endpoint, readTopic, group, First);
        RecordChecks.AssertComplete(first, "old", First);
        Assert.All(first, r => Assert.Equal(readTopic, r.Topic));

        ReferenceClient.Produce(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "later", Later);
        var resumed = await client.ConsumeAsync(endpoint, readTopic, group, Later);
        Assert.Equal(
            Enumerable.Range(0, Later).Select(i => RecordChecks.Value("later", i)).Order(StringComparer.Ordinal),
            resumed.Select(r => r.Value).Order(StringComparer.Ordinal));
    }
}
