using PartnerZones.EmbeddedKafka.Groups;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Records;

namespace PartnerZones.EmbeddedKafka.Transactions;

/// <summary>
/// Ends a decided transaction where its data lives: a control batch holding a commit or abort marker is
/// appended to every partition of the transaction (which moves each partition's last stable offset and,
/// on abort, records the aborted range), and on commit the offsets staged for its groups become the
/// groups' committed offsets. On abort the staged offsets are simply dropped.
/// </summary>
internal static class TransactionMarkerWriter
{
    /// <summary>Kafka's coordinator epoch grows when the coordinator moves; here it never moves.</summary>
    public const int CoordinatorEpoch = 0;

    public static void Write(ClusterState state, GroupCoordinator groups, TransactionOutcome outcome)
    {
        var type = outcome.Committed ? ControlRecordType.Commit : ControlRecordType.Abort;
        foreach (var (topicName, index) in outcome.Partitions)
        {
            // A topic deleted (or shrunk, which Kafka never does) since it was added has no log to mark.
            if (state.Find(topicName) is not { } topic || index < 0 || index >= topic.Partitions.Count)
            {
                continue;
            }

            var partition = topic.Partitions[index];
            lock (partition.AppendLock)
            {
                if (!partition.Producers.AcceptsMarker(outcome.ProducerId, outcome.ProducerEpoch))
                {
                    continue;
                }

                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var batch = new EndTransactionMarker(type, CoordinatorEpoch)
                    .ToBatch(outcome.ProducerId, outcome.ProducerEpoch, now, partition.LeaderEpoch)
                    .ToArray();
                var offset = partition.Log.Append(batch);
                partition.Producers.RecordMarker(outcome.ProducerId, outcome.ProducerEpoch, outcome.Committed, offset, CoordinatorEpoch, now);
            }
        }

        if (!outcome.Committed)
        {
            return;
        }

        foreach (var (groupId, offsets) in outcome.Offsets)
        {
            if (offsets.Count == 0)
            {
                continue;
            }

            var group = groups.GetOrCreate(groupId);
            lock (group)
            {
                foreach (var (key, offset) in offsets)
                {
                    group.Offsets[key] = offset;
                }
            }
        }
    }
}
