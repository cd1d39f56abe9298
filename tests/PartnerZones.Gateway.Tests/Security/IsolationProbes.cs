using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records;
using PartnerZones.Testing.KafkaWire;
using B = PartnerZones.Gateway.Tests.Security.BackingClusterState;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>One request a partner sends to reach past its zone, with what the answer must be. A probe
/// that <see cref="ExpectClose"/> must end the connection instead of being answered.</summary>
internal sealed record Probe(string What, IKafkaRequest Request, short Version, Action<IKafkaResponse> Check)
{
    public bool ExpectClose { get; init; }

    public static Probe Of<TResponse>(string what, IKafkaRequest request, short version, Action<TResponse> check)
        where TResponse : IKafkaResponse =>
        new(what, request, version, r => check((TResponse)r));

    public static Probe Closes(string what, IKafkaRequest request, short version) =>
        new(what, request, version, _ => { }) { ExpectClose = true };
}

/// <summary>What a probe may rely on: the backing cluster's secrets and the gateway's own identity.</summary>
internal sealed record ProbeContext(
    BackingClusterState Backing,
    string GatewayHost,
    IReadOnlySet<int> GatewayPorts,
    string GatewayClusterId,
    IReadOnlyDictionary<short, (short Min, short Max)> PartnerOffer);

/// <summary>
/// For every API a partner may be offered, requests that name what lies outside the zone: the backing
/// topic's name and real id, a foreign topic's name and real id, the upstream group (with its live
/// member's exact id and generation), another zone's group, an upstream transactional id. Each probe
/// checks that every such resource is answered as an error (or, for lookups that cannot fail, answered
/// with the gateway's own identity) — never with upstream data. One partial file per API family.
/// </summary>
internal static partial class IsolationProbes
{
    // Kafka error codes the checks expect.
    public const short UnknownTopicOrPartition = 3;
    public const short GroupIdNotFound = 69;
    public const short UnknownMemberId = 25;
    public const short TopicAuthorizationFailed = 29;
    public const short GroupAuthorizationFailed = 30;
    public const short ClusterAuthorizationFailed = 31;
    public const short InvalidRequest = 42;
    public const short UnknownTopicId = 100;

    /// <summary>The zone's aliases; anything else a response names must be answered as an error.</summary>
    public static readonly string[] Aliases = ["topic-a", "topic-b"];

