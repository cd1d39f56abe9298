using Confluent.Kafka;

namespace PartnerZones.LoadTest.Targets;

/// <summary>
/// librdkafka properties every client of one target gets on top of the load test's own settings: a SASL
/// login (--sasl-mechanism, --username, --password) or anything from a properties file
/// (--client-properties, key=value lines such as examples/johndoe.properties).
/// </summary>
public sealed record ClientProperties(IReadOnlyList<KeyValuePair<string, string>> Entries)
{
    public static readonly ClientProperties None = new([]);

    /// <summary>The target names its own address; a bootstrap.servers line in the file is left out.</summary>
    private const string BootstrapKey = "bootstrap.servers";

    public bool IsEmpty => Entries.Count == 0;

    public T ApplyTo<T>(T config)
        where T : ClientConfig
    {
        foreach (var (key, value) in Entries)
        {
            config.Set(key, value);
        }

        return config;
    }

    /// <summary>A SASL login; SASL_PLAINTEXT unless <paramref name="securityProtocol"/> says otherwise.</summary>
    public static ClientProperties Sasl(string mechanism, string username, string password, string securityProtocol = "SASL_PLAINTEXT") =>
        new([
            new("security.protocol", securityProtocol),
            new("sasl.mechanism", mechanism),
            new("sasl.username", username),
            new("sasl.password", password),
        ]);

    /// <summary>These entries followed by <paramref name="later"/>'s, which win where both set a key.</summary>
    public ClientProperties Then(ClientProperties later) => new([.. Entries, .. later.Entries]);

    /// <summary>Reads key=value lines; blank lines and lines starting with # or ! are comments. The error
    /// names the file and line.</summary>
    public static ClientProperties? Load(string path, out string? error)
    {
        error = null;
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"--client-properties {path}: cannot read the file ({e.Message}).";
            return null;
        }

        var entries = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                error = $"--client-properties {path}, line {i + 1}: '{line}' is not key=value (e.g. sasl.mechanism=PLAIN).";
                return null;
            }

            var key = line[..equals].Trim();
            if (key == "sasl.jaas.config")
            {
                error = $"--client-properties {path}, line {i + 1}: sasl.jaas.config is a Java client setting; librdkafka takes sasl.username and sasl.password instead.";
                return null;
            }

            if (key != BootstrapKey)
            {
                entries.Add(new(key, line[(equals + 1)..].Trim()));
            }
        }

        return new ClientProperties(entries);
    }
}
