using PartnerZones.EmbeddedKafka.State;

namespace PartnerZones.EmbeddedKafka.Groups;

/// <summary>
/// Kafka's default server-side assignor: spreads partitions as evenly as the subscriptions allow and keeps a
/// partition with its previous owner where that does not unbalance the group, so a rebalance moves few partitions.
/// </summary>
internal sealed class UniformAssignor : IPartitionAssignor
{
    public const string AssignorName = "uniform";

    public string Name => AssignorName;

    public Dictionary<string, HashSet<TopicPartitionId>> Assign(
        IReadOnlyList<(string MemberId, IReadOnlyList<TopicState> Topics)> subscriptions,
        IReadOnlyDictionary<string, HashSet<TopicPartitionId>> previous)
    {
        var result = subscriptions.ToDictionary(s => s.MemberId, _ => new HashSet<TopicPartitionId>(), StringComparer.Ordinal);
        var subscribers = new Dictionary<TopicPartitionId, List<string>>();
        foreach (var (memberId, topics) in subscriptions)
        {
            foreach (var topic in topics)
            {
                for (var p = 0; p < topic.Partitions.Count; p++)
                {
                    var key = new TopicPartitionId(topic.Id, p);
                    if (!subscribers.TryGetValue(key, out var list))
                    {
                        subscribers[key] = list = [];
                    }

                    list.Add(memberId);
                }
            }
        }

        if (result.Count == 0)
        {
            return result;
        }

        // With everyone subscribed to the same topics, every member ends with floor or floor + 1 partitions;
        // keeping previous owners within those quotas is what makes the assignment sticky.
        var floor = subscribers.Count / result.Count;
        var extra = subscribers.Count % result.Count;
        var unassigned = new HashSet<TopicPartitionId>(subscribers.Keys);
        foreach (var round in new[] { 0, 1 })
        {
            foreach (var (memberId, _) in subscriptions)
            {
                var mine = result[memberId];
                foreach (var partition in previous.GetValueOrDefault(memberId) ?? [])
                {
                    var quota = round == 0 ? floor : floor + 1;
                    if (mine.Count >= quota || (round == 1 && extra == 0))
                    {
                        break;
                    }

                    if (unassigned.Contains(partition) && subscribers[partition].Contains(memberId))
                    {
                        mine.Add(partition);
                        unassigned.Remove(partition);
                        if (round == 1)
                        {
                            extra--;
                            break;
                        }
                    }
                }
            }
        }

        // The rest go to the subscriber with the fewest partitions so far (member id order breaks ties).
        foreach (var partition in unassigned.OrderBy(p => p.TopicId).ThenBy(p => p.Partition))
        {
            var best = subscribers[partition].MinBy(m => (result[m].Count, m), Comparer<(int, string)>.Create((a, b) =>
                a.Item1 != b.Item1 ? a.Item1.CompareTo(b.Item1) : string.CompareOrdinal(a.Item2, b.Item2)))!;
            result[best].Add(partition);
        }

        return result;
    }
}
