using System.Text;
using System.Text.RegularExpressions;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.Groups;

/// <summary>
/// The consumer group protocol of KIP-848 (ConsumerGroupHeartbeat). The coordinator computes a target
/// assignment for every group epoch; each heartbeat moves its member towards its target: partitions leave a
/// member first (it confirms by no longer reporting them), and only then are they given to their new owner, so
/// two members never hold one partition. Groups live in the <see cref="GroupCoordinator"/> beside classic ones,
/// sharing the committed offsets; a group is of one type at a time.
/// </summary>
internal sealed class ConsumerProtocolCoordinator : IAsyncDisposable
{
    // Kafka evaluates subscription regexes with RE2/J, which runs in linear time; .NET's engine can backtrack,
    // so a timeout bounds what a hostile pattern costs.
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    // Error messages name no group or member: a gateway in front forwards them to partners whose group ids it
    // has namespaced, and an id in free text is one it cannot translate.

    private readonly GroupCoordinator _groups;
    private readonly ClusterState _state;
    private readonly ClusterOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _expiry;

    // consumer-groups.json in the data directory (null in memory), and what was last written to it, so an
    // unchanged state (most heartbeats) writes nothing.
    private readonly string? _snapshotPath;
    private readonly Lock _saving = new();
    private byte[] _saved = [];

    public ConsumerProtocolCoordinator(GroupCoordinator groups, ClusterState state, ClusterOptions options, string? snapshotPath = null)
    {
        _groups = groups;
        _state = state;
        _options = options;
        _snapshotPath = snapshotPath;
        if (snapshotPath is not null)
        {
            foreach (var stored in ConsumerGroupsFile.Read(snapshotPath))
            {
                var group = groups.GetOrCreate(stored.GroupId);
                lock (group)
                {
                    group.Modern = ConsumerProtocolSnapshot.Restore(stored);
                    group.ProtocolType = "consumer";
                }
            }
        }

        _expiry = Task.Run(ExpireMembersAsync);
    }

    public int HeartbeatIntervalMs => _options.ConsumerGroupHeartbeatIntervalMs;

    public ConsumerHeartbeatResult Heartbeat(ConsumerHeartbeat request)
    {
        var result = HeartbeatLocked(request);
        Save();
        return result;
    }

    private ConsumerHeartbeatResult HeartbeatLocked(ConsumerHeartbeat request)
    {
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        var joining = request.MemberEpoch == 0;
        var group = joining ? _groups.GetOrCreate(request.GroupId) : _groups.Find(request.GroupId);
        if (group is null)
        {
            return ConsumerHeartbeatResult.Error(ErrorCodes.GroupIdNotFound, "The group does not exist.");
        }

        lock (group)
        {
            if (group.Phase == GroupPhase.Dead)
            {
                return ConsumerHeartbeatResult.Error(ErrorCodes.CoordinatorNotAvailable, "The group is being deleted; retry.");
            }

            if (group.Modern is null)
            {
                if (group.Members.Count > 0 || !joining)
                {
                    // Kafka converts a non-empty classic group only under its online migration rules; this cluster
                    // does not, and answers as Kafka does for a group it cannot convert. Only a member joining
                    // converts an empty one: a stray heartbeat or leave must not change the group's type.
                    return ConsumerHeartbeatResult.Error(ErrorCodes.GroupIdNotFound, "The group is not a consumer group.");
                }

                // An empty classic group (offsets only) becomes a consumer group and keeps its offsets.
                group.Modern = new ConsumerProtocolState();
                group.ProtocolType = "consumer";
            }

            var state = group.Modern;
            return request.MemberEpoch switch
            {
                -1 or -2 => Leave(state, request),
                0 => Join(state, request),
                _ => Continue(state, request),
            };
        }
    }

    /// <summary>
    /// Checks a commit or fetch from a member of a consumer group (OffsetCommit v9+, OffsetFetch v9+). A newer
    /// epoch than the coordinator gave can only come from a fenced member. An older one is stale, except for
    /// partitions the member has held without a break since that epoch: a member commits from its own thread
    /// while heartbeats move its epoch on, and a bump that only added partitions must not refuse its commits.
    /// </summary>
    public static short ValidateMemberEpoch(ConsumerProtocolState state, string memberId, int memberEpoch, IReadOnlyCollection<TopicPartitionId> partitions)
    {
        if (!state.Members.TryGetValue(memberId, out var member))
        {
            return ErrorCodes.UnknownMemberId;
        }

        if (memberEpoch > member.MemberEpoch)
        {
            return ErrorCodes.FencedMemberEpoch;
        }

        if (memberEpoch == member.MemberEpoch)
        {
            return ErrorCodes.None;
        }

        var heldSince = partitions.Count > 0 && partitions.All(p =>
            member.Assigned.Contains(p) && member.AssignedSince.TryGetValue(p, out var since) && since <= memberEpoch);
        return heldSince ? ErrorCodes.None : ErrorCodes.StaleMemberEpoch;
    }

