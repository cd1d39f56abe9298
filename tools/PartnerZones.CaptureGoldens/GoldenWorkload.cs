namespace PartnerZones.CaptureGoldens;

/// <summary>
/// The names and records the clients send. The golden tests assert these values in the captured
/// frames, so a change here needs the same change in tests/PartnerZones.Protocol.Tests/Golden.
/// </summary>
internal static class GoldenWorkload
{
    public const string KcatClient = "kcat";
    public const string KcatClientId = "pz-golden-kcat";
    public const string KcatTopic = "golden-kcat";
    public const string KcatGroup = "golden-kcat-group";

    /// <summary>kcat reads "key:value" lines from stdin (-K :), one record each.</summary>
    public static readonly IReadOnlyList<(string Key, string Value)> KcatRecords =
    [
        ("alpha", "one"),
        ("bravo", "two"),
        ("charlie", "three"),
    ];

    public const string DotnetClient = "confluent-kafka-dotnet";
    public const string DotnetClientId = "pz-golden-dotnet";
    public const string DotnetTopic = "golden-dotnet";
    public const int DotnetPartitions = 2;
    public const string DotnetGroup = "golden-dotnet-group";

    /// <summary>Produced to explicit partitions, so the committed offsets are known (2 per partition).</summary>
    public static readonly IReadOnlyList<(int Partition, string Key, string Value)> DotnetRecords =
    [
        (0, "k0", "v0"),
        (1, "k1", "v1"),
        (0, "k2", "v2"),
        (1, "k3", "v3"),
    ];

    /// <summary>A record header on every Confluent.Kafka record, so the captures cover headers too.</summary>
    public const string DotnetHeaderKey = "origin";
    public const string DotnetHeaderValue = "golden";
}
