namespace PartnerZones.Protocol.Primitives;

/// <summary>
/// The one exception every decoder throws for malformed input. It names the API, the version and the
/// field being read, so a log line says exactly which client sent what and where it went wrong.
/// </summary>
public sealed class KafkaDecodeException : Exception
{
    public KafkaDecodeException(string? api, short version, string? field, string problem)
        : base(Describe(api, version, field, problem))
    {
        Api = api;
        Version = version;
        Field = field;
        Problem = problem;
    }

    /// <summary>The message being decoded (for example "MetadataRequest"), or null outside a message.</summary>
    public string? Api { get; }

    public short Version { get; }

    /// <summary>The field being read when the input ran out or broke a rule.</summary>
    public string? Field { get; }

    /// <summary>What was wrong, without the location.</summary>
    public string Problem { get; }

    private static string Describe(string? api, short version, string? field, string problem)
    {
        var where = api is null ? "Kafka frame" : $"{api} v{version}";
        return field is null ? $"Malformed {where}: {problem}" : $"Malformed {where}, field {field}: {problem}";
    }
}
