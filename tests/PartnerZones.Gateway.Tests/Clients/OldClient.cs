using System.Globalization;
using System.Text;
using System.Text.Json;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// A real client pinned to an old protocol generation, as partners still run them: kafka-python with a fixed
/// <c>api_version</c> (it never asks the broker what it serves) and librdkafka configured for an old cluster
/// with <c>api.version.request=false</c> and <c>broker.version.fallback=0.10.0.0</c>. What each one really
/// sends is shown by <see cref="OldClientVersionTests"/>.
/// </summary>
public abstract class OldClient(string name)
{
    public static readonly OldClient KafkaPython0101 = new Scripted(ScriptClient.KafkaPython.Pinned("0.10.1"));
    public static readonly OldClient KafkaPython011 = new Scripted(ScriptClient.KafkaPython.Pinned("0.11"));
    public static readonly OldClient ConfluentKafkaPython0100 = new Scripted(ScriptClient.ConfluentKafkaPython.Pinned("0.10.0.0"));
    public static readonly OldClient Kcat0100 = new KcatClient("0.10.0.0");

    public static IReadOnlyDictionary<string, OldClient> All { get; } = new[] { KafkaPython0101, KafkaPython011, ConfluentKafkaPython0100, Kcat0100 }
        .ToDictionary(c => c.Name);

    public string Name => name;

    /// <summary>The topic names the client lists.</summary>
    public abstract Task<IReadOnlyCollection<string>> ListAsync(KafkaEndpoint endpoint);

    /// <summary>Produces <paramref name="count"/> records (<see cref="RecordChecks"/> keys and values) with acks=all.</summary>
    public abstract Task ProduceAsync(KafkaEndpoint endpoint, string topic, string prefix, int count);

    /// <summary>Consumes <paramref name="count"/> records in <paramref name="group"/> from its committed
    /// offsets (earliest when none), commits them and leaves the group.</summary>
    public abstract Task<List<ClientRecord>> ConsumeAsync(KafkaEndpoint endpoint, string topic, string group, int count);

    public override string ToString() => name;

    private sealed class Scripted(ScriptClient client) : OldClient(client.Name)
    {
        public override async Task<IReadOnlyCollection<string>> ListAsync(KafkaEndpoint endpoint) =>
            [.. (await client.RunAsync(endpoint, "list")).GetProperty("topics").EnumerateObject().Select(p => p.Name)];

        public override async Task ProduceAsync(KafkaEndpoint endpoint, string topic, string prefix, int count)
        {
            var result = await client.RunAsync(endpoint, "produce", "--topic", topic, "--count", Number(count), "--prefix", prefix);
            Xunit.Assert.Equal(count, result.GetProperty("delivered").GetInt32());
        }

        public override async Task<List<ClientRecord>> ConsumeAsync(KafkaEndpoint endpoint, string topic, string group, int count) =>
            ScriptClient.Records(await client.RunAsync(endpoint, "consume", "--topic", topic, "--count", Number(count), "--group", group));
    }

    private sealed class KcatClient(string fallback) : OldClient($"kcat pinned to {fallback}")
    {
        private string[] Pinning => ["-X", "api.version.request=false", "-X", $"broker.version.fallback={fallback}"];

        public override async Task<IReadOnlyCollection<string>> ListAsync(KafkaEndpoint endpoint)
        {
            var json = JsonDocument.Parse(await Kcat.RunToSuccessAsync(endpoint, null, [.. Pinning, "-L", "-J"])).RootElement;
            return [.. json.GetProperty("topics").EnumerateArray().Select(t => t.GetProperty("topic").GetString()!)];
        }

        public override Task ProduceAsync(KafkaEndpoint endpoint, string topic, string prefix, int count)
        {
            var lines = new StringBuilder();
            for (var i = 0; i < count; i++)
            {
                lines.Append(RecordChecks.Key(i)).Append(':').Append(RecordChecks.Value(prefix, i)).Append('\n');
            }

            return Kcat.RunToSuccessAsync(endpoint, lines.ToString(), [.. Pinning, "-P", "-t", topic, "-K", ":", "-X", "acks=all"]);
        }

        public override async Task<List<ClientRecord>> ConsumeAsync(KafkaEndpoint endpoint, string topic, string group, int count)
        {
            // A balanced consumer (-G) that stops at the end of every partition (-e) and commits as it leaves.
            var records = Kcat.Parse(await Kcat.RunToSuccessAsync(
                endpoint, null, [.. Pinning, "-G", group, topic, "-X", "auto.offset.reset=earliest", "-e", "-q", "-f", Kcat.Format]));
            Xunit.Assert.True(records.Count == count, $"{Name} read {records.Count} records, expected {count}");
            return records;
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
