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
/// caller's (here: the gateway's) authorized cluster operations when asked.
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    public const string ClusterId = "scripted-upstream-cluster";

    /// <summary>What Kafka's DescribeCluster reports for a principal allowed everything on the cluster.</summary>
    public const int AllClusterOperations = 0b1_1111_1111_1000;

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
        _ => throw new InvalidOperationException($"The scripted upstream does not serve API key {request.ApiKey}."),
    };

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
