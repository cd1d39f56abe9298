using System.Text;

namespace PartnerZones.CaptureGoldens;

/// <summary>Writes README.md beside the captures: how they were made, with which client versions, and their format.</summary>
internal static class ReadmeWriter
{
    public static void Write(string root, string command, IReadOnlyList<(string Name, string Version)> clients, ScenarioLog log, IReadOnlyList<SelectedCapture> selected)
    {
        var text = new StringBuilder();
        text.Append("""
            # Captured Kafka frames (golden test data)

            Every file here is one frame that a real Kafka client sent to the embedded cluster
            (`src/PartnerZones.EmbeddedKafka`), or the frame the cluster answered with. The golden tests in
            `tests/PartnerZones.Protocol.Tests/Golden` decode each one with the generated codecs and encode it
            again, and must get the identical bytes back; some tests also check the decoded values.

            Request frames are the evidence: real clients wrote them. Response frames were written by our
            own encoder, so they only prove that our encoder and decoder agree with each other.

            The files are generated. Do not edit them by hand; capture again instead.

            ## How to capture again

            From the repository root, on a machine with kcat (`apt-get install kcat`):

            """);
        text.Append("\n```\n").Append(command).Append("\n```\n\n");
        text.Append("""
            The tool starts a one-node embedded cluster on a free loopback port, records every frame through
            `ClusterOptions.FrameObserver`, runs the scenarios below, keeps per client the first exchange of
            each API version and shape (all Produce, OffsetCommit and CreateTopics exchanges), and replaces
            the `.hex` files in each client's folder and this README. It refuses to write anything unless both
            clients sent ApiVersions, Metadata, Produce, Fetch, FindCoordinator, JoinGroup, SyncGroup and
            OffsetCommit. Frame contents differ on every run (timestamps, ports, member ids), so re-capturing
            changes every file; review the diff of the API versions, not of the bytes.

            ## Clients

            """);
        text.Append('\n');
        foreach (var (name, version) in clients)
        {
            text.Append($"- {name}: {version}\n");
        }

        text.Append("\n## Scenarios\n\nRun in this order against one cluster; the kcat topic was created beforehand by an admin client whose frames are not kept.\n\n");
        foreach (var (client, scenario, description) in log.Entries)
        {
            text.Append($"- `{client}` `{scenario}`: {description}\n");
        }

        text.Append("\n## What was captured\n\n| Client | API (key) | Versions |\n|---|---|---|\n");
        foreach (var group in selected.GroupBy(s => (s.Exchange.Client, s.Exchange.ApiKey, s.Exchange.ApiName)).OrderBy(g => g.Key.Client).ThenBy(g => g.Key.ApiKey))
        {
            var versions = string.Join(", ", group.Select(s => s.Exchange.ApiVersion).Distinct().Order());
            text.Append($"| {group.Key.Client} | {group.Key.ApiName} ({group.Key.ApiKey}) | {versions} |\n");
        }

        text.Append("""

            ## File format

            `<client>/<NN>-<scenario>-<Api>-v<version>[-<shape>]-<request|response>.hex`, where NN pairs a request
            with its response. The first line is a header of `key=value` pairs:

            ```
            # client=kcat scenario=produce api=Produce key=0 version=7 direction=request correlation=3 body-version=7 length=143
            ```

            `version` is the API version of the request (it also decides both header versions), `body-version`
            the version the body is encoded at (the same, except an ApiVersions response that falls back to
            v0 under KIP-511), `length` the frame size. The remaining lines are the frame in lower-case hex,
            32 bytes a line: the request or response header and the body, without the 4-byte size prefix.

            """);
        File.WriteAllText(Path.Combine(root, "README.md"), text.ToString().ReplaceLineEndings("\n"));
    }
}
