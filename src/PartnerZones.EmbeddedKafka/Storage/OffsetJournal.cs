using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;
using PartnerZones.EmbeddedKafka.Groups;
using PartnerZones.Protocol.Records;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>
/// Committed offsets of every group, as an append-only journal (the role __consumer_offsets plays in
/// Kafka). The file starts with "PZCO" and a format version (int16), then records, each
/// <c>int32 length, uint32 CRC-32C of the payload, payload</c>; a payload is a kind byte and the group id,
/// then for a commit the topic, partition, offset, leader epoch, commit time and metadata, for an offset
/// removal the topic and partition, for a group removal nothing more. Strings are int16 length + UTF-8
/// (-1 for a null metadata). Writes reach the operating system at once; fsync follows the flush policy.
/// Replaying the journal at start-up stops at the first torn or corrupt record and cuts the file there.
/// The journal is rewritten with only the live offsets at start-up and whenever it holds four times more
/// records than live offsets.
/// </summary>
internal sealed class OffsetJournal : IDisposable
{
    private const byte Commit = 1;
    private const byte RemoveOffset = 2;
    private const byte RemoveGroupKind = 3;
    private const short Version = 1;
    private static readonly byte[] Magic = "PZCO"u8.ToArray();
    private static readonly int HeaderSize = Magic.Length + 2;

    private readonly object _lock = new();
    private readonly string _path;
    private readonly bool _syncEveryWrite;
    private readonly Dictionary<string, Dictionary<(string Topic, int Partition), CommittedOffset>> _live = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _scratch = new(256);
    private SafeFileHandle _file;
    private long _length;
    private int _records;
    private int _liveCount;
    private bool _dirty;

    private OffsetJournal(string path, FlushPolicy policy, SafeFileHandle file)
    {
        _path = path;
        _syncEveryWrite = policy == FlushPolicy.EveryAppend;
        _file = file;
    }

    /// <summary>Opens (or creates) the journal and replays it. <paramref name="report"/> hears about a cut tail.</summary>
    public static OffsetJournal Open(string path, FlushPolicy policy, Action<string>? report)
    {
        var file = OwnerOnly.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        var journal = new OffsetJournal(path, policy, file);
        try
        {
            journal.Replay(report);
            journal.Rewrite();
            return journal;
        }
        catch
        {
            journal.Dispose();
            throw;
        }
    }

    /// <summary>Every group's committed offsets as replayed (copies).</summary>
    public List<(string Group, Dictionary<(string Topic, int Partition), CommittedOffset> Offsets)> Snapshot()
    {
        lock (_lock)
        {
            return [.. _live.Select(g => (g.Key, new Dictionary<(string, int), CommittedOffset>(g.Value)))];
        }
    }

    public void Record(string group, (string Topic, int Partition) key, CommittedOffset offset)
    {
        lock (_lock)
        {
            var payload = BeginPayload(Commit, group);
            WriteString(payload, key.Topic);
            WriteInt32(payload, key.Partition);
            WriteInt64(payload, offset.Offset);
            WriteInt32(payload, offset.LeaderEpoch);
            WriteInt64(payload, offset.CommitTimestamp);
            WriteString(payload, offset.Metadata);
            Append(payload.WrittenSpan);
            var offsets = GroupOffsets(group);
            if (offsets.TryAdd(key, offset))
            {
                _liveCount++;
            }
            else
            {
                offsets[key] = offset;
            }

            MaybeRewrite();
        }
    }

    public void Remove(string group, (string Topic, int Partition) key)
    {
        lock (_lock)
        {
            var payload = BeginPayload(RemoveOffset, group);
            WriteString(payload, key.Topic);
            WriteInt32(payload, key.Partition);
            Append(payload.WrittenSpan);
            if (_live.TryGetValue(group, out var offsets) && offsets.Remove(key))
            {
                _liveCount--;
            }

            MaybeRewrite();
        }
    }

    public void RemoveGroup(string group)
    {
        lock (_lock)
        {
            Append(BeginPayload(RemoveGroupKind, group).WrittenSpan);
            if (_live.Remove(group, out var offsets))
            {
                _liveCount -= offsets.Count;
            }

            MaybeRewrite();
        }
    }

