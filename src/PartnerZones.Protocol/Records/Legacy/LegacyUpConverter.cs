using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Records.Legacy;

/// <summary>
/// Turns the message set of a Produce v0-2 request into magic-2 batches, as a Kafka 3.x broker does
/// before it appends: one batch per compressed wrapper (its codec kept) and one per run of
/// uncompressed messages, offsets counted from 0 across the whole set, no producer id, epoch or
/// sequence, no headers. Magic-0 messages have no timestamp: their records get -1, as Kafka stores.
/// </summary>
internal static class LegacyUpConverter
{
    public static byte[] Convert(ReadOnlyMemory<byte> messageSet)
    {
        using var output = new KafkaWriter(messageSet.Length + 128);
        var run = new List<LegacyMessage>();
        var runTimestamps = new List<long>();
        var nextOffset = 0L;
        var position = 0;
        while (position < messageSet.Length)
        {
            if (!LegacyMessageReader.TryRead(messageSet[position..], out var message, out var size))
            {
                throw LegacyErrors.Corrupt($"the message set is cut off: the entry at byte {position} ends past the {messageSet.Length} bytes sent");
            }

            if (message.Codec == RecordCompression.None)
            {
                // A batch has one timestamp type; a change of type ends the run.
                if (run.Count > 0 && run[0].TimestampType != message.TimestampType)
                {
                    nextOffset = Emit(output, nextOffset, RecordCompression.None, run[0].TimestampType, run, runTimestamps);
                }

                run.Add(message);
                runTimestamps.Add(message.Timestamp);
            }
            else
            {
                nextOffset = Emit(output, nextOffset, RecordCompression.None, run.Count > 0 ? run[0].TimestampType : default, run, runTimestamps);
                var inner = LegacyWrapper.ReadInner(message, RecordBatch.DefaultMaxDecompressedBytes);
                var timestamps = new List<long>(inner.Count);
                for (var i = 0; i < inner.Count; i++)
                {
                    // Kafka checks that magic-1 producers number inner messages 0, 1, 2, ... (magic 0's
                    // inner offsets were never meaningful, and the broker rewrote them).
                    if (message.Magic > 0 && inner[i].Offset != i)
                    {
                        throw LegacyErrors.Invalid($"inner message {i} of a compressed magic-1 message has offset {inner[i].Offset}; inner offsets must count from 0");
                    }

                    timestamps.Add(LegacyWrapper.TimestampOf(message, inner[i]));
                }

                nextOffset = Emit(output, nextOffset, message.Codec, message.TimestampType, inner, timestamps);
            }

            position += size;
        }

        Emit(output, nextOffset, RecordCompression.None, run.Count > 0 ? run[0].TimestampType : default, run, runTimestamps);
        return output.ToArray();
    }

    /// <summary>Writes the messages as one batch and empties the lists; returns the next free offset.</summary>
    private static long Emit(KafkaWriter output, long baseOffset, RecordCompression codec, TimestampType timestampType,
        List<LegacyMessage> messages, List<long> timestamps)
    {
        if (messages.Count == 0)
        {
            return baseOffset;
        }

        var batch = new RecordBatch
        {
            BaseOffset = baseOffset,
            Compression = codec,
            TimestampType = timestampType,
            BaseTimestamp = timestamps[0],
            LastOffsetDelta = messages.Count - 1,
            MaxTimestamp = RecordBatch.None,
        };
        batch.Records.Capacity = messages.Count;
        for (var i = 0; i < messages.Count; i++)
        {
            batch.Records.Add(new Record
            {
                OffsetDelta = i,
                TimestampDelta = unchecked(timestamps[i] - batch.BaseTimestamp),
                Key = messages[i].Key,
                Value = messages[i].Value,
            });
            batch.MaxTimestamp = Math.Max(batch.MaxTimestamp, timestamps[i]);
        }

        batch.Encode(output);
        var next = baseOffset + messages.Count;
        messages.Clear();
        timestamps.Clear();
        return next;
    }
}
