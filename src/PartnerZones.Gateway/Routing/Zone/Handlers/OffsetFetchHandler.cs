using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>
/// Reads committed offsets where each alias keeps them (<see cref="AliasOffsets"/>): primary aliases
/// from the zone's group (one upstream request for every group asked), other aliases from their
/// shadow groups, and merges the answers per alias. A null topic list returns every alias of the zone
/// that has offsets; names outside the zone get UNKNOWN_TOPIC_OR_PARTITION. From v10 topics are named by
/// id: the partner's virtual ids become the backing topics' real ids upstream and back, and ids outside
/// the zone get UNKNOWN_TOPIC_ID.
/// </summary>
internal sealed class OffsetFetchHandler : ZoneHandler<OffsetFetchRequest>
{
    public override string Served => "forwarded, group ids namespaced, each alias read where its offsets live and merged";

    public override string Refusal => "names outside the zone: UNKNOWN_TOPIC_OR_PARTITION; ids outside the zone (v10): UNKNOWN_TOPIC_ID; other groups are unreachable (every group id is the zone's own)";

    /// <summary>One topic a group asks about: the alias it names (null when outside the zone), and the
    /// name and id the client used, which the answer repeats.</summary>
    private sealed record AskedTopic(ZoneTopic? Topic, string Name, Guid Id, IReadOnlyList<int> Partitions);

    /// <summary>One group of an OffsetFetch request, whatever its version: topics null means all.</summary>
    private sealed record FetchGroup(string GroupId, string? MemberId, int MemberEpoch, List<AskedTopic>? Topics);

    /// <summary>One group as asked upstream: backing topics and their partitions, or null for all.</summary>
    private sealed record UpstreamGroup(string GroupId, string? MemberId, int MemberEpoch, List<(string Backing, IReadOnlyList<int> Partitions)>? Topics);

    /// <summary>What one upstream group answered: its error and its partitions by backing topic.</summary>
    private sealed record FetchedGroup(short ErrorCode, Dictionary<string, Dictionary<int, OffsetFetchResponse.OffsetFetchResponsePartitions>> ByBacking)
    {
        public static readonly FetchedGroup Empty = new(0, []);
    }

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, OffsetFetchRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        var ids = context.Runtime.TopicIds;
        var v = header.ApiVersion;
        var byId = v >= 10;
        if (byId)
        {
            // Every backing topic of the zone may be asked about (or listed, for a null topic list).
            await BackingTopicIds.LearnAsync(context, header.ClientId, zone.Topics.Select(t => t.Backing), cancellationToken).ConfigureAwait(false);
        }

        AskedTopic Ask(string name, Guid id, IReadOnlyList<int> partitions) => byId
            ? new AskedTopic(zone.ByVirtualId.GetValueOrDefault(id) is { } t && ids.IdOf(t.Backing) is not null ? t : null, name, id, partitions)
            : new AskedTopic(zone.ByAlias.GetValueOrDefault(name), name, id, partitions);

        List<FetchGroup> groups = v >= 8
            ? [.. request.Groups.Select(g => new FetchGroup(g.GroupId, g.MemberId, g.MemberEpoch, g.Topics?.Select(t => Ask(t.Name, t.TopicId, t.PartitionIndexes)).ToList()))]
            : [new FetchGroup(request.GroupId, null, -1, request.Topics?.Select(t => Ask(t.Name, Guid.Empty, t.PartitionIndexes)).ToList())];

        // Primary aliases: the zone's own groups, asked together as the client asked.
        var upstreamRequest = OffsetFetchFor(v, request.RequireStable, ids, [.. groups.Select(g => new UpstreamGroup(
            zone.Namespaced(g.GroupId),
            g.MemberId,
            g.MemberEpoch,
            g.Topics is null ? null : BackingFor(g.Topics.Where(t => t.Topic is not null && AliasOffsets.IsPrimary(zone, t.Topic))))) ]);
        var (mainResponse, frame) = await context.SendAsync<OffsetFetchResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
        List<FetchedGroup> main;
        using (frame)
        {
            main = Fetched(v, mainResponse, ids);
        }

