using PartnerZones.EmbeddedKafka.State;
using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.Groups;

/// <summary>
/// The classic consumer group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) and committed
/// offsets for every group of the cluster. Kafka spreads groups over coordinator nodes; the node that
/// coordinates a group is chosen by <see cref="CoordinatorFor"/>, and only it accepts the group's requests.
/// </summary>
internal sealed class GroupCoordinator : IAsyncDisposable
{
    public const int MinSessionTimeoutMs = 6_000;
    public const int MaxSessionTimeoutMs = 1_800_000;

    private readonly Dictionary<string, ConsumerGroup> _groups = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _expiry;
    private readonly int _nodeCount;
    private readonly int _initialRebalanceDelayMs;

    // Where committed offsets persist (data directory only). Groups found in it are created at start-up,
    // empty, with their offsets, as Kafka's coordinator loads them from __consumer_offsets.
    private readonly OffsetJournal? _journal;

    public GroupCoordinator(int nodeCount, int initialRebalanceDelayMs, OffsetJournal? journal = null)
    {
        _nodeCount = nodeCount;
        _initialRebalanceDelayMs = initialRebalanceDelayMs;
        _journal = journal;
        if (journal is not null)
        {
            foreach (var (groupId, offsets) in journal.Snapshot())
            {
                var group = GetOrCreate(groupId);
                lock (group)
                {
                    foreach (var (key, offset) in offsets)
                    {
                        group.Offsets.Restore(key, offset);
                    }
                }
            }
        }

        _expiry = Task.Run(ExpireMembersAsync);
    }

    /// <summary>The node that coordinates <paramref name="key"/> (a group or transactional id).</summary>
    public int CoordinatorFor(string key) => (int)((uint)StableHash(key) % (uint)_nodeCount);

    public ConsumerGroup? Find(string groupId)
    {
        lock (_groups)
        {
            return _groups.GetValueOrDefault(groupId);
        }
    }

    public ConsumerGroup GetOrCreate(string groupId)
    {
        lock (_groups)
        {
            if (!_groups.TryGetValue(groupId, out var group))
            {
                group = new ConsumerGroup(groupId, _journal);
                _groups[groupId] = group;
            }

            return group;
        }
    }

    public List<ConsumerGroup> All()
    {
        lock (_groups)
        {
            return [.. _groups.Values];
        }
    }

    /// <summary>Removes an empty group and its offsets; returns the Kafka error code.</summary>
    public short Delete(string groupId)
    {
        lock (_groups)
        {
            if (!_groups.TryGetValue(groupId, out var group))
            {
                return ErrorCodes.GroupIdNotFound;
            }

            lock (group)
            {
                if (group.MemberCount > 0)
                {
                    return ErrorCodes.NonEmptyGroup;
                }

                group.Phase = GroupPhase.Dead;
                _groups.Remove(groupId);
                _journal?.RemoveGroup(groupId);
                return ErrorCodes.None;
            }
        }
    }

