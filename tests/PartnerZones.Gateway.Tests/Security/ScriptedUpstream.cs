using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>
/// A one-broker upstream that answers a few APIs the way Apache Kafka does in cases the embedded cluster
/// does not reproduce, each of which puts upstream names or rights into text a partner would read:
/// a compacted topic refusing keyless records names its topic-partition in the produce error messages;
/// DescribeGroups v6 for a missing group says "Group &lt;id&gt; not found."; DescribeCluster reports the
/// caller's (here: the gateway's) authorized cluster operations when asked; DescribeConfigs of the topic
/// shows an entry marked sensitive and synonyms from broker-level config, as a Kafka broker set up with
/// broker defaults does. It also advertises the APIs of newer Kafka the embedded cluster lacks
/// (DescribeTopicPartitions, the KIP-848 group APIs), answering DescribeTopicPartitions for its topic.
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    public const string ClusterId = "scripted-upstream-cluster";

    /// <summary>What Kafka's DescribeCluster reports for a principal allowed everything on the cluster.</summary>
    public const int AllClusterOperations = 0b1_1111_1111_1000;

    /// <summary>What Kafka's DescribeTopicPartitions reports for a principal allowed everything on a topic.</summary>
    public const int AllTopicOperations = 0b1111_1111_1000;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;

    public ScriptedUpstream(string topic, Guid topicId)
    {
        Topic = topic;
        TopicId = topicId;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public string Topic { get; }

    public Guid TopicId { get; }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>A topic config the scripted broker marks sensitive (its value is withheld, as Kafka does).</summary>
    public const string SensitiveConfig = "remote.storage.secret.key";

    public static string CompactedTopicMessage(string topic, int partition) =>
        $"Compacted topic cannot accept message without key in topic partition {topic}-{partition}.";

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_connections)
                {
                    _connections.Add(Task.Run(() => ServeAsync(socket)));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var frames = new KafkaFrameReader(PipeReader.Create(stream), 16 * 1024 * 1024);
        try
        {
            while (true)
            {
                using var frame = await frames.ReadAsync(_stop.Token);
                if (frame is null)
                {
                    return;
                }

                var reader = new KafkaReader(frame.Memory);
                var header = RequestHeader.Read(ref reader);
                var request = ApiMessages.CreateRequest(header.ApiKey)!;
                request.Read(ref reader, header.ApiVersion);
                using var writer = new KafkaWriter(1024);
                FrameWriter.WriteResponse(writer, header.CorrelationId, header.ApiVersion, Answer(request, header.ApiVersion));
                await stream.WriteAsync(writer.WrittenMemory, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or EndOfStreamException or ObjectDisposedException or InvalidOperationException)
        {
            // Gone, or asked for something this script does not answer: the connection ends.
        }
    }

    private IKafkaResponse Answer(IKafkaRequest request, short version) => request switch
    {
        ApiVersionsRequest => new ApiVersionsResponse
        {
            ApiKeys =
            [
                Api(ProduceRequest.Key, 3, 12),
                Api(MetadataRequest.Key, 1, 12),
                Api(DescribeGroupsRequest.Key, 0, 6),
                Api(DescribeClusterRequest.Key, 0, 1),
                Api(DescribeConfigsRequest.Key, 0, 4),
                Api(ConsumerGroupHeartbeatRequest.Key, 0, 1),
                Api(ConsumerGroupDescribeRequest.Key, 0, 1),
                Api(DescribeTopicPartitionsRequest.Key, 0, 0),
                Api(ApiVersionsRequest.Key, 0, 3),
            ],
        },
        MetadataRequest metadata => new MetadataResponse
        {
            Brokers = [new MetadataResponse.MetadataResponseBroker { NodeId = 0, Host = EndPoint.Address.ToString(), Port = EndPoint.Port }],
            ClusterId = ClusterId,
            ControllerId = 0,
            Topics = [.. (metadata.Topics?.Select(t => t.Name) ?? [Topic]).Select(name => name == Topic
                ? new MetadataResponse.MetadataResponseTopic
                {
                    Name = Topic,
                    TopicId = TopicId,
                    Partitions = [new MetadataResponse.MetadataResponsePartition { PartitionIndex = 0, LeaderId = 0, LeaderEpoch = 0, ReplicaNodes = [0], IsrNodes = [0] }],
                }
                : new MetadataResponse.MetadataResponseTopic { Name = name, ErrorCode = 3 })],
        },
        ProduceRequest produce => new ProduceResponse
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
        },
        DescribeGroupsRequest describe => new DescribeGroupsResponse
        {
            Groups = [.. describe.Groups.Select(g => new DescribeGroupsResponse.DescribedGroup
            {
                GroupId = g,
                GroupState = "Dead",
                ErrorCode = version >= 6 ? (short)69 : (short)0,
                ErrorMessage = version >= 6 ? $"Group {g} not found." : null,
            })],
        },
        DescribeClusterRequest cluster => new DescribeClusterResponse
        {
            ClusterId = ClusterId,
            ControllerId = 0,
            Brokers = [new DescribeClusterResponse.DescribeClusterBroker { BrokerId = 0, Host = EndPoint.Address.ToString(), Port = EndPoint.Port }],
            ClusterAuthorizedOperations = cluster.IncludeClusterAuthorizedOperations ? AllClusterOperations : int.MinValue,
        },
        DescribeConfigsRequest configs => new DescribeConfigsResponse
        {
            Results = [.. configs.Resources.Select(r => r.ResourceType == 2 && r.ResourceName == Topic
                ? new DescribeConfigsResponse.DescribeConfigsResult { ResourceType = 2, ResourceName = Topic, Configs = TopicConfigs(configs.IncludeSynonyms) }
                : new DescribeConfigsResponse.DescribeConfigsResult { ResourceType = r.ResourceType, ResourceName = r.ResourceName, ErrorCode = 3, ErrorMessage = $"Topic {r.ResourceName} not found." })],
        },
        DescribeTopicPartitionsRequest partitions => new DescribeTopicPartitionsResponse
        {
            Topics = [.. partitions.Topics.Select(t => t.Name == Topic
                ? new DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic
                {
                    Name = Topic,
                    TopicId = TopicId,
                    Partitions = [new DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponsePartition { PartitionIndex = 0, LeaderId = 0, LeaderEpoch = 0, ReplicaNodes = [0], IsrNodes = [0], EligibleLeaderReplicas = [] }],
                    TopicAuthorizedOperations = AllTopicOperations,
                }
                : new DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic { Name = t.Name, ErrorCode = 3 })],
        },
        _ => throw new InvalidOperationException($"The scripted upstream does not serve API key {request.ApiKey}."),
    };

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

    private static ApiVersionsResponse.ApiVersion Api(short key, short min, short max) => new() { ApiKey = key, MinVersion = min, MaxVersion = max };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] serving;
        lock (_connections)
        {
            serving = [.. _connections];
        }

        await Task.WhenAll(serving);
        _stop.Dispose();
    }
}