    private static ConsumerHeartbeatResult? Validate(ConsumerHeartbeat request)
    {
        if (request.GroupId.Length == 0)
        {
            return ConsumerHeartbeatResult.Error(ErrorCodes.InvalidRequest, "GroupId can't be empty.");
        }

        if (request.MemberEpoch < -2)
        {
            return ConsumerHeartbeatResult.Error(ErrorCodes.InvalidRequest, $"MemberEpoch {request.MemberEpoch} is invalid.");
        }

        if (request.MemberId.Length == 0 && (request.MemberEpoch != 0 || request.ClientGeneratesMemberId))
        {
            return ConsumerHeartbeatResult.Error(ErrorCodes.InvalidRequest, "MemberId can't be empty.");
        }

        if (request.MemberEpoch == 0 && request.SubscribedTopicNames is null && request.SubscribedTopicRegex is null)
        {
            return ConsumerHeartbeatResult.Error(ErrorCodes.InvalidRequest, "SubscribedTopicNames or SubscribedTopicRegex must be set in the first request.");
        }

        if (request.ServerAssignor is { } assignor && PartitionAssignors.Find(assignor) is null)
        {
            return ConsumerHeartbeatResult.Error(ErrorCodes.UnsupportedAssignor,
                $"ServerAssignor {assignor} is not supported; use one of {string.Join(", ", PartitionAssignors.All.Select(a => a.Name))}.");
        }

        if (request.SubscribedTopicRegex is { Length: > 0 } pattern && Compile(pattern) is null)
        {
            return ConsumerHeartbeatResult.Error(ErrorCodes.InvalidRegularExpression, $"SubscribedTopicRegex {pattern} is not a valid regular expression.");
        }

        return null;
    }

    private ConsumerHeartbeatResult Join(ConsumerProtocolState state, ConsumerHeartbeat request)
    {
        var memberId = request.MemberId.Length > 0 ? request.MemberId : Guid.NewGuid().ToString();
        ConsumerProtocolMember member;
        if (request.InstanceId is { } instanceId && state.FindByInstanceId(instanceId) is { } previous && previous.MemberId != memberId)
        {
            if (!previous.AwayTemporarily)
            {
                return ConsumerHeartbeatResult.Error(ErrorCodes.UnreleasedInstanceId,
                    "The static member's instance id is still in use by another member; that member must leave first.");
            }

            // The instance comes back under a new member id and takes its old place, epoch and partitions,
            // so a static member's restart costs no rebalance.
            state.Members.Remove(previous.MemberId);
            member = new ConsumerProtocolMember(memberId)
            {
                MemberEpoch = previous.MemberEpoch,
                Assigned = previous.Assigned,
                AssignedSince = previous.AssignedSince,
                Revoking = previous.Revoking,
                RevokingSince = previous.RevokingSince,
                SubscribedTopicNames = previous.SubscribedTopicNames,
                SubscribedTopicRegex = previous.SubscribedTopicRegex,
                ServerAssignor = previous.ServerAssignor,
                RebalanceTimeoutMs = previous.RebalanceTimeoutMs,
            };
            if (state.Target.Remove(previous.MemberId, out var target))
            {
                state.Target[memberId] = target;
            }

            state.Members[memberId] = member;
        }
        else if (state.Members.TryGetValue(memberId, out var known))
        {
            // A member that rejoins with epoch 0 (after being fenced) has dropped its partitions.
            member = known;
            member.Assigned = [];
            member.AssignedSince = [];
            member.Revoking = [];
            member.MemberEpoch = 0;
        }
        else
        {
            member = new ConsumerProtocolMember(memberId);
            state.Members[memberId] = member;
            state.GroupEpoch++;
        }

        return Continue(state, request, member);
    }

