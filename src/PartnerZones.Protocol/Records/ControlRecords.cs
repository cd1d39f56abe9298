using System.Buffers.Binary;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Records;

/// <summary>The type in a control record's key. Abort and Commit are transaction markers; the
/// others are KRaft metadata-log records, named so logs read well.</summary>
public enum ControlRecordType : short
{
    Abort = 0,
    Commit = 1,
    LeaderChange = 2,
    SnapshotHeader = 3,
    SnapshotFooter = 4,
    KRaftVersion = 5,
    KRaftVoters = 6,
}

/// <summary>
/// A transaction marker, the one record of a control batch that ends a transaction. Its key is
/// version int16 (0) and type int16; its value is version int16 (0) and the coordinator epoch int32.
/// Readers accept newer value versions as long as these fields lead, as Kafka does.
/// </summary>
public readonly record struct EndTransactionMarker(ControlRecordType Type, int CoordinatorEpoch)
{
    private const short KeyVersion = 0;
    private const short ValueVersion = 0;
    private const int KeySize = 4;
    private const int ValueSize = 6;

    /// <summary>The marker as a record (offset delta 0 unless given).</summary>
    public Record ToRecord(int offsetDelta = 0, long timestampDelta = 0)
    {
        EnsureMarkerType(Type);
        var key = new byte[KeySize];
        BinaryPrimitives.WriteInt16BigEndian(key, KeyVersion);
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(2), (short)Type);
        var value = new byte[ValueSize];
        BinaryPrimitives.WriteInt16BigEndian(value, ValueVersion);
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(2), CoordinatorEpoch);
        return new Record { OffsetDelta = offsetDelta, TimestampDelta = timestampDelta, Key = key, Value = value };
    }

    /// <summary>A control batch holding just this marker, as a transaction coordinator writes it.</summary>
    public RecordBatch ToBatch(long producerId, short producerEpoch, long timestamp, int partitionLeaderEpoch = RecordBatch.None)
    {
        var batch = new RecordBatch
        {
            PartitionLeaderEpoch = partitionLeaderEpoch,
            BaseTimestamp = timestamp,
            MaxTimestamp = timestamp,
            ProducerId = producerId,
            ProducerEpoch = producerEpoch,
            IsTransactional = true,
            IsControl = true,
        };
        batch.Records.Add(ToRecord());
        return batch;
    }

    /// <summary>The control type in a control record's key.</summary>
    public static ControlRecordType ReadType(ReadOnlySpan<byte> key)
    {
        if (key.Length < KeySize)
        {
            throw RecordErrors.Malformed("controlKey", $"control record key has {key.Length} bytes; it needs {KeySize}");
        }

        var version = BinaryPrimitives.ReadInt16BigEndian(key);
        if (version != KeyVersion)
        {
            throw RecordErrors.Malformed("controlKey", $"control record key version {version} is not supported");
        }

        return (ControlRecordType)BinaryPrimitives.ReadInt16BigEndian(key[2..]);
    }

    /// <summary>Reads the marker in a control record; fails unless it is an abort or commit marker.</summary>
    public static EndTransactionMarker Read(Record record)
    {
        if (record.Key is not { } key)
        {
            throw RecordErrors.Malformed("controlKey", "control record key is null");
        }

        var type = ReadType(key.Span);
        if (type is not (ControlRecordType.Abort or ControlRecordType.Commit))
        {
            throw RecordErrors.Malformed("controlKey", $"control record type {(short)type} is not a transaction marker");
        }

        var value = record.Value is { } v ? v.Span : default;
        if (value.Length < ValueSize)
        {
            throw RecordErrors.Malformed("controlValue", $"transaction marker value has {value.Length} bytes; it needs {ValueSize}");
        }

        var version = BinaryPrimitives.ReadInt16BigEndian(value);
        if (version < 0)
        {
            throw RecordErrors.Malformed("controlValue", $"transaction marker version {version} is negative");
        }

        return new EndTransactionMarker(type, BinaryPrimitives.ReadInt32BigEndian(value[2..]));
    }

    private static void EnsureMarkerType(ControlRecordType type)
    {
        if (type is not (ControlRecordType.Abort or ControlRecordType.Commit))
        {
            throw new ArgumentException($"A transaction marker is an abort or a commit, not {type}.");
        }
    }
}