    public Task<JoinResult> JoinAsync(JoinRequest request)
    {
        if (request.SessionTimeoutMs < MinSessionTimeoutMs || request.SessionTimeoutMs > MaxSessionTimeoutMs)
        {
            return Task.FromResult(JoinResult.Error(ErrorCodes.InvalidSessionTimeout, request.MemberId));
        }

        // A member id names a member of an existing group: asking with one never creates a group.
        var group = request.MemberId.Length > 0 ? Find(request.GroupId) : GetOrCreate(request.GroupId);
        if (group is null)
        {
            return Task.FromResult(JoinResult.Error(ErrorCodes.UnknownMemberId, request.MemberId));
        }

        lock (group)
        {
            if (group.Phase == GroupPhase.Dead)
            {
                return Task.FromResult(JoinResult.Error(ErrorCodes.CoordinatorNotAvailable, request.MemberId));
            }

            if (group.Modern is { } modern)
            {
                // A consumer-protocol group with members takes no classic members (Kafka's mixed groups are not
                // served here); an empty one becomes classic again and keeps its offsets.
                if (modern.Members.Count > 0)
                {
                    return Task.FromResult(JoinResult.Error(ErrorCodes.InconsistentGroupProtocol, request.MemberId));
                }

                group.Modern = null;
            }

            if (request.Protocols.Count == 0 || (group.Members.Count > 0 && group.ProtocolType != request.ProtocolType)
                || (group.Members.Count > 0 && !request.Protocols.Any(p => group.Members.Values.All(m => m.Protocols.Any(q => q.Name == p.Name)))))
            {
                return Task.FromResult(JoinResult.Error(ErrorCodes.InconsistentGroupProtocol, request.MemberId));
            }

            GroupMember member;
            if (request.MemberId.Length == 0)
            {
                var newId = $"{request.ClientId}-{Guid.NewGuid()}";
                if (request.GroupInstanceId is { } instanceId && group.FindByInstanceId(instanceId) is { } existing)
                {
                    // Static membership: the instance takes over its old slot under a new member id,
                    // keeping its assignment; the old id is fenced from now on.
                    group.Members.Remove(existing.MemberId);
                    member = new GroupMember(newId, instanceId, request.ClientId, request.ClientHost) { Assignment = existing.Assignment };
                    if (group.LeaderId == existing.MemberId)
                    {
                        group.LeaderId = newId;
                    }
                }
                else if (request.GroupInstanceId is null && request.RequireKnownMemberId)
                {
                    group.PendingMemberIds.Add(newId);
                    return Task.FromResult(JoinResult.Error(ErrorCodes.MemberIdRequired, newId));
                }
                else
                {
                    member = new GroupMember(newId, request.GroupInstanceId, request.ClientId, request.ClientHost);
                }

                group.Members[newId] = member;
            }
            else if (group.Members.TryGetValue(request.MemberId, out var known))
            {
                if (request.GroupInstanceId is not null && known.GroupInstanceId != request.GroupInstanceId)
                {
                    return Task.FromResult(JoinResult.Error(ErrorCodes.FencedInstanceId, request.MemberId));
                }

                member = known;
            }
            else if (group.PendingMemberIds.Remove(request.MemberId))
            {
                member = new GroupMember(request.MemberId, request.GroupInstanceId, request.ClientId, request.ClientHost);
                group.Members[request.MemberId] = member;
            }
            else
            {
                return Task.FromResult(JoinResult.Error(
                    request.GroupInstanceId is not null && group.FindByInstanceId(request.GroupInstanceId) is not null
                        ? ErrorCodes.FencedInstanceId
                        : ErrorCodes.UnknownMemberId,
                    request.MemberId));
            }

            member.SessionTimeoutMs = request.SessionTimeoutMs;
            member.RebalanceTimeoutMs = request.RebalanceTimeoutMs;
            member.ProtocolType = request.ProtocolType;
            member.Protocols = request.Protocols;
            member.LastSeen = Environment.TickCount64;
            member.PendingJoin?.TrySetResult(JoinResult.Error(ErrorCodes.UnknownMemberId, member.MemberId));
            member.PendingJoin = new TaskCompletionSource<JoinResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            var pending = member.PendingJoin.Task;
            if (group.Members.Count == 1 && group.Phase == GroupPhase.Empty)
            {
                group.ProtocolType = request.ProtocolType;
            }

            PrepareRebalance(group);
            TryCompleteJoin(group, force: false);
            return pending;
        }
    }

    public Task<SyncResult> SyncAsync(string groupId, int generationId, string memberId, IReadOnlyDictionary<string, byte[]> assignments)
    {
        var group = Find(groupId);
        if (group is null)
        {
            return Task.FromResult(new SyncResult(ErrorCodes.UnknownMemberId, null, null, []));
        }

        lock (group)
        {
            if (!group.Members.TryGetValue(memberId, out var member))
            {
                return Task.FromResult(new SyncResult(ErrorCodes.UnknownMemberId, null, null, []));
            }

            if (generationId != group.GenerationId)
            {
                return Task.FromResult(new SyncResult(ErrorCodes.IllegalGeneration, null, null, []));
            }

            member.LastSeen = Environment.TickCount64;
            switch (group.Phase)
            {
                case GroupPhase.PreparingRebalance:
                    return Task.FromResult(new SyncResult(ErrorCodes.RebalanceInProgress, null, null, []));
                case GroupPhase.Stable:
                    return Task.FromResult(new SyncResult(ErrorCodes.None, group.ProtocolType, group.ProtocolName, member.Assignment));
                case GroupPhase.CompletingRebalance:
                    member.PendingSync?.TrySetResult(new SyncResult(ErrorCodes.RebalanceInProgress, null, null, []));
                    member.PendingSync = new TaskCompletionSource<SyncResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                    var pending = member.PendingSync.Task;
                    if (memberId == group.LeaderId)
                    {
                        foreach (var m in group.Members.Values)
                        {
                            m.Assignment = assignments.GetValueOrDefault(m.MemberId) ?? [];
                        }

                        group.Phase = GroupPhase.Stable;
                        foreach (var m in group.Members.Values)
                        {
                            m.PendingSync?.TrySetResult(new SyncResult(ErrorCodes.None, group.ProtocolType, group.ProtocolName, m.Assignment));
                            m.PendingSync = null;
                        }
                    }

                    return pending;
                default:
                    return Task.FromResult(new SyncResult(ErrorCodes.UnknownMemberId, null, null, []));
            }
        }
    }