        var merged = new OffsetFetchResponse { ThrottleTimeMs = mainResponse.ThrottleTimeMs };
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            var primary = i < main.Count ? main[i] : new FetchedGroup(ErrorCodes.CoordinatorNotAvailable, []);

            // Other aliases: each from its shadow group, which may have another coordinator. A group the
            // client must retry anyway (wrong coordinator, loading) is not looked at further.
            var wanted = primary.ErrorCode != 0 ? []
                : group.Topics is null
                ? AliasOffsets.Shadowed(zone).ToList()
                : [.. group.Topics.Select(t => t.Topic).OfType<ZoneTopic>().Where(a => !AliasOffsets.IsPrimary(zone, a)).DistinctBy(a => a.Alias, StringComparer.Ordinal)];
            var shadows = new Dictionary<string, FetchedGroup>(StringComparer.Ordinal);
            foreach (var alias in wanted)
            {
                var partitions = group.Topics?.Where(t => t.Topic == alias).SelectMany(t => t.Partitions).Distinct().Order().ToList();
                shadows[alias.Alias] = await FetchShadowAsync(context, header, request.RequireStable, alias, group.GroupId, partitions, cancellationToken).ConfigureAwait(false);
            }

            // The group's error is the partner's own group's. A shadow group's error reaches the group only
            // when it asks the client to retry the whole request (a coordinator moving or loading); any
            // other stays on that alias's partitions (ForAliases).
            var error = primary.ErrorCode != 0 ? primary.ErrorCode : shadows.Values.Select(s => s.ErrorCode).FirstOrDefault(GroupErrors.IsRetriableCoordinatorError);
            var topics = ForAliases(zone, group.Topics, primary, shadows, byId);
            if (v >= 8)
            {
                merged.Groups.Add(new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = group.GroupId, ErrorCode = error, Topics = topics });
            }
            else
            {
                merged.ErrorCode = error;
                merged.Topics = [.. topics.Select(t => new OffsetFetchResponse.OffsetFetchResponseTopic
                {
                    Name = t.Name,
                    Partitions = [.. t.Partitions.Select(p => new OffsetFetchResponse.OffsetFetchResponsePartition
                    {
                        PartitionIndex = p.PartitionIndex,
                        CommittedOffset = p.CommittedOffset,
                        CommittedLeaderEpoch = p.CommittedLeaderEpoch,
                        Metadata = p.Metadata,
                        ErrorCode = p.ErrorCode,
                    })],
                })];
            }
        }

        return ZoneContext.Local(header, merged);
    }

    /// <summary>One alias's offsets in its shadow group: all of them (null) or the partitions asked for.</summary>
    private static async Task<FetchedGroup> FetchShadowAsync(
        ZoneContext context, RequestHeader header, bool requireStable, ZoneTopic alias, string group, List<int>? partitions, CancellationToken cancellationToken)
    {
        var v = header.ApiVersion;
        var ids = context.Runtime.TopicIds;
        var groupId = AliasOffsets.ShadowGroup(context.Zone, alias, group);
        var request = OffsetFetchFor(v, requireStable, ids, [new UpstreamGroup(groupId, null, -1, partitions is null ? null : [(alias.Backing, partitions)])]);
        var (response, error) = await context.Coordinators.SendAsync<OffsetFetchResponse>(
            groupId, request, v, header.ClientId, r => Fetched(v, r, ids).FirstOrDefault()?.ErrorCode ?? 0, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return new FetchedGroup(error, []);
        }

        var fetched = Fetched(v, response, ids).FirstOrDefault() ?? FetchedGroup.Empty;
        if (fetched.ErrorCode == ErrorCodes.GroupIdNotFound)
        {
            // A shadow group exists only once its alias has committed. Apache Kafka answers such a group with
            // -1 offsets; other brokers answer GROUP_ID_NOT_FOUND. Both mean: nothing committed yet.
            return FetchedGroup.Empty;
        }

        // A shadow group holds one alias's backing topic; anything else in it is not this alias's.
        return fetched with { ByBacking = fetched.ByBacking.Where(kv => kv.Key == alias.Backing).ToDictionary(StringComparer.Ordinal) };
    }

    /// <summary>An upstream OffsetFetch in the shape of <paramref name="version"/>: one group before v8,
    /// topics by their real ids from v10.</summary>
    private static OffsetFetchRequest OffsetFetchFor(short version, bool requireStable, TopicIdCatalog ids, List<UpstreamGroup> groups)
    {
        if (version >= 8)
        {
            return new OffsetFetchRequest
            {
                RequireStable = requireStable,
                Groups = [.. groups.Select(g => new OffsetFetchRequest.OffsetFetchRequestGroup
                {
                    GroupId = g.GroupId,
                    MemberId = g.MemberId,
                    MemberEpoch = g.MemberEpoch,
                    Topics = g.Topics?.Select(t => new OffsetFetchRequest.OffsetFetchRequestTopics
                    {
                        Name = t.Backing,
                        TopicId = version >= 10 ? ids.IdOf(t.Backing) ?? Guid.Empty : Guid.Empty,
                        PartitionIndexes = [.. t.Partitions],
                    }).ToList(),
                })],
            };
        }

        var single = groups[0];
        return new OffsetFetchRequest
        {
            GroupId = single.GroupId,
            RequireStable = requireStable,
            Topics = single.Topics?.Select(t => new OffsetFetchRequest.OffsetFetchRequestTopic { Name = t.Backing, PartitionIndexes = [.. t.Partitions] }).ToList(),
        };
    }

    /// <summary>The groups of an upstream answer, per-partition entries in the v8 shape whatever the
    /// version, by backing name (from v10 the answer names topics by id; ids the gateway does not know
    /// are no backing topic of any zone and are left out).</summary>
    private static List<FetchedGroup> Fetched(short version, OffsetFetchResponse response, TopicIdCatalog ids)
    {
        static Dictionary<string, Dictionary<int, OffsetFetchResponse.OffsetFetchResponsePartitions>> ByBacking(IEnumerable<(string? Name, IEnumerable<OffsetFetchResponse.OffsetFetchResponsePartitions> Partitions)> topics)
        {
            var result = new Dictionary<string, Dictionary<int, OffsetFetchResponse.OffsetFetchResponsePartitions>>(StringComparer.Ordinal);
            foreach (var (name, partitions) in topics)
            {
                if (name is null)
                {
                    continue;
                }

                if (!result.TryGetValue(name, out var byIndex))
                {
                    result[name] = byIndex = [];
                }

                foreach (var p in partitions)
                {
                    byIndex[p.PartitionIndex] = p;
                }
            }

            return result;
        }

        if (version >= 8)
        {
            return [.. response.Groups.Select(g => new FetchedGroup(g.ErrorCode, ByBacking(g.Topics.Select(t =>
                (version >= 10 ? ids.NameOf(t.TopicId) : t.Name, (IEnumerable<OffsetFetchResponse.OffsetFetchResponsePartitions>)t.Partitions)))))];
        }

        var partitions = response.Topics.Select(t => ((string?)t.Name, t.Partitions.Select(p => new OffsetFetchResponse.OffsetFetchResponsePartitions
        {
            PartitionIndex = p.PartitionIndex,
            CommittedOffset = p.CommittedOffset,
            CommittedLeaderEpoch = p.CommittedLeaderEpoch,
            Metadata = p.Metadata,
            ErrorCode = p.ErrorCode,
        }))).ToList();
        // Versions 0 and 1 have no group error: a coordinator error comes on every partition.
        var error = version >= 2 ? response.ErrorCode
            : response.Topics.SelectMany(t => t.Partitions).Select(p => p.ErrorCode).FirstOrDefault(GroupErrors.IsGroupError);
        return [new FetchedGroup(error, ByBacking(partitions))];
    }

    /// <summary>The backing topics (with the union of partitions) behind the aliases asked for.</summary>
    private static List<(string Backing, IReadOnlyList<int> Partitions)> BackingFor(IEnumerable<AskedTopic> asked)
    {
        var result = new Dictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        foreach (var topic in asked)
        {
            if (topic.Topic is { } alias)
            {
                if (!result.TryGetValue(alias.Backing, out var set))
                {
                    result[alias.Backing] = set = [];
                }

                set.UnionWith(topic.Partitions);
            }
        }

        return [.. result.Select(kv => (kv.Key, (IReadOnlyList<int>)[.. kv.Value]))];
    }

    /// <summary>The answer per alias: the topics asked for in their order, named as the client named them
    /// (those outside the zone get an error entry), or, when all were asked for, every zone alias that has
    /// offsets, in zone order. Each alias reads its own store: the zone's group for a primary alias, its
    /// shadow group otherwise.</summary>
    private static List<OffsetFetchResponse.OffsetFetchResponseTopics> ForAliases(
        ZonePolicy zone, List<AskedTopic>? asked, FetchedGroup primary, Dictionary<string, FetchedGroup> shadows, bool byId)
    {
        Dictionary<int, OffsetFetchResponse.OffsetFetchResponsePartitions>? Source(ZoneTopic topic)
        {
            var store = AliasOffsets.IsPrimary(zone, topic) ? primary : shadows.GetValueOrDefault(topic.Alias);
            return store?.ByBacking.GetValueOrDefault(topic.Backing);
        }

        var topics = new List<OffsetFetchResponse.OffsetFetchResponseTopics>();
        if (asked is null)
        {
            foreach (var alias in zone.Topics)
            {
                if (Source(alias) is { Count: > 0 } partitions)
                {
                    topics.Add(new OffsetFetchResponse.OffsetFetchResponseTopics
                    {
                        Name = alias.Alias,
                        TopicId = alias.VirtualId,
                        Partitions = [.. partitions.Values.OrderBy(p => p.PartitionIndex).Select(Copy)],
                    });
                }
            }

            return topics;
        }

        var outside = byId ? ErrorCodes.UnknownTopicId : ErrorCodes.UnknownTopicOrPartition;
        foreach (var (topic, name, id, partitions) in asked)
        {
            var found = topic is null ? null : Source(topic);
            var shadowError = topic is not null && !AliasOffsets.IsPrimary(zone, topic) ? shadows.GetValueOrDefault(topic.Alias)?.ErrorCode ?? 0 : (short)0;
            topics.Add(new OffsetFetchResponse.OffsetFetchResponseTopics
            {
                Name = name,
                TopicId = id,
                Partitions = [.. partitions.Select(index => found is not null && found.TryGetValue(index, out var entry)
                    ? Copy(entry)
                    : new OffsetFetchResponse.OffsetFetchResponsePartitions
                    {
                        PartitionIndex = index,
                        CommittedOffset = -1,
                        Metadata = "",
                        ErrorCode = topic is null ? outside : shadowError,
                    })],
            });
        }

        return topics;
    }

    // An alias asked for twice must not share one entry object between two answers.
    private static OffsetFetchResponse.OffsetFetchResponsePartitions Copy(OffsetFetchResponse.OffsetFetchResponsePartitions p) => new()
    {
        PartitionIndex = p.PartitionIndex,
        CommittedOffset = p.CommittedOffset,
        CommittedLeaderEpoch = p.CommittedLeaderEpoch,
        Metadata = p.Metadata,
        ErrorCode = p.ErrorCode,
    };
}
