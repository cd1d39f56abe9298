using PartnerZones.Protocol.Messages;
using B = PartnerZones.Gateway.Tests.Security.BackingClusterState;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>Topic APIs: the backing topic and a foreign topic, by name or (where the version names topics
/// by id) by their real ids.</summary>
internal static partial class IsolationProbes
{
    private static IReadOnlyList<Probe> Produce(short version, ProbeContext context)
    {
        var byId = version >= 13;
        var records = RecordBatchBytes();
        ProduceRequest.TopicProduceData Topic(string name, Guid id) => new()
        {
            Name = byId ? "" : name,
            TopicId = byId ? id : Guid.Empty,
            PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = records }],
        };

        return
        [
            Probe.Of<ProduceResponse>(
                byId ? "produce to the real topic ids" : "produce to the backing and foreign topic names",
                new ProduceRequest
                {
                    TransactionalId = B.UpstreamTransactionalId,
                    Acks = -1,
                    TimeoutMs = 5000,
                    TopicData = [Topic(B.BackingTopic, context.Backing.BackingTopicId), Topic(B.PrivateTopic, context.Backing.PrivateTopicId)],
                },
                version,
                r =>
                {
                    Assert.Equal(2, r.Responses.Count);
                    Assert.All(r.Responses.SelectMany(t => t.PartitionResponses), p =>
                    {
                        Assert.Equal(byId ? UnknownTopicId : UnknownTopicOrPartition, p.ErrorCode);
                        Assert.Equal(-1, p.BaseOffset);
                    });
                    Assert.Empty(r.NodeEndpoints);
                }),
        ];
    }

    private static IReadOnlyList<Probe> Fetch(short version, ProbeContext context)
    {
        var byId = version >= 13;
        FetchRequest.FetchTopic Topic(string name, Guid id) => new()
        {
            Topic = byId ? "" : name,
            TopicId = byId ? id : Guid.Empty,
            Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1024 * 1024 }],
        };

        var probes = new List<Probe>
        {
            Probe.Of<FetchResponse>(
                byId ? "fetch the real topic ids" : "fetch the backing and foreign topic names",
                new FetchRequest
                {
                    ReplicaId = -1,
                    MaxWaitMs = 0,
                    MinBytes = 1,
                    MaxBytes = 1024 * 1024,
                    SessionId = 0,
                    // Epoch 0 asks for a new fetch session (v7+); the gateway must decline it (session 0).
                    SessionEpoch = 0,
                    Topics = [Topic(B.BackingTopic, context.Backing.BackingTopicId), Topic(B.PrivateTopic, context.Backing.PrivateTopicId)],
                },
                version,
                r =>
                {
                    Assert.Equal(0, r.SessionId);
                    Assert.Equal(2, r.Responses.Count);
                    Assert.All(r.Responses.SelectMany(t => t.Partitions), p =>
                    {
                        Assert.Equal(byId ? UnknownTopicId : UnknownTopicOrPartition, p.ErrorCode);
                        Assert.True(p.Records is null || p.Records.Value.IsEmpty, "records returned for a topic outside the zone");
                    });
                    Assert.Empty(r.NodeEndpoints);
                }),
        };
        return probes;
    }

    private static IReadOnlyList<Probe> ListOffsets(short version) =>
    [
        Probe.Of<ListOffsetsResponse>(
            "list offsets of the backing and foreign topics",
            new ListOffsetsRequest
            {
                ReplicaId = -1,
                Topics =
                [
                    new ListOffsetsRequest.ListOffsetsTopic { Name = B.BackingTopic, Partitions = [new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 0, Timestamp = -1 }] },
                    new ListOffsetsRequest.ListOffsetsTopic { Name = B.PrivateTopic, Partitions = [new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 0, Timestamp = -2 }] },
                ],
            },
            version,
            r =>
            {
                Assert.Equal([B.BackingTopic, B.PrivateTopic], r.Topics.Select(t => t.Name));
                Assert.All(r.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(UnknownTopicOrPartition, p.ErrorCode));
            }),
    ];

    private static IReadOnlyList<Probe> OffsetForLeaderEpoch(short version) =>
    [
        Probe.Of<OffsetForLeaderEpochResponse>(
            "leader epochs of the backing and foreign topics",
            new OffsetForLeaderEpochRequest
            {
                ReplicaId = -1,
                Topics =
                [
                    new OffsetForLeaderEpochRequest.OffsetForLeaderTopic { Topic = B.BackingTopic, Partitions = [new OffsetForLeaderEpochRequest.OffsetForLeaderPartition { Partition = 0, LeaderEpoch = 0 }] },
                    new OffsetForLeaderEpochRequest.OffsetForLeaderTopic { Topic = B.PrivateTopic, Partitions = [new OffsetForLeaderEpochRequest.OffsetForLeaderPartition { Partition = 0, LeaderEpoch = 0 }] },
                ],
            },
            version,
            r =>
            {
                Assert.Equal([B.BackingTopic, B.PrivateTopic], r.Topics.Select(t => t.Topic));
                Assert.All(r.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(UnknownTopicOrPartition, p.ErrorCode));
            }),
    ];

    private static IReadOnlyList<Probe> Metadata(short version, ProbeContext context)
    {
        void Cluster(MetadataResponse r, string where)
        {
            Assert.NotEmpty(r.Brokers);
            Assert.All(r.Brokers, b => IsGatewayAddress(context, b.Host, b.Port, where));
            if (version >= 2)
            {
                Assert.Equal(context.GatewayClusterId, r.ClusterId);
            }
        }

        var probes = new List<Probe>
        {
            Probe.Of<MetadataResponse>(
                "metadata of the backing and foreign topic names, asking for auto-creation",
                new MetadataRequest
                {
                    Topics = [new MetadataRequest.MetadataRequestTopic { Name = B.BackingTopic }, new MetadataRequest.MetadataRequestTopic { Name = B.PrivateTopic }],
                    AllowAutoTopicCreation = true,
                },
                version,
                r =>
                {
                    Cluster(r, "metadata by name");
                    Assert.Equal([B.BackingTopic, B.PrivateTopic], r.Topics.Select(t => t.Name));
                    Assert.All(r.Topics, t =>
                    {
                        Assert.Equal(UnknownTopicOrPartition, t.ErrorCode);
                        Assert.Empty(t.Partitions);
                        Assert.Equal(Guid.Empty, t.TopicId);
                    });
                }),
            Probe.Of<MetadataResponse>(
                "metadata of every topic",
                // v0 has no null list: an empty one means every topic there.
                new MetadataRequest { Topics = version == 0 ? [] : null, AllowAutoTopicCreation = false },
                version,
                r =>
                {
                    Cluster(r, "metadata of all topics");
                    Assert.Equal(Aliases, r.Topics.Select(t => t.Name).Order());
                    if (version >= 10)
                    {
                        Assert.All(r.Topics, t => Assert.DoesNotContain(t.TopicId, new[] { Guid.Empty, context.Backing.BackingTopicId, context.Backing.PrivateTopicId }));
                    }
                }),
        };

        // Topic ids in the request arrived in v10, but clients may only send them (with null names) from v12.
        if (version >= 12)
        {
            probes.Add(Probe.Of<MetadataResponse>(
                "metadata of the real topic ids",
                new MetadataRequest
                {
                    Topics = [new MetadataRequest.MetadataRequestTopic { TopicId = context.Backing.BackingTopicId }, new MetadataRequest.MetadataRequestTopic { TopicId = context.Backing.PrivateTopicId }],
                    AllowAutoTopicCreation = false,
                },
                version,
                r =>
                {
                    Cluster(r, "metadata by id");
                    Assert.Equal(2, r.Topics.Count);
                    Assert.All(r.Topics, t =>
                    {
                        Assert.Equal(UnknownTopicId, t.ErrorCode);
                        Assert.Null(t.Name);
                        Assert.Empty(t.Partitions);
                    });
                }));
        }

        return probes;
    }

    private static IReadOnlyList<Probe> CreateTopics(short version) =>
    [
        Probe.Of<CreateTopicsResponse>(
            "create the backing, foreign and a new topic",
            new CreateTopicsRequest
            {
                Topics = [.. new[] { B.BackingTopic, B.PrivateTopic, "partner-made-topic" }.Select(n => new CreateTopicsRequest.CreatableTopic { Name = n, NumPartitions = 1, ReplicationFactor = 1 })],
                TimeoutMs = 5000,
            },
            version,
            r =>
            {
                Assert.Equal(3, r.Topics.Count);
                Assert.All(r.Topics, t => Assert.Equal(TopicAuthorizationFailed, t.ErrorCode));
            }),
    ];

    private static IReadOnlyList<Probe> DeleteTopics(short version, ProbeContext context) =>
    [
        Probe.Of<DeleteTopicsResponse>(
            version >= 6 ? "delete the backing topic by name and the foreign topic by real id" : "delete the backing and foreign topics",
            new DeleteTopicsRequest
            {
                TopicNames = version < 6 ? [B.BackingTopic, B.PrivateTopic] : [],
                Topics = version >= 6 ? [new DeleteTopicsRequest.DeleteTopicState { Name = B.BackingTopic }, new DeleteTopicsRequest.DeleteTopicState { Name = null, TopicId = context.Backing.PrivateTopicId }] : [],
                TimeoutMs = 5000,
            },
            version,
            r =>
            {
                Assert.Equal(2, r.Responses.Count);
                Assert.All(r.Responses, t => Assert.Equal(TopicAuthorizationFailed, t.ErrorCode));
            }),
    ];

    private static IReadOnlyList<Probe> CreatePartitions(short version) =>
    [
        Probe.Of<CreatePartitionsResponse>(
            "add partitions to the backing and foreign topics",
            new CreatePartitionsRequest
            {
                Topics = [new CreatePartitionsRequest.CreatePartitionsTopic { Name = B.BackingTopic, Count = 6, Assignments = null }, new CreatePartitionsRequest.CreatePartitionsTopic { Name = B.PrivateTopic, Count = 4, Assignments = null }],
                TimeoutMs = 5000,
            },
            version,
            r =>
            {
                Assert.Equal(2, r.Results.Count);
                Assert.All(r.Results, t => Assert.Equal(TopicAuthorizationFailed, t.ErrorCode));
            }),
    ];

    private static IReadOnlyList<Probe> DescribeCluster(short version, ProbeContext context)
    {
        Probe Describe(sbyte endpointType) => Probe.Of<DescribeClusterResponse>(
            $"describe the cluster (endpoint type {endpointType}) with authorized operations",
            new DescribeClusterRequest { IncludeClusterAuthorizedOperations = true, EndpointType = endpointType },
            version,
            r =>
            {
                if (r.ErrorCode == 0)
                {
                    Assert.Equal(context.GatewayClusterId, r.ClusterId);
                    Assert.All(r.Brokers, b => IsGatewayAddress(context, b.Host, b.Port, "DescribeCluster broker"));
                    Assert.Equal(int.MinValue, r.ClusterAuthorizedOperations);
                }
            });

        return version >= 1 ? [Describe(1), Describe(2)] : [Describe(1)];
    }
}
