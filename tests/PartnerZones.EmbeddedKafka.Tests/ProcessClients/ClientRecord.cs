namespace PartnerZones.EmbeddedKafka.Tests.ProcessClients;

/// <summary>One record as a client saw it.</summary>
internal sealed record ClientRecord(int Partition, long Offset, string Key, string Value);
