using System.Globalization;
using Xunit;

namespace PartnerZones.Testing.ProcessClients;

/// <summary>
/// kcat (librdkafka, Debian's build) as a separate process. kcat cannot create topics, so tests create
/// them with <see cref="ReferenceClient"/>. Set PZ_CLIENT_DEBUG (e.g. "protocol,broker,cgrp") to get
/// kcat's debug log in a failing test's message.
/// </summary>
public static class Kcat
{
    /// <summary>Output format for consumed records, read back by <see cref="Parse"/>: topic, partition,
    /// offset, key and value, tab-separated, one record a line.</summary>
    public const string Format = "%t\t%p\t%o\t%k\t%s\n";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>Runs kcat against the endpoint and returns how it ended, whatever that was.</summary>
    public static Task<ClientRun> RunAsync(KafkaEndpoint endpoint, string? stdin, IEnumerable<string> options, TimeSpan? timeout = null)
    {
        List<string> arguments = ["-b", endpoint.BootstrapServers];
        foreach (var (key, value) in endpoint.LibrdkafkaProperties().Where(p => p.Key != "bootstrap.servers"))
        {
            arguments.AddRange(["-X", $"{key}={value}"]);
        }

        arguments.AddRange(options);
        if (Environment.GetEnvironmentVariable("PZ_CLIENT_DEBUG") is { Length: > 0 } debug)
        {
            arguments.AddRange(["-d", debug]);
        }

        return ClientProcess.RunAsync(ClientTools.Kcat(), arguments, timeout ?? Timeout, stdin);
    }

    /// <summary>Runs kcat and fails the test, with its stderr, unless it exits 0 in time; returns stdout.</summary>
    public static async Task<string> RunToSuccessAsync(KafkaEndpoint endpoint, string? stdin, params string[] options)
    {
        var run = await RunAsync(endpoint, stdin, options);
        Assert.True(run.Succeeded, run.Describe());
        return run.Stdout;
    }

    /// <summary>Records printed with <see cref="Format"/>.</summary>
    public static List<ClientRecord> Parse(string output) =>
    [
        .. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var fields = line.Split('\t');
            Assert.True(fields.Length == 5, $"Unexpected kcat output line: {line}");
            return new ClientRecord(
                int.Parse(fields[1], CultureInfo.InvariantCulture),
                long.Parse(fields[2], CultureInfo.InvariantCulture),
                fields[3],
                fields[4],
                fields[0]);
        }),
    ];
}
