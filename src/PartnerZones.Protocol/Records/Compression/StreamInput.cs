using System.Runtime.InteropServices;

namespace PartnerZones.Protocol.Records.Compression;

/// <summary>Read-only streams over compressed input for the stream-based decompressors.</summary>
internal static class StreamInput
{
    /// <summary>Wraps the memory without a copy when it is backed by an array, as frames read from a socket are.</summary>
    public static MemoryStream Over(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
}
