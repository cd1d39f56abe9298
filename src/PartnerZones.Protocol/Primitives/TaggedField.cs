namespace PartnerZones.Protocol.Primitives;

/// <summary>
/// A tagged field this codec does not know (KIP-482). Kept as raw bytes so that a message decoded and
/// encoded again carries it unchanged: a newer client's extension survives the gateway.
/// </summary>
public readonly record struct TaggedField(int Tag, ReadOnlyMemory<byte> Data);
