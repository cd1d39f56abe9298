using PartnerZones.Testing;
using System.Net;
using System.Text;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Security;
using PartnerZones.Protocol.Messages;
using PartnerZones.Resources;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>
/// The example zone's gateway in front of a one-broker <see cref="ScriptedBroker"/> that answers a few APIs
/// the way Apache Kafka does in cases the embedded cluster does not reproduce, each of which puts upstream
/// names or rights into text a partner would read: a compacted topic refusing keyless records names its
/// topic-partition in the produce error messages; DescribeGroups v6 for a missing group says
/// "Group &lt;id&gt; not found."; DescribeCluster reports the caller's (here: the gateway's) authorized
/// cluster operations when asked; DescribeConfigs of the topic shows an entry marked sensitive and synonyms
/// from broker-level config, as a Kafka broker set up with broker defaults does. It also advertises the APIs
/// of newer Kafka the embedded cluster lacks (DescribeTopicPartitions, the KIP-848 group APIs), answering
/// DescribeTopicPartitions for its topic.
/// </summary>
public sealed class ScriptedGatewayFixture : IAsyncLifetime
{
    public const string BackingTopic = "kafka-topic-a";

    /// <summary>What Kafka's DescribeCluster reports for a principal allowed everything on the cluster.</summary>
    public const int AllClusterOperations = 0b1_1111_1111_1000;

    /// <summary>What Kafka's DescribeTopicPartitions reports for a principal allowed everything on a topic.</summary>
    public const int AllTopicOperations = 0b1111_1111_1000;

    /// <summary>A topic config the scripted broker marks sensitive (its value is withheld, as Kafka does).</summary>
    public const string SensitiveConfig = "remote.storage.secret.key";

    public ScriptedGatewayFixture()
    {
        Upstream.ClusterId = "scripted-upstream-cluster";
        Upstream.AddTopic(BackingTopic, TopicId);
        Upstream.Advertise(ProduceRequest.Key, 3, 12);
        Upstream.Advertise(MetadataRequest.Key, 1, 12);
        Upstream.Advertise(DescribeGroupsRequest.Key, 0, 6);
        Upstream.Advertise(DescribeClusterRequest.Key, 0, 1);
        Upstream.Advertise(DescribeConfigsRequest.Key, 0, 4);
        Upstream.Advertise(ConsumerGroupHeartbeatRequest.Key, 0, 1);
        Upstream.Advertise(ConsumerGroupDescribeRequest.Key, 0, 1);
        Upstream.Advertise(DescribeTopicPartitionsRequest.Key, 0, 0);
        Upstream.Answer<DescribeConfigsRequest>((configs, _) => new DescribeConfigsResponse
        {
            Results = [.. configs.Resources.Select(r => r.ResourceType == 2 && r.ResourceName == BackingTopic
                ? new DescribeConfigsResponse.DescribeConfigsResult { ResourceType = 2, ResourceName = BackingTopic, Configs = TopicConfigs(configs.IncludeSynonyms) }
                : new DescribeConfigsResponse.DescribeConfigsResult { ResourceType = r.ResourceType, ResourceName = r.ResourceName, ErrorCode = 3, ErrorMessage = $"Topic {r.ResourceName} not found." })],
        });
        Upstream.Answer<DescribeTopicPartitionsRequest>((partitions, _) => new DescribeTopicPartitionsResponse
        {
            Topics = [.. partitions.Topics.Select(t => t.Name == BackingTopic
                ? new DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic
                {
                    Name = BackingTopic,
                    TopicId = TopicId,
                    Partitions = [new DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponsePartition { PartitionIndex = 0, LeaderId = 0, LeaderEpoch = 0, ReplicaNodes = [0], IsrNodes = [0], EligibleLeaderReplicas = [] }],
                    TopicAuthorizedOperations = AllTopicOperations,
                }
                : new DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic { Name = t.Name, ErrorCode = 3 })],
        });
        Upstream.Answer<ProduceRequest>((produce, _) => new ProduceResponse
        {
            Responses = [.. produce.TopicData.Select(t => new ProduceResponse.TopicProduceResponse
            {
                Name = t.Name,
                PartitionResponses = [.. t.PartitionData.Select(p => new ProduceResponse.PartitionProduceResponse
                {
                    Index = p.Index,
                    ErrorCode = 87, // INVALID_RECORD
                    BaseOffset = -1,
                    RecordErrors = [new ProduceResponse.BatchIndexAndErrorMessage { BatchIndex = 0, BatchIndexErrorMessage = CompactedTopicMessage(t.Name, p.Index) }],
                    ErrorMessage = $"One or more records have been rejected: {CompactedTopicMessage(t.Name, p.Index)}",
                })],
            })],
        });
        Upstream.Answer<DescribeGroupsRequest>((describe, version) => new DescribeGroupsResponse
        {
            Groups = [.. describe.Groups.Select(g => new DescribeGroupsResponse.DescribedGroup
            {
                GroupId = g,
                GroupState = "Dead",
                ErrorCode = version >= 6 ? (short)69 : (short)0,
                ErrorMessage = version >= 6 ? $"Group {g} not found." : null,
            })],
        });
        Upstream.Answer<DescribeClusterRequest>((cluster, _) => new DescribeClusterResponse
        {
            ClusterId = Upstream.ClusterId,
            ControllerId = ScriptedBroker.NodeId,
            Brokers = [new DescribeClusterResponse.DescribeClusterBroker { BrokerId = ScriptedBroker.NodeId, Host = Upstream.EndPoint.Address.ToString(), Port = Upstream.EndPoint.Port }],
            ClusterAuthorizedOperations = cluster.IncludeClusterAuthorizedOperations ? AllClusterOperations : int.MinValue,
        });
    }

