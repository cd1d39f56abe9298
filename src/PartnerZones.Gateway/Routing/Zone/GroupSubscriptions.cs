using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>
/// Which aliases the members of a partner's group consume. Members' subscriptions pass through the
/// gateway unchanged, so they name aliases: the upstream, which compares them with backing names,
/// cannot tell that a group consumes a topic (and shadow groups have no members at all). The gateway
/// reads them itself, with DescribeGroups, where Kafka's rules need them (OffsetDelete).
/// </summary>
/// <param name="ErrorCode">A coordinator error that ends the request (the client retries), or 0.</param>
/// <param name="HasMembers">Whether the group has members; a missing group has none.</param>
/// <param name="Topics">The aliases the members subscribe to, or null when that cannot be read (a
/// rebalance in progress, another protocol type, a subscription that does not parse): then every topic
/// counts as consumed, as Kafka counts it when it cannot tell.</param>
internal sealed record GroupSubscriptions(short ErrorCode, bool HasMembers, IReadOnlySet<string>? Topics)
{
    private const string ConsumerProtocol = "consumer";
    private const string Stable = "Stable";

    public bool Consumes(string alias) => HasMembers && (Topics is null || Topics.Contains(alias));

    /// <summary>Describes the upstream group <paramref name="upstreamGroup"/> over the session's link (the
    /// client sent its request to the group's coordinator).</summary>
    public static async Task<GroupSubscriptions> ReadAsync(ZoneContext context, string? clientId, string upstreamGroup, CancellationToken cancellationToken)
    {
        var version = context.Coordinators.Version(DescribeGroupsRequest.Key, DescribeGroupsRequest.HighestVersion);
        if (version < 0)
        {
            // An upstream without DescribeGroups cannot say who consumes what: assume everything is consumed.
            return new GroupSubscriptions(0, true, null);
        }

        var request = new DescribeGroupsRequest { Groups = [upstreamGroup] };
        var connection = await context.Upstream.GetAsync(cancellationToken).ConfigureAwait(false);
        // The members' metadata slices the frame: it is read before the frame goes back to the pool.
        using var frame = await connection.SendAsync(request.ApiKey, version, clientId, w => request.Write(w, version), true, cancellationToken).ConfigureAwait(false);
        return Read(UpstreamConnection.Decode<DescribeGroupsResponse>(frame!, request.ApiKey, version));
    }

    private static GroupSubscriptions Read(DescribeGroupsResponse response)
    {
        if (response.Groups is not [var group])
        {
            return new GroupSubscriptions(ErrorCodes.CoordinatorNotAvailable, false, null);
        }

        if (group.ErrorCode == ErrorCodes.GroupIdNotFound || (group.ErrorCode == 0 && group.Members.Count == 0))
        {
            return new GroupSubscriptions(0, false, new HashSet<string>());
        }

        if (group.ErrorCode != 0)
        {
            return new GroupSubscriptions(group.ErrorCode, false, null);
        }

        // Kafka sends members' metadata only for a stable group.
        if (group.ProtocolType != ConsumerProtocol || group.GroupState != Stable)
        {
            return new GroupSubscriptions(0, true, null);
        }

        var topics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in group.Members)
        {
            if (SubscribedTopics(member.MemberMetadata) is not { } subscribed)
            {
                return new GroupSubscriptions(0, true, null);
            }

            topics.UnionWith(subscribed);
        }

        return new GroupSubscriptions(0, true, topics);
    }

    /// <summary>The topics of a consumer protocol subscription (a version, then an array of topic names;
    /// never flexible), or null when the bytes are not one.</summary>
    private static List<string>? SubscribedTopics(ReadOnlyMemory<byte> metadata)
    {
        try
        {
            var reader = new KafkaReader(metadata);
            reader.ReadInt16();
            var count = reader.ReadArrayCount(compact: false, minElementSize: 2);
            var topics = new List<string>(Math.Max(count, 0));
            for (var i = 0; i < count; i++)
            {
                topics.Add(reader.ReadString(compact: false));
            }

            return topics;
        }
        catch (KafkaDecodeException)
        {
            return null;
        }
    }
}