    /// <summary>The probes for one API version, or null when this table has none for the API (a test
    /// failure when the API is offered: every offered API must be probed).</summary>
    public static IReadOnlyList<Probe>? For(short apiKey, short version, ProbeContext context) => apiKey switch
    {
        ProduceRequest.Key => Produce(version, context),
        FetchRequest.Key => Fetch(version, context),
        ListOffsetsRequest.Key => ListOffsets(version),
        MetadataRequest.Key => Metadata(version, context),
        OffsetForLeaderEpochRequest.Key => OffsetForLeaderEpoch(version),
        CreateTopicsRequest.Key => CreateTopics(version),
        DeleteTopicsRequest.Key => DeleteTopics(version, context),
        CreatePartitionsRequest.Key => CreatePartitions(version),
        DescribeClusterRequest.Key => DescribeCluster(version, context),
        OffsetCommitRequest.Key => OffsetCommit(version, context),
        OffsetFetchRequest.Key => OffsetFetch(version, context),
        FindCoordinatorRequest.Key => FindCoordinator(version, context),
        JoinGroupRequest.Key => JoinGroup(version, context),
        SyncGroupRequest.Key => SyncGroup(version, context),
        HeartbeatRequest.Key => Heartbeat(version, context),
        LeaveGroupRequest.Key => LeaveGroup(version, context),
        DescribeGroupsRequest.Key => DescribeGroups(version),
        ListGroupsRequest.Key => ListGroups(version),
        DeleteGroupsRequest.Key => DeleteGroups(version),
        DeleteRecordsRequest.Key => DeleteRecords(version),
        InitProducerIdRequest.Key => InitProducerId(version),
        AddPartitionsToTxnRequest.Key => AddPartitionsToTxn(version),
        AddOffsetsToTxnRequest.Key => AddOffsetsToTxn(version),
        EndTxnRequest.Key => EndTxn(version),
        TxnOffsetCommitRequest.Key => TxnOffsetCommit(version),
        ApiVersionsRequest.Key => ApiVersions(version, context),
        DescribeConfigsRequest.Key => DescribeConfigs(version),
        AlterConfigsRequest.Key => AlterConfigs(version),
        IncrementalAlterConfigsRequest.Key => IncrementalAlterConfigs(version),
        DescribeAclsRequest.Key => DescribeAcls(version),
        CreateAclsRequest.Key => CreateAcls(version),
        DeleteAclsRequest.Key => DeleteAcls(version),
        OffsetDeleteRequest.Key => OffsetDelete(version),
        DescribeProducersRequest.Key => DescribeProducers(version),
        DescribeTransactionsRequest.Key => DescribeTransactions(version),
        ListTransactionsRequest.Key => ListTransactions(version),
        DescribeTopicPartitionsRequest.Key => DescribeTopicPartitions(version),
        ConsumerGroupHeartbeatRequest.Key => ConsumerGroupHeartbeat(version, context),
        ConsumerGroupDescribeRequest.Key => ConsumerGroupDescribe(version),
        // After authentication SASL serves re-authentication (KIP-368): a handshake is answered, and a
        // login as another principal (the admin) on the partner's connection is refused.
        SaslHandshakeRequest.Key =>
        [
            Probe.Of<SaslHandshakeResponse>("a re-authentication handshake", new SaslHandshakeRequest { Mechanism = "PLAIN" }, version,
                r => Assert.Contains("PLAIN", r.Mechanisms)),
        ],
        SaslAuthenticateRequest.Key =>
        [
            Probe.Of<SaslAuthenticateResponse>("a second SASL login as admin", new SaslAuthenticateRequest { AuthBytes = KafkaWireClient.PlainToken("", "admin", GatewayFixture.AdminSecret) }, version,
                r => Assert.NotEqual(0, r.ErrorCode)),
        ],
        _ => null,
    };

    private static IReadOnlyList<Probe> ApiVersions(short version, ProbeContext context) =>
    [
        Probe.Of<ApiVersionsResponse>("ApiVersions after login", new ApiVersionsRequest { ClientSoftwareName = "probe", ClientSoftwareVersion = "1" }, version, r =>
        {
            Assert.Equal(0, r.ErrorCode);
            Assert.Equal(context.PartnerOffer.OrderBy(k => k.Key), r.ApiKeys.Select(k => new KeyValuePair<short, (short, short)>(k.ApiKey, (k.MinVersion, k.MaxVersion))).OrderBy(k => k.Key));
        }),
    ];

    /// <summary>The partner's id for one of its aliases (v10 offset APIs, Produce v13, Fetch v13+).</summary>
    private static Guid VirtualId(string alias) => Policy.ZonePolicy.VirtualIdFor(GatewayFixture.ZoneName, alias);

    /// <summary>Asserts an error for every entry that is not one of the zone's aliases.</summary>
    private static void OutsideIsError(string? name, short errorCode, string where)
    {
        if (name is null || !Aliases.Contains(name))
        {
            Assert.True(errorCode != 0, $"{where}: '{name}' is outside the zone but was answered without an error.");
        }
    }

    private static void IsGatewayAddress(ProbeContext context, string host, int port, string where)
    {
        Assert.True(host == context.GatewayHost, $"{where}: host '{host}' is not the gateway's '{context.GatewayHost}'.");
        Assert.True(context.GatewayPorts.Contains(port), $"{where}: port {port} is not one of the gateway's ({string.Join(", ", context.GatewayPorts)}).");
    }

    /// <summary>A valid one-record batch, so that a request wrongly forwarded would really write.</summary>
    private static byte[] RecordBatchBytes()
    {
        var batch = new RecordBatch
        {
            BaseTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Records = [new Protocol.Records.Record { Key = "probe"u8.ToArray(), Value = "a partner writing outside its zone"u8.ToArray() }],
        };
        batch.UpdateSummaryFields();
        return batch.ToArray();
    }

    private static byte[] Subscription(params string[] topics) => B.Subscription(topics);
}
