using System.Diagnostics;
using Confluent.Kafka;
using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Tests.Clients;
using PartnerZones.Gateway.Traffic;
using Xunit.Abstractions;

namespace PartnerZones.Gateway.Tests.Traffic;

/// <summary>
/// A zone's trafficControlPolicies, with real clients: a producer or consumer trying twice the zone's rate
/// is held to the rate (answers carry a throttle time and the connection is muted) without an error and
/// without losing a record; commits over limitCommitOffset succeed at the limit's pace on a connection that
/// stays open; a zone without limits is never throttled. Rates are small so the machine is never the limit.
/// </summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class TrafficControlTests(ITestOutputHelper output)
{
    private const int ValueBytes = 1000;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_producer_at_twice_the_zone_rate_is_held_to_the_rate_and_loses_nothing()
    {
        const long Rate = 100_000;
        await using var gateway = await GatewayFixture.StartAsync(1, ZoneWith($"maxProduceRate: {Rate}"));
        var value = new string('p', ValueBytes);
        var delivered = new List<(TimeSpan At, string Key)>();
        var errors = new List<string>();
        var throttle = new ThrottleSeen();
        using (var producer = throttle.Watch(new ProducerBuilder<string, string>(new ProducerConfig(gateway.Partner()) { LingerMs = 5, BatchSize = 16_384, StatisticsIntervalMs = 1000 })).Build())
        {
            var clock = Stopwatch.StartNew();
            var offered = 0;
            // Offered at twice the rate (two records of 1000 bytes every 10 ms), bounded by count and time.
            while (clock.Elapsed < Window && offered < 2 * Rate / ValueBytes * Window.TotalSeconds)
            {
                var target = (int)(clock.Elapsed.TotalSeconds * 2 * Rate / ValueBytes);
                for (; offered < target; offered++)
                {
                    var key = $"rate-{offered}";
                    producer.Produce(ZoneExpectations.WriteAlias, new Message<string, string> { Key = key, Value = value }, report =>
                    {
                        lock (delivered)
                        {
                            if (report.Error.IsError)
                            {
                                errors.Add(report.Error.Reason);
                            }
                            else
                            {
                                delivered.Add((clock.Elapsed, report.Message.Key));
                            }
                        }
                    });
                }

                await Task.Delay(10);
            }

            // What was offered and not yet delivered is still delivered, at the rate: nothing is dropped.
            var left = producer.Flush(TimeSpan.FromSeconds(90));
            Assert.Equal(0, left);
            lock (delivered)
            {
                Assert.Empty(errors);
                Assert.Equal(offered, delivered.Count);
                var first = delivered.Min(d => d.At);
                var inWindow = delivered.Count(d => d.At > first && d.At <= first + Window);
                var achieved = inWindow * (double)ValueBytes / Window.TotalSeconds;
                output.WriteLine($"produce: offered {offered} records, achieved {achieved:F0} B/s of values against {Rate} B/s");
                Assert.InRange(achieved, Rate * 0.9, Rate * 1.1);
            }
        }

        Assert.True(gateway.Gateway.Runtime.Metrics.Traffic.ThrottleMs(GatewayFixture.ZoneName, TrafficControl.Produce) > 0);
        // The client itself saw throttle times in the answers.
        Assert.True(throttle.MaxMs > 0);
        Assert.Contains($"pz_gateway_zone_throttle_time_ms_total{{zone=\"{GatewayFixture.ZoneName}\",limit=\"produce\"}}", gateway.Gateway.Runtime.Metrics.Render());
        // Read back from the backing cluster itself: every record is there.
        var keys = ReadUpstreamKeys(gateway, "rate-");
        Assert.Equal(delivered.Count, keys.Count);
    }

    [Fact]
    public async Task A_consumer_of_a_full_topic_is_held_to_the_zone_rate_and_misses_nothing()
    {
        const long Rate = 100_000;
        await using var gateway = await GatewayFixture.StartAsync(1, ZoneWith($"maxConsumeRate: {Rate}"));
        // Three times what the window may carry, so the consumer never runs dry.
        const int Records = 6_000;
        ProduceUpstream(gateway, Records);
        var config = new ConsumerConfig(gateway.Partner())
        {
            GroupId = "rate-consumer",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            // Small fetches, so one answer is a small part of a second's allowance.
            FetchMaxBytes = 64 * 1024,
            MaxPartitionFetchBytes = 32 * 1024,
            MessageMaxBytes = 64 * 1024,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Assign(Enumerable.Range(0, GatewayFixture.BackingPartitions).Select(p => new TopicPartitionOffset(ZoneExpectations.ReadAlias, p, Offset.Beginning)));
        var next = new Dictionary<int, long>();
        var clock = new Stopwatch();
        long bytes = 0;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while ((!clock.IsRunning || clock.Elapsed < Window) && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            // Offsets of each partition arrive one after the other: nothing skipped.
            Assert.Equal(next.GetValueOrDefault(result.Partition.Value), result.Offset.Value);
            next[result.Partition.Value] = result.Offset.Value + 1;
            if (!clock.IsRunning)
            {
                clock.Start();
                continue;
            }

            bytes += result.Message.Value.Length;
        }

        var achieved = bytes / clock.Elapsed.TotalSeconds;
        output.WriteLine($"consume: achieved {achieved:F0} B/s of values against {Rate} B/s");
        Assert.InRange(achieved, Rate * 0.9, Rate * 1.1);
        Assert.True(gateway.Gateway.Runtime.Metrics.Traffic.ThrottleMs(GatewayFixture.ZoneName, TrafficControl.Consume) > 0);
        consumer.Close();
    }

    [Fact]
    public async Task Commits_over_the_limit_succeed_at_the_limits_pace_on_a_connection_that_stays_open()
    {
        const int PerMinute = 120;
        await using var gateway = await GatewayFixture.StartAsync(1, ZoneWith($"limitCommitOffset: {PerMinute}"));
        ProduceUpstream(gateway, 10);
        var config = new ConsumerConfig(gateway.Partner()) { GroupId = "rate-commits", EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        var commits = 0;
        var clock = Stopwatch.StartNew();
        var span = TimeSpan.FromSeconds(15);
        while (clock.Elapsed < span && commits < 1_000)
        {
            // Throws on any failed commit; none may fail.
            consumer.Commit([new TopicPartitionOffset(ZoneExpectations.WriteAlias, 0, commits % 10)]);
            commits++;
        }

        var perSecond = commits / clock.Elapsed.TotalSeconds;
        output.WriteLine($"commit: {commits} commits in {clock.Elapsed.TotalSeconds:F1} s, {perSecond * 60:F0} per minute against {PerMinute}");
        // The limit's pace plus at most one second's worth at the start; unthrottled this loop makes hundreds.
        Assert.InRange(perSecond, PerMinute / 60.0 * 0.75, PerMinute / 60.0 * 1.25);
        Assert.True(gateway.Gateway.Runtime.Metrics.Traffic.ThrottleMs(GatewayFixture.ZoneName, TrafficControl.Commit) > 0);
        foreach (var reason in new[] { ConnectionCloseLog.Unsupported, ConnectionCloseLog.ProtocolViolation, ConnectionCloseLog.FrameTooLarge, ConnectionCloseLog.Malformed, ConnectionCloseLog.UpstreamFailed })
        {
            Assert.Equal(0, gateway.Gateway.Runtime.Metrics.ClosedByGateway(reason));
        }

        consumer.Close();
    }

    [Fact]
    public async Task A_zone_without_limits_is_never_throttled()
    {
        await using var gateway = await GatewayFixture.StartAsync(1);
        var value = new string('u', ValueBytes);
        var throttle = new ThrottleSeen();
        using (var producer = throttle.Watch(new ProducerBuilder<string, string>(new ProducerConfig(gateway.Partner()) { LingerMs = 5, StatisticsIntervalMs = 1000 })).Build())
        {
            for (var i = 0; i < 3_000; i++)
            {
                producer.Produce(ZoneExpectations.WriteAlias, new Message<string, string> { Key = $"free-{i}", Value = value });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
            // Let one more statistics report cover the answers.
            await Task.Delay(1500);
        }

        Assert.True(throttle.Reports > 0);
        Assert.Equal(0, throttle.MaxMs);
        var config = new ConsumerConfig(gateway.Partner()) { GroupId = "free", AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Assign(Enumerable.Range(0, GatewayFixture.BackingPartitions).Select(p => new TopicPartitionOffset(ZoneExpectations.ReadAlias, p, Offset.Beginning)));
        var read = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (read < 3_000 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                read++;
                if (read % 100 == 0)
                {
                    consumer.Commit(result);
                }
            }
        }

        Assert.Equal(3_000, read);
        var metrics = gateway.Gateway.Runtime.Metrics;
        foreach (var limit in new[] { TrafficControl.Produce, TrafficControl.Consume, TrafficControl.Commit })
        {
            Assert.Equal(0, metrics.Traffic.ThrottleMs(GatewayFixture.ZoneName, limit));
        }

        Assert.False(gateway.Gateway.Runtime.Traffic.IsThrottled(GatewayFixture.ZoneName));
        Assert.DoesNotContain("pz_gateway_zone_throttle_time_ms_total{", metrics.Render());
        consumer.Close();
    }

    /// <summary>The largest throttle time librdkafka reports having received from any broker (its statistics'
    /// per-broker <c>throttle</c> window), so a test sees what the client saw on the wire.</summary>
    private sealed class ThrottleSeen
    {
        private long _maxMs;
        private int _reports;

        public long MaxMs => Interlocked.Read(ref _maxMs);

        public int Reports => Volatile.Read(ref _reports);

        public ProducerBuilder<string, string> Watch(ProducerBuilder<string, string> builder) =>
            builder.SetStatisticsHandler((_, json) =>
            {
                using var stats = System.Text.Json.JsonDocument.Parse(json);
                foreach (var broker in stats.RootElement.GetProperty("brokers").EnumerateObject())
                {
                    if (broker.Value.TryGetProperty("throttle", out var window) && window.GetProperty("max").GetInt64() > Interlocked.Read(ref _maxMs))
                    {
                        Interlocked.Exchange(ref _maxMs, window.GetProperty("max").GetInt64());
                    }
                }

                Interlocked.Increment(ref _reports);
            });
    }

    /// <summary>johndoe's example zone with one trafficControlPolicies entry.</summary>
    private static string ZoneWith(string policy) => GatewayFixture.ExampleZoneWith($"  trafficControlPolicies:\n    {policy}");

    /// <summary>Fills the backing topic directly, in small batches: a fetch returns at least one whole batch
    /// whatever its size limits say, and batches of a megabyte would make each answer several seconds' worth.</summary>
    private static void ProduceUpstream(GatewayFixture gateway, int count)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = gateway.Cluster.BootstrapServers, LingerMs = 5, BatchSize = 16_384 }).Build();
        var value = new string('c', ValueBytes);
        for (var i = 0; i < count; i++)
        {
            producer.Produce(GatewayFixture.BackingTopic, new Message<string, string> { Key = $"fill-{i}", Value = value });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
    }

    private static HashSet<string> ReadUpstreamKeys(GatewayFixture gateway, string prefix)
    {
        var config = new ConsumerConfig { BootstrapServers = gateway.Cluster.BootstrapServers, GroupId = "upstream-check", EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        var ends = Enumerable.Range(0, GatewayFixture.BackingPartitions)
            .Select(p => (Partition: p, End: consumer.QueryWatermarkOffsets(new TopicPartition(GatewayFixture.BackingTopic, p), TimeSpan.FromSeconds(10)).High.Value))
            .ToList();
        consumer.Assign(ends.Select(e => new TopicPartitionOffset(GatewayFixture.BackingTopic, e.Partition, Offset.Beginning)));
        var total = ends.Sum(e => e.End);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var read = 0L;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (read < total && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                read++;
                if (result.Message.Key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    keys.Add(result.Message.Key);
                }
            }
        }

        consumer.Close();
        return keys;
    }
}