    private ConsumerHeartbeatResult Continue(ConsumerProtocolState state, ConsumerHeartbeat request)
    {
        if (!state.Members.TryGetValue(request.MemberId, out var member))
        {
            return ConsumerHeartbeatResult.Error(ErrorCodes.UnknownMemberId, "The member id is not a member of the group.");
        }

        var owned = request.OwnedPartitions;
        var acceptable = request.MemberEpoch == member.MemberEpoch
            || (request.MemberEpoch == member.PreviousMemberEpoch && (owned is null || owned.All(member.Assigned.Contains)));
        if (!acceptable)
        {
            return ConsumerHeartbeatResult.Error(ErrorCodes.FencedMemberEpoch,
                $"Member epoch {request.MemberEpoch} is fenced; the member's epoch is {member.MemberEpoch}. Rejoin with epoch 0.");
        }

        return Continue(state, request, member);
    }

    private ConsumerHeartbeatResult Continue(ConsumerProtocolState state, ConsumerHeartbeat request, ConsumerProtocolMember member)
    {
        var now = Environment.TickCount64;
        member.LastSeen = now;
        member.AwayTemporarily = false;
        member.ClientId = request.ClientId;
        member.ClientHost = request.ClientHost;
        member.InstanceId = request.InstanceId ?? member.InstanceId;
        member.RackId = request.RackId ?? member.RackId;
        if (request.RebalanceTimeoutMs >= 0)
        {
            member.RebalanceTimeoutMs = request.RebalanceTimeoutMs;
        }

        if (request.SubscribedTopicNames is { } names && !names.SequenceEqual(member.SubscribedTopicNames))
        {
            member.SubscribedTopicNames = [.. names];
            state.GroupEpoch++;
        }

        if (request.SubscribedTopicRegex is { } regex && regex != (member.SubscribedTopicRegex ?? ""))
        {
            member.SubscribedTopicRegex = regex.Length == 0 ? null : regex;
            state.GroupEpoch++;
        }

        if (request.ServerAssignor is { } assignor && assignor != member.ServerAssignor)
        {
            member.ServerAssignor = assignor;
            state.GroupEpoch++;
        }

        if (request.OwnedPartitions is { } owned)
        {
            // What the member no longer reports, it has given up: those partitions are free for their new owners.
            member.Revoking.RemoveWhere(p => !owned.Contains(p));
        }

        RefreshTarget(state);
        Reconcile(state, member, now);
        return new ConsumerHeartbeatResult(ErrorCodes.None, null, member.MemberId, member.MemberEpoch, [.. member.Assigned]);
    }

    private static ConsumerHeartbeatResult Leave(ConsumerProtocolState state, ConsumerHeartbeat request)
    {
        var member = state.Members.GetValueOrDefault(request.MemberId)
            ?? (request.InstanceId is { } instanceId ? state.FindByInstanceId(instanceId) : null);
        if (member is null)
        {
            return ConsumerHeartbeatResult.Error(ErrorCodes.UnknownMemberId, "The member id is not a member of the group.");
        }

        if (request.MemberEpoch == -2 && member.InstanceId is not null)
        {
            // A static member leaving for a moment keeps its partitions (nobody else gets them) until its session ends.
            member.AwayTemporarily = true;
            return new ConsumerHeartbeatResult(ErrorCodes.None, null, member.MemberId, -2, null);
        }

        Remove(state, member);
        return new ConsumerHeartbeatResult(ErrorCodes.None, null, member.MemberId, -1, null);
    }

    private static void Remove(ConsumerProtocolState state, ConsumerProtocolMember member)
    {
        state.Members.Remove(member.MemberId);
        state.Target.Remove(member.MemberId);
        state.GroupEpoch++;
    }

