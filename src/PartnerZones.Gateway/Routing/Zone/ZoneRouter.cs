using System.Text.RegularExpressions;
using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Gateway.Security;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

/// <summary>
/// Serves a partner principal: every request is decoded, checked against the zone, rewritten to the
/// backing cluster's names (aliases to backing topics, group and transactional ids prefixed) and sent
/// upstream; every response is rewritten back. Anything outside the zone does not exist for the
/// partner. One partial file per API family.
/// </summary>
internal sealed partial class ZoneRouter(GatewayRuntime runtime, UpstreamLink upstream, Principal principal) : IRequestRouter, IAsyncDisposable
{
    // Kafka error codes the gateway produces itself.
    private const short UnknownTopicOrPartition = 3;
    private const short TopicAuthorizationFailed = 29;
    private const short GroupAuthorizationFailed = 30;
    private const short ClusterAuthorizationFailed = 31;
    private const short TransactionalIdAuthorizationFailed = 53;
    private const short UnknownTopicId = 100;
    private const short InvalidRequest = 42;

    /// <summary>Exactly what ApiVersions offers this principal: the zone's caps intersected with the codecs
    /// and the upstream. Checking the caps alone would still answer an API the upstream lacks (the ACL and
    /// config refusals are answered here), so a client could use what it was never offered.</summary>
    private readonly Dictionary<short, (short Min, short Max)> _offered =
        runtime.Apis.Offered(ZoneApis.Cap).ToDictionary(a => a.Key, a => (a.Min, a.Max));

    /// <summary>Links to the coordinators of shadow groups (per-alias offsets), closed with the session.</summary>
    private readonly CoordinatorLinks _coordinators = new(runtime, upstream);

    private ZonePolicy Zone => principal.Zone!;

    public ValueTask DisposeAsync() => _coordinators.DisposeAsync();

    public Task<OutgoingFrame?> RouteAsync(RequestHeader header, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!_offered.TryGetValue(header.ApiKey, out var range) || header.ApiVersion < range.Min || header.ApiVersion > range.Max
            || ApiMessages.Find(header.ApiKey) is not { } api || !api.Supports(header.ApiVersion))
        {
            throw new UnsupportedRequestException(header.ApiKey, header.ApiVersion, _offered.TryGetValue(header.ApiKey, out var served) ? $"v{served.Min}-{served.Max}" : "not at all");
        }

