using System.Diagnostics;
using Confluent.Kafka;
using PartnerZones.LoadTest.Targets;

namespace PartnerZones.LoadTest.Workload;

/// <summary>Reads the scenario's topic from where it started (the beginning of a fresh topic) with one Confluent.Kafka consumer until every
/// record the producer saw acknowledged has arrived, or the time limit is reached. Partitions are
/// assigned, not subscribed, so no group rebalance delay is measured as consumer time, and the clock
/// starts at the first record, so connecting and looking up offsets is not either.</summary>
internal static class ConsumePhase
{
    public static ConsumeFigures Run(OpenTarget target, ScenarioTopic topic, LoadSettings settings, ProduceFigures produced, CancellationToken cancellationToken)
    {
        var config = target.Client.ApplyTo(new ConsumerConfig
        {
            BootstrapServers = target.BootstrapServers,
            ClientId = "pz-loadtest-consumer",
            GroupId = topic.Name + "-readers",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = false,
            FetchQueueBackoffMs = settings.FetchQueueBackoffMs,
        });

        var deliveredIndexes = produced.DeliveredIndexes;
        var seen = new bool[produced.Attempted];
        int consumed = 0, seenDelivered = 0, duplicates = 0, corrupt = 0;
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config)
            .SetLogHandler((_, m) => ClientLog.Write("consumer", m))
            .Build();
        var start = Stopwatch.GetTimestamp();
        var deadline = start + Latencies.ToTicks(settings.PhaseLimit);
        var firstAt = 0L;
        var lastNewAt = 0L;
        consumer.Assign(topic.Start);
        var hitTimeLimit = false;
        while (seenDelivered < produced.Delivered)
        {
            if (Stopwatch.GetTimestamp() >= deadline || cancellationToken.IsCancellationRequested)
            {
                hitTimeLimit = true;
                break;
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result?.Message is not { } message)
            {
                continue;
            }

            var index = Payload.Read(message.Value, settings.RecordSize);
            if (index < 0 || index >= seen.Length)
            {
                corrupt++;
            }
            else if (seen[index])
            {
                duplicates++;
            }
            else
            {
                seen[index] = true;
                consumed++;
                lastNewAt = Stopwatch.GetTimestamp();
                if (firstAt == 0)
                {
                    firstAt = lastNewAt;
                }

                if (deliveredIndexes[index])
                {
                    seenDelivered++;
                }
            }
        }

        consumer.Close();
        return new ConsumeFigures
        {
            Consumed = consumed,
            MissingDelivered = produced.Delivered - seenDelivered,
            Duplicates = duplicates,
            Corrupt = corrupt,
            HitTimeLimit = hitTimeLimit,
            // One record gives no interval to divide by.
            Seconds = consumed > 1 ? Latencies.ToMs(lastNewAt - firstAt) / 1000 : 0,
            FirstRecordMs = consumed > 0 ? Latencies.ToMs(firstAt - start) : double.NaN,
            ValueBytes = (long)consumed * settings.RecordSize,
        };
    }
}
