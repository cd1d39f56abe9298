using PartnerZones.EmbeddedKafka.State;

namespace PartnerZones.EmbeddedKafka.Groups;

/// <summary>
/// Kafka's server-side range assignor: for each topic, its subscribers (in member id order) get contiguous
/// ranges of partitions, the first ones one more when the count does not divide evenly. Members subscribed to
/// the same co-partitioned topics get the same partition numbers of each.
/// </summary>
internal sealed class RangeAssignor : IPartitionAssignor
{
    public string Name => "range";

    public Dictionary<string, HashSet<TopicPartitionId>> Assign(
        IReadOnlyList<(string MemberId, IReadOnlyList<TopicState> Topics)> subscriptions,
        IReadOnlyDictionary<string, HashSet<TopicPartitionId>> previous)
    {
        var result = subscriptions.ToDictionary(s => s.MemberId, _ => new HashSet<TopicPartitionId>(), StringComparer.Ordinal);
        var byTopic = new Dictionary<Guid, (TopicState Topic, List<string> Members)>();
        foreach (var (memberId, topics) in subscriptions)
        {
            foreach (var topic in topics)
            {
                if (!byTopic.TryGetValue(topic.Id, out var entry))
                {
                    byTopic[topic.Id] = entry = (topic, []);
                }

                entry.Members.Add(memberId);
            }
        }

        foreach (var (topic, members) in byTopic.Values)
        {
            members.Sort(StringComparer.Ordinal);
            var each = topic.Partitions.Count / members.Count;
            var extra = topic.Partitions.Count % members.Count;
            var next = 0;
            for (var i = 0; i < members.Count; i++)
            {
                var count = each + (i < extra ? 1 : 0);
                for (var p = next; p < next + count; p++)
                {
                    result[members[i]].Add(new TopicPartitionId(topic.Id, p));
                }

                next += count;
            }
        }

        return result;
    }
}
