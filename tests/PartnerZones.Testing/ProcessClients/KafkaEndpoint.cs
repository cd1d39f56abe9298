using System.Globalization;
using Confluent.Kafka;

namespace PartnerZones.Testing.ProcessClients;

/// <summary>A SASL login over plaintext: PLAIN by default, or SCRAM-SHA-256 / SCRAM-SHA-512.</summary>
public sealed record SaslPlain(string Username, string Password, string Mechanism = "PLAIN");

/// <summary>
/// Where a client connects and how it logs in: plaintext, or SASL PLAIN over plaintext (the gateway's
/// partner listener). Each client spells the settings its own way; this type holds the one truth.
/// </summary>
public sealed record KafkaEndpoint(string BootstrapServers, SaslPlain? Sasl = null)
{
    /// <summary>librdkafka properties (kcat's -X, confluent-kafka-python's config, Confluent.Kafka).</summary>
    public IReadOnlyDictionary<string, string> LibrdkafkaProperties()
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["bootstrap.servers"] = BootstrapServers };
        if (Sasl is { } sasl)
        {
            properties["security.protocol"] = "sasl_plaintext";
            properties["sasl.mechanisms"] = sasl.Mechanism;
            properties["sasl.username"] = sasl.Username;
            properties["sasl.password"] = sasl.Password;
        }

        return properties;
    }

    /// <summary>The options every client script takes (see python/*.py and node/kafkajs-client.js).</summary>
    public IEnumerable<string> ScriptArguments()
    {
        yield return "--bootstrap";
        yield return BootstrapServers;
        if (Sasl is { } sasl)
        {
            yield return "--sasl-username";
            yield return sasl.Username;
            yield return "--sasl-password";
            yield return sasl.Password;
            yield return "--sasl-mechanism";
            yield return sasl.Mechanism;
        }
    }

    /// <summary>A Confluent.Kafka configuration of type <typeparamref name="TConfig"/> for this endpoint.</summary>
    public TConfig Config<TConfig>()
        where TConfig : ClientConfig, new()
    {
        var config = new TConfig();
        foreach (var (key, value) in LibrdkafkaProperties())
        {
            config.Set(key, value);
        }

        return config;
    }

    public override string ToString() =>
        Sasl is null ? BootstrapServers : string.Create(CultureInfo.InvariantCulture, $"{BootstrapServers} (SASL {Sasl.Mechanism} as {Sasl.Username})");
}
