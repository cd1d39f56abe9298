namespace PartnerZones.EmbeddedKafka;

/// <summary>Which Apache Kafka release's lowest protocol versions the cluster offers and accepts.</summary>
public enum KafkaApiGeneration
{
    /// <summary>Apache Kafka 3.9: every client API from v0, as every 3.x release serves them.</summary>
    Kafka39,

    /// <summary>
    /// Apache Kafka 4.0.0: the versions KIP-896 removed are neither advertised nor accepted, and a request
    /// below the new minimum closes the connection. Produce keeps Kafka 4.0's quirk (KAFKA-18659): it is
    /// advertised from v0 but served only from v3. Lets tests prove that a client or the gateway copes with
    /// an upstream that no longer serves the old versions.
    /// </summary>
    Kafka40,
}