    internal ScriptedBroker Upstream { get; } = new();

    /// <summary>The backing topic's id upstream.</summary>
    public static Guid TopicId { get; } = Guid.NewGuid();

    public GatewayHost Gateway { get; private set; } = null!;

    internal IPEndPoint Bootstrap => IPEndPoint.Parse(Gateway.BootstrapServers);

    public async Task InitializeAsync()
    {
        var zone = Assert.Single(PartnerZoneReader.ReadAll(GatewayFixture.ExampleZone, "example"));
        var state = new GatewayState(
            [zone],
            [new ServiceAccount { Metadata = new ResourceMetadata { Name = "johndoe" }, Spec = new ServiceAccountSpec { Type = "PARTNER" } }],
            [new PartnerZones.Gateway.Configuration.Credential { Metadata = new ResourceMetadata { Name = "johndoe-1" }, Spec = new CredentialSpec { ServiceAccount = "johndoe", SecretHash = SecretHash.Hash(GatewayFixture.PartnerSecret) } }]);
        StateCluster = await PartnerZones.EmbeddedKafka.EmbeddedCluster.StartAsync(new PartnerZones.EmbeddedKafka.ClusterOptions());
        var basePort = LoopbackPorts.FreeRange(2);
        Gateway = await GatewayHost.StartAsync(new GatewayConfig
        {
            Spec = new GatewaySpec
            {
                Upstream = new UpstreamConfig { BootstrapServers = $"{Upstream.EndPoint}" },
                Listener = new ListenerConfig { Host = "127.0.0.1", BootstrapPort = basePort, BrokerPortBase = basePort + 1 },
                // The scripted broker speaks only the data path; the gateway's state lives in a real cluster.
                State = new StateConfig { Cluster = new UpstreamConfig { BootstrapServers = StateCluster!.BootstrapServers } },
            },
        }, state);
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        if (StateCluster is not null)
        {
            await StateCluster.DisposeAsync();
        }
    }

    private PartnerZones.EmbeddedKafka.EmbeddedCluster? StateCluster { get; set; }

    public static string CompactedTopicMessage(string topic, int partition) =>
        $"Compacted topic cannot accept message without key in topic partition {topic}-{partition}.";

