using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

internal sealed partial class ZoneRouter
{
    /// <summary>Commits under the zone's group id and the backing topic names; aliases outside the zone
    /// get UNKNOWN_TOPIC_OR_PARTITION.</summary>
    private async Task<byte[]?> OffsetCommitAsync(RequestHeader header, OffsetCommitRequest request, CancellationToken cancellationToken)
    {
        var forward = request.Topics.Select(t => (Data: t, Topic: Alias(t.Name))).Where(x => x.Topic is not null).Select(x => (x.Data, Topic: x.Topic!)).ToList();
        var results = new Dictionary<OffsetCommitRequest.OffsetCommitRequestTopic, OffsetCommitResponse.OffsetCommitResponseTopic>();
        var merged = new OffsetCommitResponse();
        foreach (var round in Rounds(forward, f => f.Topic.Backing))
        {
            var upstreamRequest = new OffsetCommitRequest
            {
                GroupId = Zone.Namespaced(request.GroupId),
                GenerationIdOrMemberEpoch = request.GenerationIdOrMemberEpoch,
                MemberId = request.MemberId,
                GroupInstanceId = request.GroupInstanceId,
                RetentionTimeMs = request.RetentionTimeMs,
                Topics = [.. round.Select(f => new OffsetCommitRequest.OffsetCommitRequestTopic { Name = f.Topic.Backing, Partitions = f.Data.Partitions })],
            };
            var (response, frame) = await SendAsync<OffsetCommitResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
            using (frame)
            {
                for (var i = 0; i < round.Count && i < response.Topics.Count; i++)
                {
                    response.Topics[i].Name = round[i].Data.Name;
                    results[round[i].Data] = response.Topics[i];
                }

                merged.ThrottleTimeMs = Math.Max(merged.ThrottleTimeMs, response.ThrottleTimeMs);
            }
        }

        foreach (var data in request.Topics)
        {
            merged.Topics.Add(results.TryGetValue(data, out var found)
                ? found
                : new OffsetCommitResponse.OffsetCommitResponseTopic
                {
                    Name = data.Name,
                    Partitions = [.. data.Partitions.Select(p => new OffsetCommitResponse.OffsetCommitResponsePartition { PartitionIndex = p.PartitionIndex, ErrorCode = UnknownTopicOrPartition })],
                });
        }

        return Local(header, merged);
    }

