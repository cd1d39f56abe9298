using Confluent.Kafka;

namespace PartnerZones.LoadTest;

/// <summary>acks as Kafka users write it: 0, 1 or all.</summary>
internal static class AcksText
{
    public static readonly string[] Accepted = ["0", "1", "all", "-1"];

    public static Acks Parse(string text) => text switch
    {
        "0" => Acks.None,
        "1" => Acks.Leader,
        "all" or "-1" => Acks.All,
        _ => throw new ArgumentException($"acks '{text}' is not one of 0, 1, all.", nameof(text)),
    };

    public static string Format(Acks acks) => acks switch
    {
        Acks.None => "0",
        Acks.Leader => "1",
        _ => "all",
    };
}