    public void Flush()
    {
        lock (_lock)
        {
            if (_dirty)
            {
                RandomAccess.FlushToDisk(_file);
                _dirty = false;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (!_file.IsClosed)
            {
                if (_dirty)
                {
                    RandomAccess.FlushToDisk(_file);
                    _dirty = false;
                }

                _file.Dispose();
            }
        }
    }

    private Dictionary<(string Topic, int Partition), CommittedOffset> GroupOffsets(string group)
    {
        if (!_live.TryGetValue(group, out var offsets))
        {
            offsets = [];
            _live[group] = offsets;
        }

        return offsets;
    }

    private void Replay(Action<string>? report)
    {
        var length = RandomAccess.GetLength(_file);
        var content = new byte[length];
        var read = 0;
        while (read < content.Length)
        {
            var n = RandomAccess.Read(_file, content.AsSpan(read), read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        if (content.Length >= HeaderSize)
        {
            if (!content.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            {
                throw new DataDirException(_path, "is not a committed-offsets journal (wrong magic); remove it to lose committed offsets, or restore it from a backup");
            }

            var version = BinaryPrimitives.ReadInt16BigEndian(content.AsSpan(Magic.Length));
            if (version != Version)
            {
                throw new DataDirException(_path, $"has journal format {version}; this version reads format {Version}");
            }
        }

        var at = Math.Min(HeaderSize, content.Length);
        while (at < content.Length)
        {
            var rest = content.AsSpan(at);
            if (rest.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(rest) is var size && (size < 1 || size > rest.Length - 8))
            {
                report?.Invoke($"{_path}: the record at byte {at} is cut off; the journal is cut there");
                break;
            }

            var payload = rest.Slice(8, size);
            if (Crc32C.Compute(payload) != BinaryPrimitives.ReadUInt32BigEndian(rest[4..]) || !Apply(payload))
            {
                report?.Invoke($"{_path}: the record at byte {at} is corrupt; the journal is cut there");
                break;
            }

            at += 8 + size;
        }
    }

    /// <summary>Applies one replayed record; false when it does not parse.</summary>
    private bool Apply(ReadOnlySpan<byte> payload)
    {
        var reader = new Reader(payload);
        var kind = reader.Byte();
        var group = reader.String();
        if (group is null)
        {
            return false;
        }

        switch (kind)
        {
            case Commit:
                var topic = reader.String();
                var partition = reader.Int32();
                var committed = reader.Int64();
                var leaderEpoch = reader.Int32();
                var timestamp = reader.Int64();
                var metadata = reader.String();
                if (topic is null || !reader.Ok)
                {
                    return false;
                }

                GroupOffsets(group)[(topic, partition)] = new CommittedOffset(committed, leaderEpoch, metadata, timestamp);
                return true;
            case RemoveOffset:
                var removedTopic = reader.String();
                var removedPartition = reader.Int32();
                if (removedTopic is null || !reader.Ok)
                {
                    return false;
                }

                if (_live.TryGetValue(group, out var offsets))
                {
                    offsets.Remove((removedTopic, removedPartition));
                }

                return true;
            case RemoveGroupKind:
                _live.Remove(group);
                return reader.Ok;
            default:
                return false;
        }
    }

    /// <summary>Replaces the file with one commit record per live offset.</summary>
    private void Rewrite()
    {
        var content = new ArrayBufferWriter<byte>(4096);
        content.Write(Magic);
        WriteInt16(content, Version);
        _records = 0;
        _liveCount = 0;
        foreach (var (group, offsets) in _live.Where(g => g.Value.Count > 0).ToList())
        {
            foreach (var (key, offset) in offsets)
            {
                var payload = BeginPayload(Commit, group);
                WriteString(payload, key.Topic);
                WriteInt32(payload, key.Partition);
                WriteInt64(payload, offset.Offset);
                WriteInt32(payload, offset.LeaderEpoch);
                WriteInt64(payload, offset.CommitTimestamp);
                WriteString(payload, offset.Metadata);
                Frame(content, payload.WrittenSpan);
                _records++;
                _liveCount++;
            }
        }

        AtomicFile.Write(_path, content.WrittenSpan);
        var replaced = _file;
        _file = OwnerOnly.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        replaced.Dispose();
        _length = content.WrittenCount;
        _dirty = false;
    }

    private void MaybeRewrite()
    {
        if (_records > 1000 && _records > 4 * _liveCount)
        {
            Rewrite();
        }
    }

    private void Append(ReadOnlySpan<byte> payload)
    {
        var record = new ArrayBufferWriter<byte>(payload.Length + 8);
        Frame(record, payload);
        RandomAccess.Write(_file, record.WrittenSpan, _length);
        _length += record.WrittenCount;
        _records++;
        if (_syncEveryWrite)
        {
            RandomAccess.FlushToDisk(_file);
        }
        else
        {
            _dirty = true;
        }
    }

    private static void Frame(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> payload)
    {
        WriteInt32(output, payload.Length);
        var crc = output.GetSpan(4);
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32C.Compute(payload));
        output.Advance(4);
        output.Write(payload);
    }

    private ArrayBufferWriter<byte> BeginPayload(byte kind, string group)
    {
        _scratch.ResetWrittenCount();
        _scratch.GetSpan(1)[0] = kind;
        _scratch.Advance(1);
        WriteString(_scratch, group);
        return _scratch;
    }

    private static void WriteString(ArrayBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteInt16(output, -1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        if (length > short.MaxValue)
        {
            throw new ArgumentException($"A string of {length} UTF-8 bytes is too long for the committed-offsets journal (limit {short.MaxValue}).", nameof(value));
        }

        WriteInt16(output, (short)length);
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    private static void WriteInt16(ArrayBufferWriter<byte> output, short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(output.GetSpan(2), value);
        output.Advance(2);
    }

    private static void WriteInt32(ArrayBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    /// <summary>Reads a payload; any overrun clears <see cref="Ok"/> and yields zeros.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;

        public bool Ok { get; private set; } = true;

        public byte Byte() => Take(1) is { Length: 1 } b ? b[0] : (byte)0;

        public int Int32() => Take(4) is { Length: 4 } b ? BinaryPrimitives.ReadInt32BigEndian(b) : 0;

        public long Int64() => Take(8) is { Length: 8 } b ? BinaryPrimitives.ReadInt64BigEndian(b) : 0;

        public string? String()
        {
            var length = Take(2) is { Length: 2 } b ? BinaryPrimitives.ReadInt16BigEndian(b) : (short)-1;
            if (length < 0)
            {
                return null;
            }

            var bytes = Take(length);
            return Ok ? Encoding.UTF8.GetString(bytes) : null;
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (!Ok || _at + count > _data.Length)
            {
                Ok = false;
                return [];
            }

            var slice = _data.Slice(_at, count);
            _at += count;
            return slice;
        }
    }
}
