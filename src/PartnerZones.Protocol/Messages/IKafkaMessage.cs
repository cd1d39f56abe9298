using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Messages;

/// <summary>A Kafka request or response body with a generated codec.</summary>
public interface IKafkaMessage
{
    short ApiKey { get; }

    short LowestVersion { get; }

    short HighestVersion { get; }

    /// <summary>Reads the body (no size prefix, no header) at <paramref name="version"/>.</summary>
    void Read(ref KafkaReader reader, short version);

    /// <summary>Writes the body (no size prefix, no header) at <paramref name="version"/>.</summary>
    void Write(KafkaWriter writer, short version);
}

/// <summary>A request body.</summary>
public interface IKafkaRequest : IKafkaMessage;

/// <summary>A response body.</summary>
public interface IKafkaResponse : IKafkaMessage;
