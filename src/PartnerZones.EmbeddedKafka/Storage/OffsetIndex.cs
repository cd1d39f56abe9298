using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>
/// The sparse offset index of one file segment: an entry (base offset relative to the segment, file
/// position) for the first batch and then for the first batch after every index.interval.bytes of log.
/// A lookup lands at most one interval before the wanted batch. The entries live in memory and in the
/// .index file (8 bytes each, big-endian int32 pairs); the file is derived data, checked against the log
/// when the segment is loaded and rewritten when it does not match.
/// </summary>
internal sealed class OffsetIndex : IDisposable
{
    public const int EntrySize = 8;

    private readonly SafeFileHandle _file;
    private int[] _offsets = new int[8];
    private int[] _positions = new int[8];

    private OffsetIndex(string path, SafeFileHandle file)
    {
        Path = path;
        _file = file;
    }

    public string Path { get; private set; }

    public int Count { get; private set; }

    /// <summary>Opens (creating when missing) the index at <paramref name="path"/> with no entries in memory;
    /// <paramref name="truncate"/> empties the file too (a new segment).</summary>
    public static OffsetIndex Open(string path, bool truncate) =>
        new(path, OwnerOnly.OpenHandle(path, truncate ? FileMode.Create : FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete));

    /// <summary>Adds an entry in memory and, unless <paramref name="inMemoryOnly"/>, at the end of the file.</summary>
    public void Add(long relativeOffset, long position, bool inMemoryOnly = false)
    {
        if (Count == _offsets.Length)
        {
            Array.Resize(ref _offsets, Count * 2);
            Array.Resize(ref _positions, Count * 2);
        }

        _offsets[Count] = (int)relativeOffset;
        _positions[Count] = (int)position;
        Count++;
        if (!inMemoryOnly)
        {
            Span<byte> entry = stackalloc byte[EntrySize];
            BinaryPrimitives.WriteInt32BigEndian(entry, (int)relativeOffset);
            BinaryPrimitives.WriteInt32BigEndian(entry[4..], (int)position);
            RandomAccess.Write(_file, entry, (long)(Count - 1) * EntrySize);
        }
    }

    /// <summary>File position of the last indexed batch whose base offset is at or below <paramref name="relativeOffset"/>; 0 when none.</summary>
    public long Lookup(long relativeOffset)
    {
        int low = 0, high = Count - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (_offsets[mid] <= relativeOffset)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found < 0 ? 0 : _positions[found];
    }

    /// <summary>Makes the file hold exactly the in-memory entries; returns true when it had to be rewritten.</summary>
    public bool SyncFile()
    {
        var expected = new byte[Count * EntrySize];
        for (var i = 0; i < Count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(expected.AsSpan(i * EntrySize), _offsets[i]);
            BinaryPrimitives.WriteInt32BigEndian(expected.AsSpan((i * EntrySize) + 4), _positions[i]);
        }

        var length = RandomAccess.GetLength(_file);
        if (length == expected.Length)
        {
            var actual = new byte[expected.Length];
            if (RandomAccess.Read(_file, actual, 0) == actual.Length && actual.AsSpan().SequenceEqual(expected))
            {
                return false;
            }
        }

        RandomAccess.SetLength(_file, 0);
        RandomAccess.Write(_file, expected, 0);
        return true;
    }

    public void Flush() => RandomAccess.FlushToDisk(_file);

    /// <summary>Renames the file (compaction swaps a cleaned index in).</summary>
    public void MoveTo(string path)
    {
        File.Move(Path, path, overwrite: true);
        Path = path;
    }

    public void Dispose() => _file.Dispose();
}
