using static PartnerZones.CaptureGoldens.GoldenWorkload;

namespace PartnerZones.CaptureGoldens;

/// <summary>
/// kcat (Debian's build, with Debian's librdkafka) listing metadata, producing, consuming one
/// partition and consuming in a group. The topic must exist: kcat cannot create topics.
/// </summary>
internal sealed class KcatScenarios(KcatProcess kcat, string bootstrap, FrameRecorder recorder, ScenarioLog log)
{
    private const string BootstrapPlaceholder = "<bootstrap>";
    private const string OutputFormat = "%k:%s\\n";

    public async Task RunAsync()
    {
        var expected = string.Concat(KcatRecords.Select(r => $"{r.Key}:{r.Value}\n"));

        await RunAsync("list", "metadata of every topic", ["-L"], stdin: null).ConfigureAwait(false);

        // linger.ms makes librdkafka wait for all three lines, so they travel as one batch.
        await RunAsync("produce", "three keyed records from stdin",
            ["-P", "-t", KcatTopic, "-K", ":", "-X", "linger.ms=200"], stdin: expected).ConfigureAwait(false);

        var consumed = await RunAsync("consume", "partition 0 from the beginning to its end",
            ["-C", "-t", KcatTopic, "-p", "0", "-o", "beginning", "-e", "-f", OutputFormat], stdin: null).ConfigureAwait(false);
        Expect("consume", expected, consumed);

        // A balanced consumer with auto-commit: it joins, syncs, fetches, and commits when it closes.
        var grouped = await RunAsync("group", "a group member that reads the three records, commits and leaves",
            ["-G", KcatGroup, "-X", "auto.offset.reset=earliest", "-X", "heartbeat.interval.ms=250", "-c", "3", "-f", OutputFormat, KcatTopic],
            stdin: null).ConfigureAwait(false);
        Expect("group", expected, grouped);
    }

    private async Task<string> RunAsync(string scenario, string description, IReadOnlyList<string> arguments, string? stdin)
    {
        string[] common = ["-b", bootstrap, "-X", $"client.id={KcatClientId}"];
        var shown = string.Join(' ', ((string[])["kcat", "-b", BootstrapPlaceholder, "-X", $"client.id={KcatClientId}"]).Concat(arguments.Select(Quote)));
        log.Add(KcatClient, scenario, $"{description}: `{shown}`" + (stdin is null ? "" : $" with stdin `{stdin.Replace("\n", "\\n", StringComparison.Ordinal)}`"));

        var output = "";
        await recorder.RecordAsync(KcatClient, scenario, async () =>
        {
            Console.WriteLine($"kcat {scenario}: {shown}");
            output = await kcat.RunAsync([.. common, .. arguments], stdin).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return output;
    }

    private static string Quote(string argument) =>
        argument.Any(c => c is ' ' or '%' or '\\') ? $"'{argument}'" : argument;

    private static void Expect(string scenario, string expected, string actual)
    {
        if (expected != actual)
        {
            throw new InvalidOperationException($"kcat {scenario} printed\n{actual}\nbut the produced records are\n{expected}");
        }
    }
}