    /// <summary>Bumps the group epoch when the subscribed topics changed (a topic created that a regex matches, one
    /// deleted, partitions added), and computes the target assignment when the group epoch moved past it.</summary>
    private void RefreshTarget(ConsumerProtocolState state)
    {
        var topics = _state.All();
        var subscriptions = new List<(string MemberId, IReadOnlyList<TopicState> Topics)>();
        var parts = new List<string>();
        foreach (var member in state.Members.Values.OrderBy(m => m.MemberId, StringComparer.Ordinal))
        {
            var subscribed = Subscribed(member, topics);
            subscriptions.Add((member.MemberId, subscribed));

            // A static member is named by its instance, so coming back under a new member id changes nothing.
            var part = new StringBuilder().Append(member.InstanceId ?? member.MemberId).Append(':');
            foreach (var topic in subscribed)
            {
                part.Append(topic.Id).Append('/').Append(topic.Partitions.Count).Append(',');
            }

            parts.Add(part.ToString());
        }

        parts.Sort(StringComparer.Ordinal);
        var print = string.Join(';', parts);
        if (print != state.SubscribedTopicsFingerprint)
        {
            state.SubscribedTopicsFingerprint = print;
            state.GroupEpoch++;
        }

        if (state.AssignmentEpoch >= state.GroupEpoch)
        {
            return;
        }

        // The assignor most members ask for, as Kafka picks it; the default when nobody asks.
        var chosen = state.Members.Values.Where(m => m.ServerAssignor is not null)
            .GroupBy(m => m.ServerAssignor!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault() ?? UniformAssignor.AssignorName;
        var assignor = PartitionAssignors.Find(chosen) ?? PartitionAssignors.All[0];
        state.AssignorName = assignor.Name;
        state.Target = assignor.Assign(subscriptions, state.Target);
        state.AssignmentEpoch = state.GroupEpoch;
    }

    private static List<TopicState> Subscribed(ConsumerProtocolMember member, List<TopicState> topics)
    {
        var regex = member.SubscribedTopicRegex is { } pattern ? Compile(pattern) : null;
        var result = new List<TopicState>();
        foreach (var topic in topics)
        {
            if (member.SubscribedTopicNames.Contains(topic.Name) || (regex is not null && !topic.IsInternal && Matches(regex, topic.Name)))
            {
                result.Add(topic);
            }
        }

        return result;
    }

    /// <summary>Moves the member one step towards its target: first it gives up what it must lose (keeping its
    /// epoch until it confirms), then it reaches the target epoch and gets each new partition once nobody else
    /// holds it any more.</summary>
    private static void Reconcile(ConsumerProtocolState state, ConsumerProtocolMember member, long now)
    {
        if (member.Revoking.Count > 0)
        {
            return;
        }

        var target = state.Target.GetValueOrDefault(member.MemberId) ?? [];
        if (member.MemberEpoch != state.AssignmentEpoch)
        {
            var lose = member.Assigned.Where(p => !target.Contains(p)).ToHashSet();
            if (lose.Count > 0)
            {
                member.Assigned.ExceptWith(lose);
                member.Revoking = lose;
                member.RevokingSince = now;
                return;
            }

            member.PreviousMemberEpoch = member.MemberEpoch;
            member.MemberEpoch = state.AssignmentEpoch;
        }

        foreach (var partition in target)
        {
            if (!member.Assigned.Contains(partition) && !state.HeldByOther(partition, member))
            {
                member.Assigned.Add(partition);
                member.AssignedSince[partition] = member.MemberEpoch;
            }
        }
    }

    /// <summary>Compiles a subscription regex, anchored at both ends: like Kafka, a topic matches only when the
    /// whole name matches. Null when the pattern is not valid.</summary>
    private static Regex? Compile(string pattern)
    {
        try
        {
            return new Regex($"\\A(?:{pattern})\\z", RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool Matches(Regex regex, string name)
    {
        try
        {
            return regex.IsMatch(name);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>Members silent for longer than the session timeout leave the group, and a member that keeps
    /// partitions it was asked to give up past its rebalance timeout is removed, freeing them for their new owners.</summary>
    private async Task ExpireMembersAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(200, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var now = Environment.TickCount64;
            foreach (var group in _groups.All())
            {
                lock (group)
                {
                    if (group.Modern is not { } state)
                    {
                        continue;
                    }

                    foreach (var member in state.Members.Values.ToList())
                    {
                        var silent = now - member.LastSeen > _options.ConsumerGroupSessionTimeoutMs;
                        var stuck = member.Revoking.Count > 0 && now - member.RevokingSince > member.RebalanceTimeoutMs;
                        if (silent || stuck)
                        {
                            Remove(state, member);
                        }
                    }
                }
            }

            Save();
        }
    }

    /// <summary>Writes every consumer-protocol group to the data directory when anything changed. Called with no
    /// group locked: it locks each group in turn, so it never waits on one group while holding another.</summary>
    private void Save()
    {
        if (_snapshotPath is null)
        {
            return;
        }

        lock (_saving)
        {
            var stored = new List<StoredConsumerGroup>();
            foreach (var group in _groups.All().OrderBy(g => g.GroupId, StringComparer.Ordinal))
            {
                lock (group)
                {
                    if (group.Modern is { } state && group.Phase != GroupPhase.Dead)
                    {
                        stored.Add(ConsumerProtocolSnapshot.ToStored(group.GroupId, state));
                    }
                }
            }

            var bytes = ConsumerGroupsFile.Serialize(stored);
            if (!bytes.AsSpan().SequenceEqual(_saved))
            {
                AtomicFile.Write(_snapshotPath, bytes);
                _saved = bytes;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _expiry.ConfigureAwait(false);
        _stop.Dispose();
    }
}