        var v = header.ApiVersion;
        return header.ApiKey switch
        {
            MetadataRequest.Key => MetadataAsync(header, MessageCodec.Decode<MetadataRequest>(body, v), cancellationToken),
            ProduceRequest.Key => ProduceAsync(header, MessageCodec.Decode<ProduceRequest>(body, v), cancellationToken),
            FetchRequest.Key => FetchAsync(header, MessageCodec.Decode<FetchRequest>(body, v), cancellationToken),
            ListOffsetsRequest.Key => ListOffsetsAsync(header, MessageCodec.Decode<ListOffsetsRequest>(body, v), cancellationToken),
            OffsetForLeaderEpochRequest.Key => OffsetForLeaderEpochAsync(header, MessageCodec.Decode<OffsetForLeaderEpochRequest>(body, v), cancellationToken),
            FindCoordinatorRequest.Key => FindCoordinatorAsync(header, MessageCodec.Decode<FindCoordinatorRequest>(body, v), cancellationToken),
            JoinGroupRequest.Key => JoinGroupAsync(header, MessageCodec.Decode<JoinGroupRequest>(body, v), cancellationToken),
            SyncGroupRequest.Key => SyncGroupAsync(header, MessageCodec.Decode<SyncGroupRequest>(body, v), cancellationToken),
            HeartbeatRequest.Key => HeartbeatAsync(header, MessageCodec.Decode<HeartbeatRequest>(body, v), cancellationToken),
            LeaveGroupRequest.Key => LeaveGroupAsync(header, MessageCodec.Decode<LeaveGroupRequest>(body, v), cancellationToken),
            DescribeGroupsRequest.Key => DescribeGroupsAsync(header, MessageCodec.Decode<DescribeGroupsRequest>(body, v), cancellationToken),
            ListGroupsRequest.Key => ListGroupsAsync(header, MessageCodec.Decode<ListGroupsRequest>(body, v), cancellationToken),
            DeleteGroupsRequest.Key => DeleteGroupsAsync(header, MessageCodec.Decode<DeleteGroupsRequest>(body, v), cancellationToken),
            OffsetCommitRequest.Key => OffsetCommitAsync(header, MessageCodec.Decode<OffsetCommitRequest>(body, v), cancellationToken),
            OffsetFetchRequest.Key => OffsetFetchAsync(header, MessageCodec.Decode<OffsetFetchRequest>(body, v), cancellationToken),
            InitProducerIdRequest.Key => InitProducerIdAsync(header, MessageCodec.Decode<InitProducerIdRequest>(body, v), cancellationToken),
            AddPartitionsToTxnRequest.Key => AddPartitionsToTxnAsync(header, MessageCodec.Decode<AddPartitionsToTxnRequest>(body, v), cancellationToken),
            AddOffsetsToTxnRequest.Key => AddOffsetsToTxnAsync(header, MessageCodec.Decode<AddOffsetsToTxnRequest>(body, v), cancellationToken),
            EndTxnRequest.Key => EndTxnAsync(header, MessageCodec.Decode<EndTxnRequest>(body, v), cancellationToken),
            TxnOffsetCommitRequest.Key => TxnOffsetCommitAsync(header, MessageCodec.Decode<TxnOffsetCommitRequest>(body, v), cancellationToken),
            DescribeClusterRequest.Key => DescribeClusterAsync(header, MessageCodec.Decode<DescribeClusterRequest>(body, v), cancellationToken),
            _ => Task.FromResult<OutgoingFrame?>(Refuse(header, body)),
        };
    }

    /// <summary>Sends a typed request upstream and returns the decoded response. The response's byte
    /// fields are slices of <paramref name="frame"/>, which the caller disposes after re-encoding.</summary>
    private async Task<(TResponse Response, KafkaFrame Frame)> SendAsync<TResponse>(RequestHeader header, IKafkaRequest request, CancellationToken cancellationToken)
        where TResponse : IKafkaResponse, new()
    {
        var connection = await upstream.GetAsync(cancellationToken).ConfigureAwait(false);
        var frame = await connection.SendAsync(request.ApiKey, header.ApiVersion, header.ClientId, w => request.Write(w, header.ApiVersion), true, cancellationToken).ConfigureAwait(false);
        try
        {
            return (UpstreamConnection.Decode<TResponse>(frame!, request.ApiKey, header.ApiVersion), frame!);
        }
        catch
        {
            frame!.Dispose();
            throw;
        }
    }

    /// <summary>Sends, rewrites the response with <paramref name="rewrite"/>, and hands it on for the client.</summary>
    private async Task<OutgoingFrame?> ForwardAsync<TResponse>(RequestHeader header, IKafkaRequest request, Action<TResponse> rewrite, CancellationToken cancellationToken)
        where TResponse : IKafkaResponse, new()
    {
        var (response, frame) = await SendAsync<TResponse>(header, request, cancellationToken).ConfigureAwait(false);
        try
        {
            rewrite(response);
        }
        catch
        {
            frame.Dispose();
            throw;
        }

        // The response's byte fields slice the frame, so the write loop releases it after encoding.
        return OutgoingFrame.Encode(header.CorrelationId, header.ApiVersion, response, frame);
    }

    /// <summary>A response that slices no upstream frame (built here, or from upstream answers whose
    /// fields were all copied out), encoded by the write loop.</summary>
    private static OutgoingFrame Local(RequestHeader header, IKafkaResponse response) =>
        OutgoingFrame.Encode(header.CorrelationId, header.ApiVersion, response);

    /// <summary>Upstream text about a backing topic, with the topic named by the partner's alias. Only whole
    /// names are replaced (a topic name's characters on neither side), so a short backing name does not
    /// garble the rest of the message.</summary>
    private static string? InZoneTerms(string? message, ZoneTopic topic) =>
        message is null || !message.Contains(topic.Backing, StringComparison.Ordinal)
            ? message
            : Regex.Replace(message, $"(?<![A-Za-z0-9._-]){Regex.Escape(topic.Backing)}(?![A-Za-z0-9._])", topic.Alias.Replace("$", "$$", StringComparison.Ordinal), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    /// <summary>The zone topic for an alias the client named, or null when the zone has no such alias.</summary>
    private ZoneTopic? Alias(string? name) => name is not null && Zone.ByAlias.TryGetValue(name, out var topic) ? topic : null;

    /// <summary>Splits the requested aliases into rounds in which each backing topic appears once:
    /// two aliases of one backing topic can never share one upstream request (their partitions would
    /// merge). Almost every request is a single round.</summary>
    private static List<List<T>> Rounds<T>(IEnumerable<T> items, Func<T, string> backing)
    {
        var rounds = new List<List<T>>();
        var used = new List<HashSet<string>>();
        foreach (var item in items)
        {
            var key = backing(item);
            var round = used.FindIndex(set => !set.Contains(key));
            if (round < 0)
            {
                rounds.Add([]);
                used.Add(new HashSet<string>(StringComparer.Ordinal));
                round = rounds.Count - 1;
            }

            rounds[round].Add(item);
            used[round].Add(key);
        }

        return rounds;
    }
}
