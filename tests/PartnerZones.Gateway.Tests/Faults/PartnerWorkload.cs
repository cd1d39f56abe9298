using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;

namespace PartnerZones.Gateway.Tests.Faults;

/// <summary>
/// A partner producing (acks=all, idempotent) to the write alias and a partner group consuming the read
/// alias, both through the gateway, each on its own thread. Records what the producer got acknowledged
/// and what the consumer received, so a test can prove nothing acknowledged was lost.
/// Values are "&lt;marker&gt;-&lt;sequence number&gt;".
/// </summary>
internal sealed class PartnerWorkload : IAsyncDisposable
{
    /// <summary>Upper bound on records one workload produces, whatever the time.</summary>
    private const int MaxRecords = 60_000;

    private readonly ConcurrentDictionary<int, bool> _acked = new();
    private readonly ConcurrentDictionary<string, int> _received = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly CancellationTokenSource _stopProducing = new();
    private readonly CancellationTokenSource _stopConsuming = new();
    private readonly IProducer<string, string> _producer;
    private readonly Task _producing;
    private readonly Task _consuming;
    private int _produced;
    private int _failed;

    private PartnerWorkload(FaultHarness harness, string marker, string group)
    {
        Marker = marker;
        Group = group;
        _producer = new ProducerBuilder<string, string>(new ProducerConfig(harness.Partner())
        {
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            // Bounded so that every record is settled (acknowledged or failed) within the test's time.
            MessageTimeoutMs = 45_000,
            ReconnectBackoffMaxMs = 1_000,
        }).SetErrorHandler((_, e) => Note($"producer: {e}")).Build();
        _producing = Task.Factory.StartNew(Produce, TaskCreationOptions.LongRunning);
        _consuming = Task.Factory.StartNew(() => Consume(harness), TaskCreationOptions.LongRunning);
    }

    public string Marker { get; }

    public string Group { get; }

    /// <summary>Records handed to the producer so far (the next sequence number).</summary>
    public int Produced => Volatile.Read(ref _produced);

    public int Acked => _acked.Count;

    public int Failed => Volatile.Read(ref _failed);

    public int Received => _received.Count;

    public static PartnerWorkload Start(FaultHarness harness) =>
        new(harness, "fault-" + Guid.NewGuid().ToString("N")[..12], "fault-group-" + Guid.NewGuid().ToString("N")[..8]);

    public string Value(int sequence) => $"{Marker}-{sequence}";

    /// <summary>How many records with sequence number at least <paramref name="from"/> were acknowledged.</summary>
    public int AckedFrom(int from) => _acked.Keys.Count(k => k >= from);

    /// <summary>Acknowledged values the consumer has not received.</summary>
    public List<string> AckedNotReceived() => [.. _acked.Keys.Order().Select(Value).Where(v => !_received.ContainsKey(v))];

    public IReadOnlyCollection<string> AckedValues => [.. _acked.Keys.Select(Value)];

    public async Task<bool> WaitAsync(Func<bool> condition, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > within)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    /// <summary>Stops producing and waits until every record handed over is acknowledged or failed.</summary>
    public async Task StopProducingAsync(TimeSpan within)
    {
        await _stopProducing.CancelAsync();
        await _producing;
        var left = await Task.Run(() => _producer.Flush(within));
        if (left > 0)
        {
            Note($"{left} records still unsettled after flushing for {within.TotalSeconds} s");
        }
    }

    public string Describe() =>
        $"produced {Produced}, acknowledged {Acked}, failed {Failed}, received {Received}; recent errors: {string.Join(" | ", _errors.TakeLast(12))}";

    private void Produce()
    {
        var sequence = 0;
        while (!_stopProducing.IsCancellationRequested && sequence < MaxRecords)
        {
            // About 500 records a second: steady traffic, small enough for two shared cores.
            for (var i = 0; i < 5 && sequence < MaxRecords; i++)
            {
                var number = sequence;
                try
                {
                    _producer.Produce(FaultHarness.WriteAlias, new Message<string, string> { Key = $"k{number % 97}", Value = Value(number) }, report =>
                    {
                        if (report.Error.IsError)
                        {
                            Interlocked.Increment(ref _failed);
                            Note($"delivery of {number}: {report.Error}");
                        }
                        else
                        {
                            _acked[number] = true;
                        }
                    });
                    sequence++;
                    Volatile.Write(ref _produced, sequence);
                }
                catch (ProduceException<string, string> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    break;
                }
            }

            Thread.Sleep(10);
        }
    }

    private void Consume(FaultHarness harness)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig(harness.Partner())
        {
            GroupId = Group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 10_000,
            HeartbeatIntervalMs = 1_000,
            ReconnectBackoffMaxMs = 1_000,
        }).SetErrorHandler((_, e) => Note($"consumer: {e}")).Build();
        consumer.Subscribe(FaultHarness.ReadAlias);
        while (!_stopConsuming.IsCancellationRequested)
        {
            try
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result?.Message?.Value is { } value && value.StartsWith(Marker, StringComparison.Ordinal))
                {
                    _received.AddOrUpdate(value, 1, (_, n) => n + 1);
                }
            }
            catch (ConsumeException e)
            {
                Note($"consume: {e.Error}");
            }
        }

        try
        {
            consumer.Close();
        }
        catch (KafkaException e)
        {
            Note($"consumer close: {e.Error}");
        }
    }

    private void Note(string error)
    {
        _errors.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {error}");
        while (_errors.Count > 200 && _errors.TryDequeue(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopProducing.CancelAsync();
        await _stopConsuming.CancelAsync();
        await Task.WhenAll(_producing, _consuming);
        _producer.Dispose();
        _stopProducing.Dispose();
        _stopConsuming.Dispose();
    }
}
