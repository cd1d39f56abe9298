using PartnerZones.Protocol.Records;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>
/// Log compaction over the segments before the active one. Pass one maps every key to the offset of its
/// latest record in those segments. Pass two keeps, per segment, only records that are the latest for
/// their key (records without a key are kept); a latest record that is a tombstone (null value) is kept
/// until delete.retention.ms after its timestamp, then dropped too. Segments with nothing to drop are
/// left alone; the others are rewritten beside the original and swapped in by the log. Offsets never
/// change: a rewritten batch keeps its base offset and last offset delta, so gaps appear where records
/// went. A batch that loses every record goes, except the last batch of an idempotent producer, which
/// stays as an empty batch so its sequence numbers survive a reload. Control batches are kept as they are.
/// </summary>
internal static class LogCompactor
{
    public sealed record Result(List<(LogSegment Old, LogSegment? Cleaned)> Replacements, long NextTombstoneExpiry);

    public static Result Clean(IReadOnlyList<LogSegment> segments, SegmentStore store, LogConfig config, long nowMs)
    {
        var latest = new Dictionary<byte[], long>(KeyComparer.Instance);
        var lastOfProducer = new Dictionary<long, long>();
        var lookup = latest.GetAlternateLookup<ReadOnlySpan<byte>>();
        foreach (var segment in segments)
        {
            foreach (var bytes in segment.Batches())
            {
                var header = RecordBatchHeader.Read(bytes.Span);
                if (header.ProducerId >= 0)
                {
                    lastOfProducer[header.ProducerId] = header.BaseOffset;
                }

                if (header.IsControl)
                {
                    continue;
                }

                var batch = RecordBatch.Decode(bytes, verifyCrc: false);
                foreach (var record in batch.Records)
                {
                    if (record.Key is { } key)
                    {
                        lookup[key.Span] = batch.OffsetOf(record);
                    }
                }
            }
        }

        var cleaner = new SegmentFilter(lookup, lastOfProducer, nowMs - config.DeleteRetentionMs, config.DeleteRetentionMs);
        var replacements = new List<(LogSegment Old, LogSegment? Cleaned)>();
        try
        {
            CleanEach(segments, store, config, cleaner, replacements);
        }
        catch
        {
            // Nothing is swapped in unless the whole pass succeeded.
            foreach (var (_, cleaned) in replacements)
            {
                cleaned?.Delete();
            }

            throw;
        }

        return new Result(replacements, cleaner.NextTombstoneExpiry);
    }

    private static void CleanEach(
        IReadOnlyList<LogSegment> segments, SegmentStore store, LogConfig config, SegmentFilter cleaner, List<(LogSegment Old, LogSegment? Cleaned)> replacements)
    {
        foreach (var segment in segments)
        {
            // A dry pass first, so segments with nothing to drop are read once and never rewritten.
            if (!cleaner.Changes(segment))
            {
                continue;
            }

            var cleaned = store.CreateCleaned(segment.BaseOffset, config);
            try
            {
                foreach (var bytes in segment.Batches())
                {
                    if (cleaner.Filter(bytes) is { } kept)
                    {
                        cleaned.Append(kept, BatchFields.BaseOffset(kept), BatchFields.LastOffset(kept), BatchFields.MaxTimestamp(kept));
                    }
                }

                cleaned.Flush();
            }
            catch
            {
                cleaned.Delete();
                throw;
            }

            if (cleaned.IsEmpty)
            {
                cleaned.Delete();
                replacements.Add((segment, null));
            }
            else
            {
                replacements.Add((segment, cleaned));
            }
        }
    }

    /// <summary>Decides record by record what a compacted segment keeps.</summary>
    private sealed class SegmentFilter(
        Dictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> latest,
        Dictionary<long, long> lastOfProducer,
        long tombstoneHorizon,
        long deleteRetentionMs)
    {
        public long NextTombstoneExpiry { get; private set; } = long.MaxValue;

        public bool Changes(LogSegment segment)
        {
            var changes = false;
            foreach (var bytes in segment.Batches())
            {
                // Keep walking after a change: the kept tombstones' expiry must be seen in every segment.
                var batch = Decode(bytes);
                if (batch is not null && !Unchanged(batch, Keep(batch)))
                {
                    changes = true;
                }
            }

            return changes;
        }

        /// <summary>The batch as it stays: the original bytes, a re-encoded smaller batch, or null when it goes.</summary>
        public byte[]? Filter(ReadOnlyMemory<byte> bytes)
        {
            var batch = Decode(bytes);
            if (batch is null)
            {
                return bytes.ToArray();
            }

            var kept = Keep(batch);
            if (Unchanged(batch, kept))
            {
                return bytes.ToArray();
            }

            if (kept.Count == 0)
            {
                if (!IsLastOfProducer(batch))
                {
                    return null;
                }

                batch.Compression = RecordCompression.None;
            }

            batch.Records = kept;
            return batch.ToArray();
        }

        private bool Unchanged(RecordBatch batch, List<Record> kept) =>
            kept.Count == batch.Records.Count && (kept.Count > 0 || IsLastOfProducer(batch));

        private bool IsLastOfProducer(RecordBatch batch) =>
            batch.ProducerId >= 0 && lastOfProducer.GetValueOrDefault(batch.ProducerId, -1) == batch.BaseOffset;

        /// <summary>Null for control batches (kept whole).</summary>
        private static RecordBatch? Decode(ReadOnlyMemory<byte> bytes) =>
            RecordBatchHeader.Read(bytes.Span).IsControl ? null : RecordBatch.Decode(bytes, verifyCrc: false);

        private List<Record> Keep(RecordBatch batch)
        {
            var kept = new List<Record>(batch.Records.Count);
            foreach (var record in batch.Records)
            {
                if (record.Key is not { } key)
                {
                    kept.Add(record);
                    continue;
                }

                if (!latest.TryGetValue(key.Span, out var newest) || newest != batch.OffsetOf(record))
                {
                    continue;
                }

                if (record.Value is null)
                {
                    var timestamp = batch.TimestampOf(record);
                    if (timestamp < tombstoneHorizon)
                    {
                        continue;
                    }

                    NextTombstoneExpiry = Math.Min(NextTombstoneExpiry, timestamp + deleteRetentionMs);
                }

                kept.Add(record);
            }

            return kept;
        }
    }
}
