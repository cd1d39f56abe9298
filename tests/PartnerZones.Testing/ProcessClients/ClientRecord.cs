namespace PartnerZones.Testing.ProcessClients;

/// <summary>One record as a client saw it; <paramref name="Topic"/> when the client reported it.</summary>
public sealed record ClientRecord(int Partition, long Offset, string Key, string Value, string? Topic = null);
