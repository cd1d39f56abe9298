using System.CommandLine;
using System.CommandLine.Parsing;
using PartnerZones.LoadTest.Reporting;
using PartnerZones.LoadTest.Targets;

namespace PartnerZones.LoadTest;

/// <summary>The pz-loadtest command line: which targets, which workload, how long at most.</summary>
public static class LoadTestCommand
{
    public const string Description =
        "Produce then consume throughput, and produce latency, of Confluent.Kafka against an embedded cluster started " +
        "in this process (default: 1 and 3 nodes), a running cluster or gateway (--bootstrap, with SASL options), or two targets compared (--compare); " +
        "`gateway-compare` measures a gateway against the cluster behind it in one run.";

    public static RootCommand Build()
    {
        var records = IntOption("--records", 1_000_000, 1, 10_000_000, "Records per scenario, at most.");
        var recordSize = IntOption("--record-size", 1024, Workload.Payload.MinimumSize, 1_000_000, "Bytes of each record's value.");
        var seconds = IntOption("--seconds", 60, 1, 3600, "Time limit of each phase (produce, consume) of each scenario.");
        var partitions = IntOption("--partitions", 6, 1, 1000, "Partitions of each scenario's topic.");
        var rate = IntOption("--rate", 0, 0, 10_000_000, "Records per second the producer is held to; 0 sends as fast as the client accepts.");
        var linger = IntOption("--linger-ms", 5, 0, 60_000, "The producer's linger.ms.");
        var fetchBackoff = IntOption("--fetch-queue-backoff-ms", 10, 0, 60_000,
            "The consumer's fetch.queue.backoff.ms (librdkafka's default is 1000, which idles fetchers whenever the client's queue is full).");
        var repeat = IntOption("--repeat", 3, 1, 20, "Runs of each scenario; the report gives the median of each figure.");
        var warmup = IntOption("--warmup", 50_000, 0, 1_000_000, "Records produced and consumed on each target before measuring; 0 skips.");
        var topicPrefix = new Option<string>("--topic-prefix") { Description = "Prefix of the topics created (and deleted) per scenario.", DefaultValueFactory = _ => "pz-load" };
        var acks = new Option<string[]>("--acks")
        {
            Description = "acks settings to run, each of 0, 1, all.",
            DefaultValueFactory = _ => ["1", "all"],
            AllowMultipleArgumentsPerToken = true,
        };
        acks.AcceptOnlyFromAmong(AcksText.Accepted);
        var nodes = new Option<int[]>("--nodes")
        {
            Description = "Embedded cluster sizes to run (without --bootstrap or --compare).",
            DefaultValueFactory = _ => [1, 3],
            AllowMultipleArgumentsPerToken = true,
        };
        var bootstrap = new Option<string?>("--bootstrap") { Description = "Run against this cluster (host:port[,host:port...]) instead of an embedded one." };
        var compare = new Option<string[]>("--compare")
        {
            Description = "Run the same workload against two targets, each a bootstrap list or embedded:N, and print the second's figures over the first's " +
                          "(e.g. --compare BACKING_BOOTSTRAP GATEWAY_BOOTSTRAP).",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };

        var saslMechanism = new Option<string?>("--sasl-mechanism")
        {
            Description = "Log in with SASL (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512) to --bootstrap, or to the second --compare target (a gateway); needs --username and --password.",
        };
        saslMechanism.AcceptOnlyFromAmong("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
        var username = new Option<string?>("--username") { Description = "SASL user name (with --sasl-mechanism)." };
        var password = new Option<string?>("--password") { Description = "SASL password (with --sasl-mechanism)." };
        var securityProtocol = new Option<string>("--security-protocol")
        {
            Description = "Security protocol with --sasl-mechanism: SASL_PLAINTEXT or SASL_SSL.",
            DefaultValueFactory = _ => "SASL_PLAINTEXT",
        };
        securityProtocol.AcceptOnlyFromAmong("SASL_PLAINTEXT", "SASL_SSL");
        var clientProperties = new Option<FileInfo?>("--client-properties")
        {
            Description = "librdkafka properties (key=value lines, e.g. examples/johndoe.properties) for every client of --bootstrap or of the second --compare target; " +
                          "its bootstrap.servers line is ignored. --sasl-* options win over the file.",
        };
        var existingTopic = new Option<string?>("--topic")
        {
            Description = "Write to and read back this existing topic of --bootstrap, or of the second --compare target, instead of creating and deleting one per run " +
                          "(e.g. a zone's WRITE alias behind a gateway, where partners cannot create topics); each run reads back only what it wrote.",
        };

        var root = new RootCommand(Description)
        {
            records, recordSize, seconds, partitions, rate, linger, fetchBackoff, repeat, warmup, topicPrefix, acks, nodes, bootstrap, compare,
            saslMechanism, username, password, securityProtocol, clientProperties, existingTopic,
        };
        root.Subcommands.Add(ServeCommand.Build());
        root.Subcommands.Add(Gateway.GatewayCompareCommand.Build());
        root.Validators.Add(result =>
        {
            var given = new[] { nodes, (Option)bootstrap, compare }.Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (given.Count > 1)
            {
                result.AddError($"{string.Join(" and ", given)} choose the targets in different ways; give only one of them.");
            }

            foreach (var n in result.GetValue(nodes) ?? [])
            {
                if (n is < 1 or > 9)
                {
                    result.AddError($"--nodes {n}: an embedded cluster has 1 to 9 nodes.");
                }
            }

            // Tokens, not values: a --compare with the wrong number of targets has already failed its own
            // arity check, and asking for its value would throw.
            var texts = new[] { bootstrap, (Option)compare }.SelectMany(o => result.GetResult(o)?.Tokens ?? []).Select(t => t.Value);
            foreach (var text in texts)
            {
                if (TargetSpec.Parse(text, out var error) is null)
                {
                    result.AddError(error!);
                }
            }

            var sasl = new[] { saslMechanism, (Option)username, password }.Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (sasl.Count is > 0 and < 3)
            {
                result.AddError($"{string.Join(" and ", sasl)} given alone: a SASL login needs --sasl-mechanism, --username and --password.");
            }

            var remote = result.GetResult(bootstrap) is { Implicit: false } || result.GetResult(compare) is { Implicit: false };
            if ((sasl.Count > 0 || result.GetResult(clientProperties) is { Implicit: false }) && !remote)
            {
                result.AddError("SASL options and --client-properties apply to --bootstrap or the second --compare target; the embedded clusters started here need no login.");
            }

            if (result.GetResult(existingTopic) is { Implicit: false } && !remote)
            {
                result.AddError("--topic names an existing topic of the --bootstrap target or of the second --compare target; give one of those too.");
            }

            if (result.GetResult(compare)?.Tokens is [var first, var second] && first.Value == second.Value)
            {
                result.AddError($"--compare {first.Value} {second.Value}: name two different targets; a ratio of one target to itself says nothing.");
            }
        });

        root.SetAction(async (parse, cancellationToken) =>
        {
            var compared = parse.GetValue(compare);
            var targets = TargetTexts(parse.GetValue(bootstrap), compared, parse.GetValue(nodes)!)
                .Select(text => TargetSpec.Parse(text, out _)!)
                .ToList();
            var client = ClientProperties.None;
            if (parse.GetValue(clientProperties) is { } file)
            {
                client = ClientProperties.Load(file.FullName, out var fileError) ?? ClientProperties.None;
                if (fileError is not null)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"pz-loadtest: {fileError}").ConfigureAwait(false);
                    return 2;
                }
            }

            if (parse.GetValue(saslMechanism) is { } mechanism)
            {
                client = client.Then(ClientProperties.Sasl(mechanism, parse.GetValue(username)!, parse.GetValue(password)!, parse.GetValue(securityProtocol)!));
            }

            var settings = new LoadSettings
            {
                Targets = targets,
                Compare = compared is { Length: 2 },
                Acks = [.. parse.GetValue(acks)!.Select(AcksText.Parse).Distinct()],
                Records = parse.GetValue(records),
                RecordSize = parse.GetValue(recordSize),
                PhaseLimit = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                Partitions = parse.GetValue(partitions),
                Rate = parse.GetValue(rate),
                LingerMs = parse.GetValue(linger),
                FetchQueueBackoffMs = parse.GetValue(fetchBackoff),
                Repeat = parse.GetValue(repeat),
                WarmupRecords = parse.GetValue(warmup),
                TopicPrefix = parse.GetValue(topicPrefix)!,
                Client = client,
                ExistingTopic = parse.GetValue(existingTopic),
            };

            try
            {
                var results = await LoadRunner.RunAsync(settings, parse.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
                MarkdownReport.Write(parse.InvocationConfiguration.Output, settings, results);
                return results.Any(r => r.Failed) ? 1 : 0;
            }
            catch (Exception e) when (e is Confluent.Kafka.KafkaException or System.Net.Sockets.SocketException)
            {
                // Unreachable target, topic not creatable, port taken: say which, without a stack trace.
                await parse.InvocationConfiguration.Error.WriteLineAsync($"pz-loadtest: {e.Message}").ConfigureAwait(false);
                return 2;
            }
        });
        return root;
    }

    private static IEnumerable<string> TargetTexts(string? bootstrap, string[]? compare, int[] nodes) =>
        compare is { Length: > 0 } ? compare
        : bootstrap is not null ? [bootstrap]
        : nodes.Distinct().Select(n => TargetSpec.Embedded(n).Text);

    internal static Option<int> IntOption(string name, int defaultValue, int min, int max, string description)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < min || value > max)
            {
                result.AddError($"{name} {value} is out of range; give {min} to {max}.");
            }
        });
        return option;
    }
}
