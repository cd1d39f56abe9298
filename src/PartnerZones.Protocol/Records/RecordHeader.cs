namespace PartnerZones.Protocol.Records;

/// <summary>One record header: a UTF-8 key (never null on the wire) and nullable bytes.</summary>
public readonly record struct RecordHeader(string Key, ReadOnlyMemory<byte>? Value);