    public short Heartbeat(string groupId, int generationId, string memberId)
    {
        var group = Find(groupId);
        if (group is null)
        {
            return ErrorCodes.UnknownMemberId;
        }

        lock (group)
        {
            if (!group.Members.TryGetValue(memberId, out var member))
            {
                return ErrorCodes.UnknownMemberId;
            }

            member.LastSeen = Environment.TickCount64;
            if (group.Phase == GroupPhase.PreparingRebalance)
            {
                return ErrorCodes.RebalanceInProgress;
            }

            return generationId != group.GenerationId ? ErrorCodes.IllegalGeneration : ErrorCodes.None;
        }
    }

    /// <summary>Removes members by member id or, for static members, by instance id.</summary>
    public short Leave(string groupId, string? memberId, string? groupInstanceId)
    {
        var group = Find(groupId);
        if (group is null)
        {
            return ErrorCodes.UnknownMemberId;
        }

        lock (group)
        {
            var member = groupInstanceId is not null
                ? group.FindByInstanceId(groupInstanceId)
                : memberId is not null ? group.Members.GetValueOrDefault(memberId) : null;
            if (member is null)
            {
                return ErrorCodes.UnknownMemberId;
            }

            if (groupInstanceId is not null && memberId is { Length: > 0 } && member.MemberId != memberId)
            {
                return ErrorCodes.FencedInstanceId;
            }

            RemoveMember(group, member);
            return ErrorCodes.None;
        }
    }

    /// <summary>Checks that a commit comes from a current member (or from outside any group generation). A member
    /// of a consumer-protocol group commits with its member epoch, which only OffsetCommit v9+ carries.</summary>
    public short ValidateCommit(ConsumerGroup group, int generationId, string memberId, bool carriesMemberEpoch, IReadOnlyCollection<TopicPartitionId> partitions)
    {
        lock (group)
        {
            if (group.Modern is { } modern && (generationId >= 0 || memberId.Length > 0))
            {
                return carriesMemberEpoch
                    ? ConsumerProtocolCoordinator.ValidateMemberEpoch(modern, memberId, generationId, partitions)
                    : ErrorCodes.UnsupportedVersion;
            }

            if (generationId < 0 && memberId.Length == 0)
            {
                // A standalone consumer (assign, not subscribe) commits without a generation.
                return group.MemberCount == 0 ? ErrorCodes.None : ErrorCodes.UnknownMemberId;
            }

            if (!group.Members.ContainsKey(memberId))
            {
                return ErrorCodes.UnknownMemberId;
            }

            if (generationId != group.GenerationId)
            {
                return ErrorCodes.IllegalGeneration;
            }

            // Kafka keeps accepting the current generation's commits while members rejoin, and refuses
            // them only between the join and the new assignment.
            return group.Phase == GroupPhase.CompletingRebalance ? ErrorCodes.RebalanceInProgress : ErrorCodes.None;
        }
    }

    private void RemoveMember(ConsumerGroup group, GroupMember member)
    {
        group.Members.Remove(member.MemberId);
        member.PendingJoin?.TrySetResult(JoinResult.Error(ErrorCodes.UnknownMemberId, member.MemberId));
        member.PendingSync?.TrySetResult(new SyncResult(ErrorCodes.UnknownMemberId, null, null, []));
        if (group.LeaderId == member.MemberId)
        {
            group.LeaderId = null;
        }

        if (group.Members.Count == 0)
        {
            group.Phase = GroupPhase.Empty;
            group.GenerationId++;
            group.ProtocolName = null;
            return;
        }

        PrepareRebalance(group);
        TryCompleteJoin(group, force: false);
    }

