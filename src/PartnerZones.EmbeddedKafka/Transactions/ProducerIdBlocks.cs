using System.Globalization;
using System.Text;
using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.Transactions;

/// <summary>
/// Hands out producer ids that are never reused over the life of a data directory. As Kafka does, ids
/// are taken in blocks and the end of the latest block is written (atomically, fsynced) before any id of
/// it is handed out, so after a restart, a crash included, the next id is above every id given before.
/// A reused id would make the partitions' rebuilt producer state treat a new producer's first batches as
/// duplicates of an old producer's (acknowledged and never stored) or as out-of-order sequences.
/// The start also stays above every producer id found in the logs, for a data directory written before
/// this file existed or whose file was lost.
/// </summary>
internal sealed class ProducerIdBlocks
{
    public const string FileName = "producer-ids";

    /// <summary>Ids per block: one fsync per thousand producers.</summary>
    public const long BlockSize = 1000;

    private readonly Lock _lock = new();
    private readonly string? _path;
    private long _next;
    private long _blockEnd;

    private ProducerIdBlocks(string? path, long next)
    {
        _path = path;
        _next = next;
        _blockEnd = next;
    }

    /// <summary>Ids for a cluster without a data directory: from 0, never persisted.</summary>
    public static ProducerIdBlocks InMemory() => new(null, 0);

    /// <summary>Continues after the last block recorded in <paramref name="root"/> and after
    /// <paramref name="highestLoggedId"/>, whichever is further.</summary>
    public static ProducerIdBlocks Open(string root, long highestLoggedId)
    {
        var path = Path.Combine(root, FileName);
        var recorded = 0L;
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path, Encoding.UTF8).Trim();
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out recorded))
            {
                throw new DataDirException(root, $"has a damaged {FileName} file ('{text}'); delete it to let the cluster continue after the producer ids found in its logs");
            }
        }

        return new ProducerIdBlocks(path, Math.Max(recorded, highestLoggedId + 1));
    }

    /// <summary>The next producer id, unique over the life of the data directory.</summary>
    public long Next()
    {
        lock (_lock)
        {
            if (_next >= _blockEnd)
            {
                var end = _next + BlockSize;
                if (_path is not null)
                {
                    AtomicFile.Write(_path, Encoding.UTF8.GetBytes(end.ToString(CultureInfo.InvariantCulture) + "\n"));
                }

                _blockEnd = end;
            }

            return _next++;
        }
    }
}
