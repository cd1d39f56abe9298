using System.CommandLine;
using Confluent.Kafka;

namespace PartnerZones.LoadTest.Gateway;

/// <summary>
/// `pz-loadtest gateway-compare`: in one run, an embedded cluster, a `pz gateway` process in front of it with a
/// zone aliasing the scenarios' topics, and the same workloads direct and through the gateway, interleaved.
/// </summary>
public static class GatewayCompareCommand
{
    public static Command Build()
    {
        var records = LoadTestCommand.IntOption("--records", 500_000, 1, 10_000_000, "Records per unthrottled run, at most (--quick: 20,000).");
        var recordSize = LoadTestCommand.IntOption("--record-size", 1024, Workload.Payload.MinimumSize, 1_000_000, "Bytes of each record's value.");
        var seconds = LoadTestCommand.IntOption("--seconds", 60, 1, 3600, "Time limit of each phase (produce, consume) of each run.");
        var partitions = LoadTestCommand.IntOption("--partitions", 6, 1, 1000, "Partitions of each run's topic.");
        var nodes = LoadTestCommand.IntOption("--nodes", 1, 1, 9, "Nodes of the embedded cluster behind the gateway.");
        var linger = LoadTestCommand.IntOption("--linger-ms", 5, 0, 60_000, "The producer's linger.ms.");
        var fetchBackoff = LoadTestCommand.IntOption("--fetch-queue-backoff-ms", 10, 0, 60_000, "The consumer's fetch.queue.backoff.ms.");
        var repeat = LoadTestCommand.IntOption("--repeat", 3, 1, 20, "Runs of each workload on each side; the report gives medians (--quick: 1).");
        var warmup = LoadTestCommand.IntOption("--warmup", 50_000, 0, 1_000_000, "Records produced and consumed on each side before measuring; 0 skips (--quick: 2,000).");
        var latencyRate = LoadTestCommand.IntOption("--latency-rate", 5_000, 0, 1_000_000,
            "Records/s of the fixed-rate produce runs that measure latency; 0 skips them (--quick: 1,000).");
        var latencySeconds = LoadTestCommand.IntOption("--latency-seconds", 10, 1, 600, "Seconds of records per fixed-rate run (--quick: 2).");
        var batchSize = new Option<int?>("--batch-size")
        {
            Description = "The producers' batch.size (default: librdkafka's, about 1 MB). With --header-rules use one well below the topic's "
                + "max.message.bytes: the added headers make each batch larger upstream.",
        };
        var headerRules = new Option<bool>("--header-rules")
        {
            Description = "Give the zone header rules (three headers added on produce, one removed on consume), so the gateway decodes and re-encodes every batch; compare with a run without.",
        };
        var quick = new Option<bool>("--quick") { Description = "A smoke test: few records, one run; options given explicitly still apply." };
        var gatewayEnv = new Option<string[]>("--gateway-env")
        {
            Description = "NAME=VALUE environment variable of the gateway process, e.g. DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1; repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        gatewayEnv.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    result.AddError($"--gateway-env {token.Value}: give NAME=VALUE, e.g. DOTNET_gcServer=1.");
                }
            }
        });

        var command = new Command("gateway-compare",
            "Start an embedded cluster and a `pz gateway` process in front of it, and run 1 KB produce (acks=1, acks=all, unthrottled and at a fixed rate) " +
            "and consume workloads direct and through the gateway (SASL PLAIN), interleaved; print throughput and latency ratios and the gateway's CPU per GB.")
        {
            records, recordSize, seconds, partitions, nodes, linger, fetchBackoff, repeat, warmup, latencyRate, latencySeconds, quick, gatewayEnv, headerRules, batchSize,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var isQuick = parse.GetValue(quick);
            int Value(Option<int> option, int quickValue) => isQuick && parse.GetResult(option) is null or { Implicit: true } ? quickValue : parse.GetValue(option);
            var settings = new GatewayCompareSettings
            {
                Load = new LoadSettings
                {
                    Targets = [GatewayBench.DirectSpec, GatewayBench.GatewaySpec],
                    Compare = true,
                    Acks = [Acks.Leader, Acks.All],
                    Records = Value(records, 20_000),
                    RecordSize = parse.GetValue(recordSize),
                    PhaseLimit = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                    Partitions = parse.GetValue(partitions),
                    LingerMs = parse.GetValue(linger),
                    BatchSize = parse.GetValue(batchSize),
                    FetchQueueBackoffMs = parse.GetValue(fetchBackoff),
                    Repeat = Value(repeat, 1),
                    WarmupRecords = Value(warmup, 2_000),
                    TopicPrefix = "pz-load",
                },
                Nodes = parse.GetValue(nodes),
                LatencyRate = Value(latencyRate, 1_000),
                LatencySeconds = Value(latencySeconds, 2),
                GatewayEnvironment = (parse.GetValue(gatewayEnv) ?? []).Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1]),
                Quick = isQuick,
                HeaderRules = parse.GetValue(headerRules),
            };

            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var outcome = await GatewayCompareRunner.RunAsync(settings, error, cancellationToken).ConfigureAwait(false);
                GatewayCompareReport.Write(output, settings, outcome);
                return outcome.Runs.Any(r => r.Result.Failed) ? 1 : 0;
            }
            catch (Exception e) when (e is KafkaException or System.Net.Sockets.SocketException or IOException or TimeoutException)
            {
                // The gateway would not start, a port was taken, a topic could not be created: say which.
                await error.WriteLineAsync($"pz-loadtest gateway-compare: {e.Message}").ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }
}