    private void PrepareRebalance(ConsumerGroup group)
    {
        if (group.Phase != GroupPhase.PreparingRebalance)
        {
            group.RebalanceFromEmpty = group.Phase == GroupPhase.Empty;
            group.RebalanceStartedAt = Environment.TickCount64;
            group.Phase = GroupPhase.PreparingRebalance;
            foreach (var m in group.Members.Values)
            {
                m.PendingSync?.TrySetResult(new SyncResult(ErrorCodes.RebalanceInProgress, null, null, []));
                m.PendingSync = null;
            }
        }

        if (!group.RebalanceTimerRunning)
        {
            group.RebalanceTimerRunning = true;
            _ = Task.Run(() => DriveRebalanceAsync(group));
        }
    }

    /// <summary>Completes the rebalance once every member has rejoined (after the initial delay for a
    /// group that was empty), or when the longest rebalance timeout runs out, dropping stragglers.</summary>
    private async Task DriveRebalanceAsync(ConsumerGroup group)
    {
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(20).ConfigureAwait(false);
            lock (group)
            {
                if (group.Phase != GroupPhase.PreparingRebalance)
                {
                    group.RebalanceTimerRunning = false;
                    return;
                }

                var timeout = group.Members.Count == 0 ? 0 : group.Members.Values.Max(m => m.RebalanceTimeoutMs);
                var expired = Environment.TickCount64 - group.RebalanceStartedAt >= timeout;
                if (TryCompleteJoin(group, force: expired))
                {
                    group.RebalanceTimerRunning = false;
                    return;
                }
            }
        }
    }

    private bool TryCompleteJoin(ConsumerGroup group, bool force)
    {
        if (group.Phase != GroupPhase.PreparingRebalance)
        {
            return true;
        }

        var waitingForInitialDelay = group.RebalanceFromEmpty
            && Environment.TickCount64 - group.RebalanceStartedAt < _initialRebalanceDelayMs;
        var allJoined = group.Members.Values.All(m => m.PendingJoin is not null);
        if (!force && (!allJoined || waitingForInitialDelay))
        {
            return false;
        }

        foreach (var straggler in group.Members.Values.Where(m => m.PendingJoin is null).ToList())
        {
            group.Members.Remove(straggler.MemberId);
        }

        group.GenerationId++;
        if (group.Members.Count == 0)
        {
            group.Phase = GroupPhase.Empty;
            return true;
        }

        group.ProtocolName = group.SelectProtocol();
        if (group.LeaderId is null || !group.Members.ContainsKey(group.LeaderId))
        {
            group.LeaderId = group.Members.Keys.First();
        }

        group.Phase = GroupPhase.CompletingRebalance;
        var everyone = group.Members.Values
            .Select(m => (m.MemberId, m.GroupInstanceId, m.MetadataFor(group.ProtocolName!) ?? []))
            .ToList();
        foreach (var m in group.Members.Values)
        {
            var isLeader = m.MemberId == group.LeaderId;
            m.PendingJoin!.TrySetResult(new JoinResult(
                ErrorCodes.None, group.GenerationId, group.ProtocolType, group.ProtocolName, group.LeaderId, m.MemberId,
                isLeader ? everyone : []));
            m.PendingJoin = null;
            m.LastSeen = Environment.TickCount64;
        }

        return true;
    }

    /// <summary>Members whose session timed out without a heartbeat leave the group.</summary>
    private async Task ExpireMembersAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(250, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var now = Environment.TickCount64;
            foreach (var group in All())
            {
                lock (group)
                {
                    foreach (var member in group.Members.Values.ToList())
                    {
                        if (member.PendingJoin is null && now - member.LastSeen > member.SessionTimeoutMs)
                        {
                            RemoveMember(group, member);
                        }
                    }
                }
            }
        }
    }

    private static int StableHash(string text)
    {
        // string.GetHashCode is randomised per process; coordinators must not move between runs.
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash & int.MaxValue;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _expiry.ConfigureAwait(false);
        _stop.Dispose();
    }
}

/// <summary>The fields of a JoinGroup request the coordinator needs, independent of the wire version.</summary>
internal sealed record JoinRequest(
    string GroupId,
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string ProtocolType,
    List<(string Name, byte[] Metadata)> Protocols,
    bool RequireKnownMemberId);
