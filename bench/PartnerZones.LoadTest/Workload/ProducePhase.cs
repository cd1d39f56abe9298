using System.Diagnostics;
using Confluent.Kafka;
using PartnerZones.LoadTest.Targets;

namespace PartnerZones.LoadTest.Workload;

/// <summary>Sends up to <see cref="LoadSettings.Records"/> records through one Confluent.Kafka producer,
/// as fast as it accepts them (or at <see cref="LoadSettings.Rate"/>), until the count or the time limit
/// is reached, then flushes.</summary>
internal static class ProducePhase
{
    public static ProduceFigures Run(OpenTarget target, string topic, Acks acks, LoadSettings settings, CancellationToken cancellationToken)
    {
        var records = settings.Records;
        var config = target.Client.ApplyTo(new ProducerConfig
        {
            BootstrapServers = target.BootstrapServers,
            ClientId = "pz-loadtest-producer",
            Acks = acks,
            // Idempotence would force acks=all; the two acks settings are compared as plain producers.
            EnableIdempotence = false,
            LingerMs = settings.LingerMs,
            BatchSize = settings.BatchSize,
            CompressionType = CompressionType.None,
            // A record not acknowledged by the end of the phase and its flush counts as failed, so the
            // phase cannot outlast its bound waiting for librdkafka's default 5-minute timeout.
            MessageTimeoutMs = (int)(settings.PhaseLimit + LoadSettings.FlushGrace).TotalMilliseconds,
        });

        var sentAt = new long[records];
        var latency = new long[records];
        var delivered = new bool[records];
        var deliveredCount = 0;
        var failedCount = 0;
        var reports = 0;
        var lastReportAt = 0L;
        string? firstError = null;

        // Runs on the producer's single background poll thread; the counters are read after the flush.
        void OnDelivery(int index, DeliveryReport<Null, byte[]> report)
        {
            var now = Stopwatch.GetTimestamp();
            if (report.Error.IsError)
            {
                firstError ??= report.Error.Reason;
                failedCount++;
            }
            else
            {
                latency[index] = now - sentAt[index];
                delivered[index] = true;
                deliveredCount++;
                lastReportAt = now;
            }

            Interlocked.Increment(ref reports);
        }

        using var producer = new ProducerBuilder<Null, byte[]>(config)
            .SetLogHandler((_, m) => ClientLog.Write("producer", m))
            .Build();
        var value = Payload.Create(settings.RecordSize);
        var message = new Message<Null, byte[]> { Value = value };
        var start = Stopwatch.GetTimestamp();
        var deadline = start + Latencies.ToTicks(settings.PhaseLimit);
        var attempted = 0;
        var hitTimeLimit = false;
        while (attempted < records)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= deadline || cancellationToken.IsCancellationRequested)
            {
                hitTimeLimit = true;
                break;
            }

            if (settings.Rate > 0)
            {
                var due = start + (long)((double)attempted * Stopwatch.Frequency / settings.Rate);
                if (now < due)
                {
                    // Sleeping, not spinning, keeps the CPU figures about the clients; the records that fell
                    // due meanwhile then go in one burst of at most a few milliseconds, about one linger.ms.
                    Thread.Sleep(1);
                    continue;
                }
            }

            var index = attempted;
            Payload.Stamp(value, index);
            try
            {
                sentAt[index] = Stopwatch.GetTimestamp();
                producer.Produce(topic, message, report => OnDelivery(index, report));
                attempted++;
            }
            catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // librdkafka's queue is full (100,000 records by default): wait for deliveries to drain it.
                Thread.Sleep(1);
            }
        }

        var undelivered = producer.Flush(LoadSettings.FlushGrace);

        // Flush returns once librdkafka's queue is empty; the last report callbacks may still be running.
        var settle = Stopwatch.StartNew();
        while (Volatile.Read(ref reports) < attempted - undelivered && settle.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(1);
        }

        Thread.MemoryBarrier();
        var ticks = new long[deliveredCount];
        var n = 0;
        for (var i = 0; i < attempted && n < ticks.Length; i++)
        {
            if (delivered[i])
            {
                ticks[n++] = latency[i];
            }
        }

        Array.Sort(ticks);
        return new ProduceFigures
        {
            Attempted = attempted,
            Delivered = deliveredCount,
            Failed = failedCount + undelivered,
            FirstError = firstError ?? (undelivered > 0 ? $"{undelivered} records still queued after the flush" : null),
            HitTimeLimit = hitTimeLimit,
            Seconds = deliveredCount > 0 ? Latencies.ToMs(lastReportAt - start) / 1000 : 0,
            ValueBytes = (long)deliveredCount * settings.RecordSize,
            P50Ms = Latencies.PercentileMs(ticks, 50),
            P99Ms = Latencies.PercentileMs(ticks, 99),
            DeliveredIndexes = delivered,
        };
    }
}
