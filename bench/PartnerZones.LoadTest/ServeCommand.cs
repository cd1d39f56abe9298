using System.CommandLine;
using System.Diagnostics;
using PartnerZones.EmbeddedKafka;
using PartnerZones.LoadTest.Workload;

namespace PartnerZones.LoadTest;

/// <summary>
/// `pz-loadtest serve`: an embedded cluster in a process of its own, so a load test run with --bootstrap
/// measures the cluster apart from the clients, and the cluster's own allocations and GC pauses can be
/// read off its log. It stops by itself after --seconds.
/// </summary>
internal static class ServeCommand
{
    public static Command Build()
    {
        var nodes = LoadTestCommand.IntOption("--nodes", 1, 1, 9, "Nodes of the embedded cluster.");
        var basePort = LoadTestCommand.IntOption("--base-port", 0, 0, 65_000, "Port of node 0 on 127.0.0.1; node i listens on it + i. 0 picks free ports.");
        var seconds = LoadTestCommand.IntOption("--seconds", 600, 1, 3600, "Stop after this many seconds.");
        var every = LoadTestCommand.IntOption("--stats-every", 5, 1, 3600, "Seconds between lines of allocation and GC figures.");
        var command = new Command("serve", "Run an embedded cluster on 127.0.0.1 until --seconds pass or Ctrl+C, printing its GC activity.")
        {
            nodes, basePort, seconds, every,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var cluster = await EmbeddedCluster.StartAsync(
                new ClusterOptions { Nodes = parse.GetValue(nodes), BasePort = parse.GetValue(basePort) },
                message => Console.Error.WriteLine($"  {message}")).ConfigureAwait(false);
            Console.WriteLine($"bootstrap {cluster.BootstrapServers}");
            var limit = Stopwatch.StartNew();
            var start = ProcessSnapshot.Take();
            var interval = TimeSpan.FromSeconds(parse.GetValue(every));
            var lifetime = TimeSpan.FromSeconds(parse.GetValue(seconds));
            try
            {
                while (limit.Elapsed < lifetime)
                {
                    var wait = lifetime - limit.Elapsed;
                    await Task.Delay(wait < interval ? wait : interval, cancellationToken).ConfigureAwait(false);
                    Console.WriteLine($"{limit.Elapsed.TotalSeconds,6:N0} s: since start {ProcessSnapshot.Take().Since(start)}");
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop the cluster and exit normally.
            }

            return 0;
        });
        return command;
    }
}