    /// <summary>Config sources: 1 topic, 3 dynamic default broker, 4 static broker, 5 Kafka's default.</summary>
    private static List<DescribeConfigsResponse.DescribeConfigsResourceResult> TopicConfigs(bool synonyms)
    {
        static DescribeConfigsResponse.DescribeConfigsResourceResult Entry(string name, string? value, sbyte source, bool sensitive, List<(string Name, string Value, sbyte Source)> synonyms) => new()
        {
            Name = name,
            Value = value,
            ConfigSource = source,
            IsDefault = source == 5,
            IsSensitive = sensitive,
            Synonyms = [.. synonyms.Select(s => new DescribeConfigsResponse.DescribeConfigsSynonym { Name = s.Name, Value = s.Value, Source = s.Source })],
        };

        List<DescribeConfigsResponse.DescribeConfigsResourceResult> entries =
        [
            Entry("cleanup.policy", "delete", 1, false, [("cleanup.policy", "delete", 1), ("log.cleanup.policy", "compact", 3), ("cleanup.policy", "delete", 5)]),
            Entry("max.message.bytes", "1048588", 5, false, [("max.message.bytes", "1048588", 5)]),
            Entry("retention.ms", "259200000", 4, false, [("log.retention.hours", "72", 4), ("retention.ms", "604800000", 5)]),
            Entry(SensitiveConfig, null, 1, true, [(SensitiveConfig, "", 1)]),
        ];
        if (!synonyms)
        {
            entries.ForEach(e => e.Synonyms = []);
        }

        return entries;
    }
}

/// <summary>
/// Upstream text that names upstream things — error messages that quote the backing topic-partition or
/// the namespaced group id, and the gateway's own cluster rights — must reach the partner in the
/// partner's terms or not at all.
/// </summary>
public sealed class ScriptedUpstreamTests(ScriptedGatewayFixture fixture) : IClassFixture<ScriptedGatewayFixture>
{
    private static readonly byte[] BackingName = Encoding.UTF8.GetBytes("kafka-topic-a");
    private static readonly byte[] ZonePrefix = Encoding.UTF8.GetBytes(BackingClusterState.ZonePrefix);

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(12)]
    public async Task Produce_error_messages_name_the_alias_not_the_backing_topic(short version)
    {
        await using var client = await PartnerAsync();
        var exchange = await client.ExchangeAsync(new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 5000,
            TopicData = [new ProduceRequest.TopicProduceData { Name = "topic-a", PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = Array.Empty<byte>() }] }],
        }, version);

        var partition = Assert.Single(Assert.Single(((ProduceResponse)exchange.Decoded).Responses).PartitionResponses);
        Assert.Equal(87, partition.ErrorCode);
        Assert.Equal(ScriptedGatewayFixture.CompactedTopicMessage("topic-a", 0), Assert.Single(partition.RecordErrors).BatchIndexErrorMessage);
        Assert.Contains(ScriptedGatewayFixture.CompactedTopicMessage("topic-a", 0), partition.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0, LeakScanner.Count(exchange.Response, BackingName));
    }

    [Fact]
    public async Task DescribeGroups_error_messages_do_not_carry_the_zone_prefix()
    {
        await using var client = await PartnerAsync();
        var exchange = await client.ExchangeAsync(new DescribeGroupsRequest { Groups = ["my-group"] }, 6);

        var group = Assert.Single(((DescribeGroupsResponse)exchange.Decoded).Groups);
        Assert.Equal("my-group", group.GroupId);
        Assert.Equal(69, group.ErrorCode);
        Assert.Equal("Group my-group not found.", group.ErrorMessage);
        Assert.Equal(0, LeakScanner.Count(exchange.Response, ZonePrefix));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task DescribeCluster_does_not_report_the_gateways_own_cluster_rights(short version)
    {
        await using var client = await PartnerAsync();
        var response = await client.SendAsync<DescribeClusterResponse>(new DescribeClusterRequest { IncludeClusterAuthorizedOperations = true }, version);

        Assert.Equal(0, response.ErrorCode);
        Assert.Equal(fixture.Gateway.Runtime.ClusterId, response.ClusterId);
        Assert.Equal(int.MinValue, response.ClusterAuthorizedOperations);
    }

    [Fact]
    public async Task The_scripted_upstream_does_report_them_to_a_direct_client()
    {
        // The control for the test above: the rights are there to leak.
        await using var direct = await KafkaWireClient.ConnectAsync(fixture.Upstream.EndPoint);
        var response = await direct.SendAsync<DescribeClusterResponse>(new DescribeClusterRequest { IncludeClusterAuthorizedOperations = true }, 1);
        Assert.Equal(ScriptedGatewayFixture.AllClusterOperations, response.ClusterAuthorizedOperations);
    }

    private async Task<KafkaWireClient> PartnerAsync()
    {
        var client = await KafkaWireClient.ConnectAsync(fixture.Bootstrap);
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        return client;
    }
}
