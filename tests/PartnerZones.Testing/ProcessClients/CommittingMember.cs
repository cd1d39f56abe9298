using System.Collections.Concurrent;
using Confluent.Kafka;

namespace PartnerZones.Testing.ProcessClients;

/// <summary>
/// One member of a consumer group (Confluent.Kafka, on its own thread) that records every record it reads
/// in a shared tally and commits each record before reading the next, so a partition taken from it
/// resumes exactly after its last record: across the group's members, the tally shows every record read
/// exactly once, whatever rebalances happened. Records are read slowly enough (10 ms each) that members
/// joining and leaving meet while there is plenty left to read.
/// </summary>
public sealed class CommittingMember
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _read;

    /// <param name="config">The consumer's configuration (group, group.protocol, auto.offset.reset...).</param>
    /// <param name="topics">What it subscribes to: names, or one regular expression starting with '^'.</param>
    /// <param name="seen">How many times each (topic, partition, offset) was read, across members.</param>
    public CommittingMember(ConsumerConfig config, IEnumerable<string> topics, ConcurrentDictionary<(string Topic, int Partition, long Offset), int> seen)
    {
        var subscription = topics.ToList();
        _loop = Task.Factory.StartNew(() =>
        {
            using var consumer = new ConsumerBuilder<string, string>(config).Build();
            consumer.Subscribe(subscription);
            while (!_stop.IsCancellationRequested)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null || result.IsPartitionEOF)
                {
                    continue;
                }

                seen.AddOrUpdate((result.Topic, result.Partition.Value, result.Offset.Value), 1, (_, n) => n + 1);
                Interlocked.Increment(ref _read);
                Thread.Sleep(10);
                consumer.Commit(result);
            }

            consumer.Close();
        }, TaskCreationOptions.LongRunning);
    }

    /// <summary>How many records this member has read.</summary>
    public int Read => Volatile.Read(ref _read);

    /// <summary>Leaves the group (closing the consumer) and waits for the member's thread to end.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    /// <summary>Waits until <paramref name="done"/> holds or <paramref name="within"/> has passed.</summary>
    public static async Task WaitAsync(Func<bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!done() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }
}
