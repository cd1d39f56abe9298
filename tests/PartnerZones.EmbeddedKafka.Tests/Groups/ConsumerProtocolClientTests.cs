using System.Collections.Concurrent;
using System.Globalization;
using Confluent.Kafka;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.EmbeddedKafka.Tests.Groups;

/// <summary>
/// librdkafka (Confluent.Kafka) with group.protocol=consumer against the embedded cluster: members come and go
/// while every record is read exactly once across the group, commits carry member epochs and are resumed by a
/// later member, and a regex subscription is evaluated by the coordinator.
/// </summary>
public sealed class ConsumerProtocolClientTests
{
    private const int Count = 1_200;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Members_join_and_leave_and_every_record_is_read_exactly_once_and_commits_resume(int nodes)
    {
        // Heartbeats every 500 ms so a rebalance completes within the run; records are read slowly enough
        // (10 ms each) that the late member arrives while there is plenty left to read.
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { ConsumerGroupProtocol = true, Nodes = nodes, ConsumerGroupHeartbeatIntervalMs = 500 });
        await Clients.CreateTopicAsync(cluster, "kip848", partitions: 6);
        Produce(cluster, "kip848", 0, Count);

        var seen = new ConcurrentDictionary<(string Topic, int Partition, long Offset), int>();
        var first = new[] { Start(cluster, "g", "kip848", seen), Start(cluster, "g", "kip848", seen), Start(cluster, "g", "kip848", seen) };
        await WaitAsync(() => seen.Count >= Count / 3, TimeSpan.FromSeconds(60));

        // One member leaves and another joins while records are being read.
        await first[2].StopAsync();
        var late = Start(cluster, "g", "kip848", seen);
        await WaitAsync(() => seen.Count >= Count, TimeSpan.FromSeconds(90));
        await Task.WhenAll(first[0].StopAsync(), first[1].StopAsync(), late.StopAsync());

        Assert.Equal(Count, seen.Count);
        Assert.True(late.Read > 0, "the member that joined late got no partitions");
        Assert.Equal("consumer", await GroupTypeAsync(cluster, "g"));
        Assert.All(seen, entry => Assert.True(entry.Value == 1, $"partition {entry.Key.Partition} offset {entry.Key.Offset} was read {entry.Value} times"));

        // A new member of the group starts where the group's commits say: only what was produced since.
        Produce(cluster, "kip848", Count, 60);
        var resumed = new ConcurrentDictionary<(string Topic, int Partition, long Offset), int>();
        var next = Start(cluster, "g", "kip848", resumed);
        await WaitAsync(() => resumed.Count >= 60, TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        await next.StopAsync();
        Assert.Equal(60, resumed.Count);
        Assert.Empty(resumed.Keys.Intersect(seen.Keys));
    }

    [Fact]
    public async Task A_regex_subscription_reads_the_matching_topics_only()
    {
        // Kafka 4.0's generation serves the consumer group protocol without being asked to, as Kafka 4.0 does.
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { ApiGeneration = KafkaApiGeneration.Kafka40 });
        await Clients.CreateTopicAsync(cluster, "topic-a", 2);
        await Clients.CreateTopicAsync(cluster, "topic-b", 1);
        await Clients.CreateTopicAsync(cluster, "other", 1);
        foreach (var topic in new[] { "topic-a", "topic-b", "other" })
        {
            Produce(cluster, topic, 0, 10);
        }

        var topics = new ConcurrentDictionary<string, int>();
        using var consumer = new ConsumerBuilder<string, string>(Config(cluster, "regex")).Build();
        consumer.Subscribe("^topic-.*");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var read = 0;
        while (read < 20 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                topics.AddOrUpdate(result.Topic, 1, (_, n) => n + 1);
                read++;
            }
        }

        // Nothing of "other" arrives even when waiting a little longer.
        var extra = consumer.Consume(TimeSpan.FromSeconds(1));
        consumer.Close();
        Assert.Null(extra);
        Assert.Equal([("topic-a", 10), ("topic-b", 10)], topics.Select(t => (t.Key, t.Value)).Order());
    }

    /// <summary>The group's type as ListGroups v5 reports it, from whichever node coordinates it.</summary>
    private static async Task<string?> GroupTypeAsync(EmbeddedCluster cluster, string group)
    {
        foreach (var endPoint in cluster.EndPoints)
        {
            await using var raw = await PartnerZones.Testing.KafkaWire.KafkaWireClient.ConnectAsync(endPoint);
            var listed = await raw.SendAsync<PartnerZones.Protocol.Messages.ListGroupsResponse>(new PartnerZones.Protocol.Messages.ListGroupsRequest(), 5);
            if (listed.Groups.FirstOrDefault(g => g.GroupId == group) is { } found)
            {
                return found.GroupType;
            }
        }

        return null;
    }

    private static ConsumerConfig Config(EmbeddedCluster cluster, string group) => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        GroupId = group,
        GroupProtocol = GroupProtocol.Consumer,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
    };

    private static void Produce(EmbeddedCluster cluster, string topic, int from, int count)
    {
        using var producer = new ProducerBuilder<string, string>(Clients.Producer(cluster)).Build();
        for (var i = from; i < from + count; i++)
        {
            producer.Produce(topic, new Message<string, string> { Key = $"k{i}", Value = i.ToString(CultureInfo.InvariantCulture) });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    private static CommittingMember Start(EmbeddedCluster cluster, string group, string topic, ConcurrentDictionary<(string, int, long), int> seen) =>
        new(Config(cluster, group), [topic], seen);

    private static Task WaitAsync(Func<bool> done, TimeSpan within) => CommittingMember.WaitAsync(done, within);
}
