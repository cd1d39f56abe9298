using System.Text.Json;

namespace PartnerZones.EmbeddedKafka.Tests.ProcessClients;

/// <summary>
/// A client library driven through a small script in this folder. Every script takes the same
/// commands (admin, produce, consume) and prints one JSON object; see python/*.py and node/kafkajs-client.js.
/// Set PZ_CLIENT_DEBUG (e.g. "protocol,broker" for librdkafka, anything for the others) to get the
/// client's debug log in a failing test's message.
/// </summary>
internal sealed class ScriptClient(string name, Func<string> program, Func<string> script)
{
    /// <summary>Time a client has for one command, inside the script (waits, retries).</summary>
    private const int CommandSeconds = 90;

    /// <summary>Time the process has before it is killed: the command's time plus start-up.</summary>
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(CommandSeconds + 60);

    public static ScriptClient ConfluentKafkaPython { get; } =
        new("confluent-kafka-python", () => ClientTools.Python("confluent_kafka"), () => ClientTools.PythonScript("confluent_client.py"));

    public static ScriptClient KafkaPython { get; } =
        new("kafka-python", () => ClientTools.Python("kafka"), () => ClientTools.PythonScript("kafka_python_client.py"));

    public static ScriptClient Kafkajs { get; } =
        new("kafkajs", ClientTools.Node, () => ClientTools.NodeScript("kafkajs-client.js"));

    public string Name => name;

    public async Task<JsonElement> RunAsync(EmbeddedCluster cluster, string command, params string[] options)
    {
        List<string> arguments = [script(), command, "--bootstrap", cluster.BootstrapServers, "--timeout", CommandSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. options];
        if (Environment.GetEnvironmentVariable("PZ_CLIENT_DEBUG") is { Length: > 0 } debug)
        {
            arguments.AddRange(["--debug", debug]);
        }

        var stdout = await ClientProcess.RunToSuccessAsync(program(), arguments, ProcessTimeout);
        var lastLine = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        Assert.False(lastLine is null, $"{name} {command} printed nothing on stdout.");
        return JsonDocument.Parse(lastLine).RootElement.Clone();
    }

    public static List<ClientRecord> Records(JsonElement result) =>
    [
        .. result.GetProperty("records").EnumerateArray().Select(r => new ClientRecord(
            r.GetProperty("partition").GetInt32(),
            r.GetProperty("offset").GetInt64(),
            r.GetProperty("key").GetString()!,
            r.GetProperty("value").GetString()!)),
    ];

    public override string ToString() => name;
}
