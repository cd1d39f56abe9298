namespace PartnerZones.EmbeddedKafka.Groups;

/// <summary>One member of a classic consumer group.</summary>
internal sealed class GroupMember(string memberId, string? groupInstanceId, string clientId, string clientHost)
{
    public string MemberId { get; } = memberId;

    public string? GroupInstanceId { get; } = groupInstanceId;

    public string ClientId { get; } = clientId;

    public string ClientHost { get; } = clientHost;

    public int SessionTimeoutMs { get; set; }

    public int RebalanceTimeoutMs { get; set; }

    public string ProtocolType { get; set; } = "";

    /// <summary>(protocol name, subscription metadata) in the member's order of preference.</summary>
    public List<(string Name, byte[] Metadata)> Protocols { get; set; } = [];

    public byte[] Assignment { get; set; } = [];

    public long LastSeen { get; set; } = Environment.TickCount64;

    /// <summary>Completed when the current rebalance's JoinGroup answer for this member is ready.</summary>
    public TaskCompletionSource<JoinResult>? PendingJoin { get; set; }

    /// <summary>Completed when the leader's assignment for this generation arrives.</summary>
    public TaskCompletionSource<SyncResult>? PendingSync { get; set; }

    public byte[]? MetadataFor(string protocol) => Protocols.FirstOrDefault(p => p.Name == protocol).Metadata;
}

/// <summary>What JoinGroup answers: the generation, the chosen protocol, the leader, and for the
/// leader only every member's subscription.</summary>
internal sealed record JoinResult(
    short ErrorCode,
    int GenerationId,
    string? ProtocolType,
    string? ProtocolName,
    string LeaderId,
    string MemberId,
    IReadOnlyList<(string MemberId, string? InstanceId, byte[] Metadata)> Members)
{
    public static JoinResult Error(short code, string memberId = "") => new(code, -1, null, null, "", memberId, []);
}

internal sealed record SyncResult(short ErrorCode, string? ProtocolType, string? ProtocolName, byte[] Assignment);