    /// <summary>Reads committed offsets of the zone's groups; a null topic list returns the zone's aliases only.</summary>
    private async Task<byte[]?> OffsetFetchAsync(RequestHeader header, OffsetFetchRequest request, CancellationToken cancellationToken)
    {
        if (header.ApiVersion >= 8)
        {
            var upstreamRequest = new OffsetFetchRequest
            {
                RequireStable = request.RequireStable,
                Groups = [.. request.Groups.Select(g => new OffsetFetchRequest.OffsetFetchRequestGroup
                {
                    GroupId = Zone.Namespaced(g.GroupId),
                    MemberId = g.MemberId,
                    MemberEpoch = g.MemberEpoch,
                    // Ask for every backing topic the group needs; answers are mapped back per alias below.
                    Topics = g.Topics is null ? null : [.. BackingFor(g.Topics.Select(t => (t.Name, (IReadOnlyList<int>)t.PartitionIndexes)))
                        .Select(b => new OffsetFetchRequest.OffsetFetchRequestTopics { Name = b.Backing, PartitionIndexes = [.. b.Partitions] })],
                })],
            };
            return await ForwardAsync<OffsetFetchResponse>(header, upstreamRequest, response =>
            {
                for (var i = 0; i < response.Groups.Count && i < request.Groups.Count; i++)
                {
                    var group = response.Groups[i];
                    var asked = request.Groups[i].Topics?.Select(t => (t.Name, (IReadOnlyList<int>?)t.PartitionIndexes)).ToList();
                    group.GroupId = request.Groups[i].GroupId;
                    var byBacking = group.Topics.ToDictionary(t => t.Name, t => t.Partitions.ToDictionary(p => p.PartitionIndex), StringComparer.Ordinal);
                    group.Topics = [.. ForAliases(asked, byBacking,
                        (alias, partitions) => new OffsetFetchResponse.OffsetFetchResponseTopics { Name = alias, Partitions = partitions },
                        index => new OffsetFetchResponse.OffsetFetchResponsePartitions { PartitionIndex = index, CommittedOffset = -1, Metadata = "", ErrorCode = 0 })];
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        var single = new OffsetFetchRequest
        {
            GroupId = Zone.Namespaced(request.GroupId),
            RequireStable = request.RequireStable,
            Topics = request.Topics is null ? null : [.. BackingFor(request.Topics.Select(t => (t.Name, (IReadOnlyList<int>)t.PartitionIndexes)))
                .Select(b => new OffsetFetchRequest.OffsetFetchRequestTopic { Name = b.Backing, PartitionIndexes = [.. b.Partitions] })],
        };
        return await ForwardAsync<OffsetFetchResponse>(header, single, response =>
        {
            var asked = request.Topics?.Select(t => (t.Name, (IReadOnlyList<int>?)t.PartitionIndexes)).ToList();
            var byBacking = response.Topics.ToDictionary(t => t.Name, t => t.Partitions.ToDictionary(p => p.PartitionIndex), StringComparer.Ordinal);
            response.Topics = [.. ForAliases(asked, byBacking,
                (alias, partitions) => new OffsetFetchResponse.OffsetFetchResponseTopic { Name = alias, Partitions = partitions },
                index => new OffsetFetchResponse.OffsetFetchResponsePartition { PartitionIndex = index, CommittedOffset = -1, Metadata = "", ErrorCode = 0 })];
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The backing topics (with the union of partitions) behind the aliases asked for.</summary>
    private IEnumerable<(string Backing, SortedSet<int> Partitions)> BackingFor(IEnumerable<(string Name, IReadOnlyList<int> Partitions)> asked)
    {
        var result = new Dictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        foreach (var (name, partitions) in asked)
        {
            if (Alias(name) is { } topic)
            {
                if (!result.TryGetValue(topic.Backing, out var set))
                {
                    result[topic.Backing] = set = [];
                }

                set.UnionWith(partitions);
            }
        }

        return result.Select(kv => (kv.Key, kv.Value));
    }

    /// <summary>Answers per alias from per-backing results: asked aliases in order (unknown ones get an
    /// error entry), or every zone alias whose backing topic has offsets when the client asked for all.</summary>
    private IEnumerable<TTopic> ForAliases<TTopic, TPartition>(
        List<(string Name, IReadOnlyList<int>? Partitions)>? asked,
        Dictionary<string, Dictionary<int, TPartition>> byBacking,
        Func<string, List<TPartition>, TTopic> topic,
        Func<int, TPartition> missing)
    {
        if (asked is null)
        {
            foreach (var alias in Zone.Topics)
            {
                if (byBacking.TryGetValue(alias.Backing, out var partitions))
                {
                    yield return topic(alias.Alias, [.. partitions.Values]);
                }
            }

            yield break;
        }

        foreach (var (name, partitions) in asked)
        {
            var zoneTopic = Alias(name);
            var found = zoneTopic is not null && byBacking.TryGetValue(zoneTopic.Backing, out var p) ? p : null;
            var list = new List<TPartition>();
            foreach (var index in partitions ?? [])
            {
                list.Add(found is not null && found.TryGetValue(index, out var entry) ? entry : UnknownIfOutside(zoneTopic, missing(index)));
            }

            yield return topic(name, list);
        }
    }

    private static TPartition UnknownIfOutside<TPartition>(ZoneTopic? topic, TPartition entry)
    {
        if (topic is null)
        {
            switch (entry)
            {
                case OffsetFetchResponse.OffsetFetchResponsePartition single:
                    single.ErrorCode = UnknownTopicOrPartition;
                    break;
                case OffsetFetchResponse.OffsetFetchResponsePartitions multi:
                    multi.ErrorCode = UnknownTopicOrPartition;
                    break;
            }
        }

        return entry;
    }
}
