using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using Cursor = PartnerZones.Protocol.Messages.DescribeTopicPartitionsStructs.CursorData;
using Partition = PartnerZones.Protocol.Messages.DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponsePartition;
using Topic = PartnerZones.Protocol.Messages.DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>
/// Topic and partition details of the zone's aliases, like Metadata: an empty topic list means every
/// alias, each alias has its own virtual id, names outside the zone get UNKNOWN_TOPIC_OR_PARTITION.
/// The answer is paged as Kafka pages it, in alias terms: topics in name order from the cursor's, at
/// most the partition limit (and never more than Kafka's default broker cap, 2000) per answer, and a
/// next cursor naming an alias. Upstream, the backing topics' partitions are read whole (paged there
/// too) and the page is cut here, since the order of backing names is not the order of aliases.
/// </summary>
internal sealed class DescribeTopicPartitionsHandler : ZoneHandler<DescribeTopicPartitionsRequest>
{
    /// <summary>Kafka's default max.request.partition.size.limit, which caps the client's limit.</summary>
    private const int MaxPartitionsPerAnswer = 2000;

    /// <summary>Bounds the upstream paging: more pages than this is a misbehaving upstream.</summary>
    private const int MaxUpstreamPages = 1000;

    public override string Served => "filtered to the zone: the aliases with their virtual ids, paged in alias terms";

    public override string Refusal => "names outside the zone: UNKNOWN_TOPIC_OR_PARTITION; authorized operations are never reported";

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, DescribeTopicPartitionsRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        var all = request.Topics.Count == 0;
        var cursorName = request.Cursor?.TopicName ?? "";
        var names = (all ? zone.Topics.Select(t => t.Alias) : request.Topics.Select(t => t.Name))
            .Where(n => string.CompareOrdinal(n, cursorName) >= 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (!all && request.Cursor is { } cursor && !names.Contains(cursor.TopicName, StringComparer.Ordinal))
        {
            // Kafka refuses a cursor that names a topic the list does not.
            return ZoneContext.Local(header, new DescribeTopicPartitionsResponse
            {
                Topics = [.. request.Topics.Select(t => new Topic { Name = t.Name, ErrorCode = ErrorCodes.InvalidRequest })],
            });
        }

        var backing = await DescribeBackingAsync(context, header, names.Select(context.Alias).OfType<ZoneTopic>().Select(t => t.Backing).Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false);
        var response = new DescribeTopicPartitionsResponse { ThrottleTimeMs = backing.ThrottleTimeMs };
        var remaining = Math.Min(MaxPartitionsPerAnswer, request.ResponsePartitionLimit);
        foreach (var name in names)
        {
            if (remaining <= 0)
            {
                // Every partition of the previous topic fitted: the next answer starts at this one.
                response.NextCursor = new Cursor { TopicName = name, PartitionIndex = 0 };
                break;
            }

            if (context.Alias(name) is not { } alias)
            {
                response.Topics.Add(new Topic { Name = name, ErrorCode = ErrorCodes.UnknownTopicOrPartition });
                continue;
            }

            if (!backing.Topics.TryGetValue(alias.Backing, out var found) || found.ErrorCode != 0)
            {
                response.Topics.Add(new Topic { Name = name, TopicId = alias.VirtualId, ErrorCode = found?.ErrorCode ?? ErrorCodes.UnknownTopicOrPartition });
                continue;
            }

            var first = name == cursorName ? request.Cursor!.PartitionIndex : 0;
            var partitions = found.Partitions.Where(p => p.PartitionIndex >= first).OrderBy(p => p.PartitionIndex).ToList();
            var page = partitions.Take(remaining).Select(Copy).ToList();
            response.Topics.Add(new Topic { Name = name, TopicId = alias.VirtualId, IsInternal = false, Partitions = page });
            if (page.Count < partitions.Count)
            {
                response.NextCursor = new Cursor { TopicName = name, PartitionIndex = partitions[page.Count].PartitionIndex };
                break;
            }

            remaining -= page.Count;
        }

        return ZoneContext.Local(header, response);
    }

    /// <summary>What the upstream answered for the backing topics, with every partition: its cursor is
    /// followed until the last page.</summary>
    private static async Task<(Dictionary<string, Topic> Topics, int ThrottleTimeMs)> DescribeBackingAsync(
        ZoneContext context, RequestHeader header, List<string> backing, CancellationToken cancellationToken)
    {
        var topics = new Dictionary<string, Topic>(StringComparer.Ordinal);
        var throttle = 0;
        Cursor? cursor = null;
        for (var page = 0; backing.Count > 0 && page < MaxUpstreamPages; page++)
        {
            var upstreamRequest = new DescribeTopicPartitionsRequest
            {
                Topics = [.. backing.Select(b => new DescribeTopicPartitionsRequest.TopicRequest { Name = b })],
                ResponsePartitionLimit = MaxPartitionsPerAnswer,
                Cursor = cursor,
            };
            var (response, frame) = await context.SendAsync<DescribeTopicPartitionsResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
            using (frame)
            {
                throttle = Math.Max(throttle, response.ThrottleTimeMs);
                foreach (var topic in response.Topics)
                {
                    if (topic.Name is not { } name)
                    {
                        continue;
                    }

                    context.Runtime.TopicIds.Learn(name, topic.TopicId);
                    if (topics.TryGetValue(name, out var known))
                    {
                        known.Partitions.AddRange(topic.Partitions);
                    }
                    else
                    {
                        topics[name] = topic;
                    }
                }

                cursor = response.NextCursor;
            }

            if (cursor is null)
            {
                break;
            }
        }

        return (topics, throttle);
    }

    private static Partition Copy(Partition p) => new()
    {
        ErrorCode = p.ErrorCode,
        PartitionIndex = p.PartitionIndex,
        LeaderId = p.LeaderId,
        LeaderEpoch = p.LeaderEpoch,
        ReplicaNodes = p.ReplicaNodes,
        IsrNodes = p.IsrNodes,
        EligibleLeaderReplicas = p.EligibleLeaderReplicas,
        LastKnownElr = p.LastKnownElr,
        OfflineReplicas = p.OfflineReplicas,
    };
}
