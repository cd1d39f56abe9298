using System.Globalization;
using System.Text.Json;
using Xunit;

namespace PartnerZones.Testing.ProcessClients;

/// <summary>
/// A client library driven through a small script in this folder. Every script takes the same commands
/// (admin, list, produce, consume) and options (--bootstrap, optional --sasl-username/--sasl-password) and
/// prints one JSON object; see python/*.py and node/kafkajs-client.js. When the client library reports a
/// Kafka error the script prints {"error": {"name": ..., "code": ...}} and exits with
/// <see cref="KafkaErrorExitCode"/>, so a test can tell a refusal the client surfaced from a crash or a hang.
/// Set PZ_CLIENT_DEBUG (e.g. "protocol,broker" for librdkafka, anything for the others) to get the
/// client's debug log in a failing test's message.
/// </summary>
public sealed class ScriptClient(string name, Func<string> program, Func<string> script, IReadOnlyList<string>? pinning = null)
{
    public const int KafkaErrorExitCode = 3;

    /// <summary>Time a client has for one command, inside the script (waits, retries).</summary>
    private const int CommandSeconds = 90;

    /// <summary>Time a process has on top of its command's before it is killed: interpreter start-up on a busy machine.</summary>
    private const int StartupSeconds = 60;

    public static ScriptClient ConfluentKafkaPython { get; } =
        new("confluent-kafka-python", () => ClientTools.Python("confluent_kafka"), () => ClientTools.PythonScript("confluent_client.py"));

    public static ScriptClient KafkaPython { get; } =
        new("kafka-python", () => ClientTools.Python("kafka"), () => ClientTools.PythonScript("kafka_python_client.py"));

    public static ScriptClient Kafkajs { get; } =
        new("kafkajs", ClientTools.Node, () => ClientTools.NodeScript("kafkajs-client.js"));

    public string Name => name;

    /// <summary>The same library pinned to an old protocol generation, as a client of that era behaves: for
    /// kafka-python the broker version it assumes (<c>api_version</c>, e.g. "0.10.1"), for librdkafka the
    /// <c>broker.version.fallback</c> it uses with <c>api.version.request=false</c> (no ApiVersions at all).</summary>
    public ScriptClient Pinned(string apiVersion) =>
        new($"{name} pinned to {apiVersion}", program, script, ["--api-version", apiVersion]);

    /// <summary>Runs the command, fails the test unless it succeeds in time, and returns its JSON result.</summary>
    public async Task<JsonElement> RunAsync(KafkaEndpoint endpoint, string command, params string[] options)
    {
        var run = await StartAsync(endpoint, command, options, CommandSeconds);
        Assert.True(run.Succeeded, run.Describe());
        return LastJson(run);
    }

    /// <summary>Runs a command that must end with a Kafka error the client library surfaced, within
    /// <paramref name="seconds"/> (the script's own time limit; the process gets start-up time on top).
    /// Returns the error: {"name": ..., "code": ...}.</summary>
    public async Task<JsonElement> RunToKafkaErrorAsync(KafkaEndpoint endpoint, int seconds, string command, params string[] options)
    {
        var run = await StartAsync(endpoint, command, options, seconds);
        Assert.False(run.TimedOut, run.Describe());
        Assert.True(run.ExitCode == KafkaErrorExitCode, $"Expected {name} to report a Kafka error (exit {KafkaErrorExitCode}). {run.Describe()}");
        return LastJson(run).GetProperty("error");
    }

    private Task<ClientRun> StartAsync(KafkaEndpoint endpoint, string command, string[] options, int seconds)
    {
        List<string> arguments = [script(), command, .. endpoint.ScriptArguments(), "--timeout", seconds.ToString(CultureInfo.InvariantCulture), .. pinning ?? [], .. options];
        if (Environment.GetEnvironmentVariable("PZ_CLIENT_DEBUG") is { Length: > 0 } debug)
        {
            arguments.AddRange(["--debug", debug]);
        }

        return ClientProcess.RunAsync(program(), arguments, TimeSpan.FromSeconds(seconds + StartupSeconds));
    }

    private JsonElement LastJson(ClientRun run)
    {
        var lastLine = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        Assert.False(lastLine is null, $"{name} printed nothing on stdout. {run.Describe()}");
        return JsonDocument.Parse(lastLine).RootElement.Clone();
    }

    public static List<ClientRecord> Records(JsonElement result) =>
    [
        .. result.GetProperty("records").EnumerateArray().Select(r => new ClientRecord(
            r.GetProperty("partition").GetInt32(),
            r.GetProperty("offset").GetInt64(),
            r.GetProperty("key").GetString()!,
            r.GetProperty("value").GetString()!,
            r.TryGetProperty("topic", out var topic) ? topic.GetString() : null)),
    ];

    public override string ToString() => name;
}
