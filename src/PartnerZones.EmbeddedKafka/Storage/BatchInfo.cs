namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>Where one stored batch is and the header fields the log searches by.</summary>
internal readonly record struct BatchInfo(long BaseOffset, long LastOffset, long MaxTimestamp, long Position, int Size);
