using PartnerZones.Protocol.Messages;
using B = PartnerZones.Gateway.Tests.Security.BackingClusterState;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>Administrative reads and changes: configs, ACLs, offset deletion, producers, transactions,
/// topic partitions and the KIP-848 group APIs. Reads of the zone's own things are answered in zone
/// terms; anything about the backing topic, a foreign topic, the brokers, the upstream group or
/// transaction is an error, and no change ever reaches the backing cluster.</summary>
internal static partial class IsolationProbes
{
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;
    private const sbyte BrokerLoggerResource = 8;

    private static IReadOnlyList<Probe> DescribeConfigs(short version) =>
    [
        Probe.Of<DescribeConfigsResponse>(
            "configs of the backing and foreign topics, an alias, a broker and a broker's loggers",
            new DescribeConfigsRequest
            {
                Resources =
                [
                    new DescribeConfigsRequest.DescribeConfigsResource { ResourceType = TopicResource, ResourceName = B.BackingTopic, ConfigurationKeys = null },
                    new DescribeConfigsRequest.DescribeConfigsResource { ResourceType = TopicResource, ResourceName = B.PrivateTopic, ConfigurationKeys = null },
                    new DescribeConfigsRequest.DescribeConfigsResource { ResourceType = TopicResource, ResourceName = "topic-a", ConfigurationKeys = null },
                    new DescribeConfigsRequest.DescribeConfigsResource { ResourceType = BrokerResource, ResourceName = "0", ConfigurationKeys = null },
                    new DescribeConfigsRequest.DescribeConfigsResource { ResourceType = BrokerLoggerResource, ResourceName = "0", ConfigurationKeys = null },
                ],
                IncludeSynonyms = true,
                IncludeDocumentation = true,
            },
            version,
            r =>
            {
                Assert.Equal([B.BackingTopic, B.PrivateTopic, "topic-a", "0", "0"], r.Results.Select(x => x.ResourceName));
                Assert.Equal([UnknownTopicOrPartition, UnknownTopicOrPartition, (short)0, ClusterAuthorizationFailed, ClusterAuthorizationFailed], r.Results.Select(x => x.ErrorCode));
                Assert.All(r.Results.Where(x => x.ErrorCode != 0), x => Assert.Empty(x.Configs));
                Assert.NotEmpty(r.Results[2].Configs);
                Assert.DoesNotContain(r.Results[2].Configs, c => c.IsSensitive);
            }),
    ];

    private static IReadOnlyList<Probe> AlterConfigs(short version) =>
    [
        Probe.Of<AlterConfigsResponse>(
            "change the configs of the backing topic, an alias and a broker",
            new AlterConfigsRequest
            {
                Resources =
                [
                    new AlterConfigsRequest.AlterConfigsResource { ResourceType = TopicResource, ResourceName = B.BackingTopic, Configs = [new AlterConfigsRequest.AlterableConfig { Name = "retention.ms", Value = "1" }] },
                    new AlterConfigsRequest.AlterConfigsResource { ResourceType = TopicResource, ResourceName = "topic-a", Configs = [new AlterConfigsRequest.AlterableConfig { Name = "retention.ms", Value = "1" }] },
                    new AlterConfigsRequest.AlterConfigsResource { ResourceType = BrokerResource, ResourceName = "0", Configs = [new AlterConfigsRequest.AlterableConfig { Name = "log.retention.ms", Value = "1" }] },
                ],
            },
            version,
            r => Assert.Equal([TopicAuthorizationFailed, TopicAuthorizationFailed, ClusterAuthorizationFailed], r.Responses.Select(x => x.ErrorCode))),
    ];

    private static IReadOnlyList<Probe> IncrementalAlterConfigs(short version) =>
    [
        Probe.Of<IncrementalAlterConfigsResponse>(
            "change the configs of the backing topic and a broker",
            new IncrementalAlterConfigsRequest
            {
                Resources =
                [
                    new IncrementalAlterConfigsRequest.AlterConfigsResource { ResourceType = TopicResource, ResourceName = B.BackingTopic, Configs = [new IncrementalAlterConfigsRequest.AlterableConfig { Name = "retention.ms", ConfigOperation = 0, Value = "1" }] },
                    new IncrementalAlterConfigsRequest.AlterConfigsResource { ResourceType = BrokerResource, ResourceName = "0", Configs = [new IncrementalAlterConfigsRequest.AlterableConfig { Name = "log.retention.ms", ConfigOperation = 0, Value = "1" }] },
                ],
            },
            version,
            r => Assert.Equal([TopicAuthorizationFailed, ClusterAuthorizationFailed], r.Responses.Select(x => x.ErrorCode))),
    ];

    private static IReadOnlyList<Probe> DescribeAcls(short version) =>
    [
        Probe.Of<DescribeAclsResponse>(
            "every ACL of the cluster",
            new DescribeAclsRequest { ResourceTypeFilter = 1, Operation = 1, PermissionType = 1 },
            version,
            r =>
            {
                Assert.Equal(ClusterAuthorizationFailed, r.ErrorCode);
                Assert.Empty(r.Resources);
            }),
    ];

    private static IReadOnlyList<Probe> CreateAcls(short version) =>
    [
        Probe.Of<CreateAclsResponse>(
            "allow the partner everything on the backing topic",
            new CreateAclsRequest
            {
                Creations = [new CreateAclsRequest.AclCreation { ResourceType = TopicResource, ResourceName = B.BackingTopic, Principal = "User:johndoe", Host = "*", Operation = 2, PermissionType = 3 }],
            },
            version,
            r => Assert.Equal([ClusterAuthorizationFailed], r.Results.Select(x => x.ErrorCode))),
    ];

    private static IReadOnlyList<Probe> DeleteAcls(short version) =>
    [
        Probe.Of<DeleteAclsResponse>(
            "delete every ACL of the cluster",
            new DeleteAclsRequest { Filters = [new DeleteAclsRequest.DeleteAclsFilter { ResourceTypeFilter = 1, Operation = 1, PermissionType = 1 }] },
            version,
            r =>
            {
                var result = Assert.Single(r.FilterResults);
                Assert.Equal(ClusterAuthorizationFailed, result.ErrorCode);
                Assert.Empty(result.MatchingAcls);
            }),
    ];

    private static IReadOnlyList<Probe> OffsetDelete(short version)
    {
        Probe Delete(string group) => Probe.Of<OffsetDeleteResponse>(
            $"delete the offsets of {group} on an alias, the backing and the foreign topic",
            new OffsetDeleteRequest
            {
                GroupId = group,
                Topics =
                [
                    new OffsetDeleteRequest.OffsetDeleteRequestTopic { Name = "topic-b", Partitions = [new OffsetDeleteRequest.OffsetDeleteRequestPartition { PartitionIndex = 0 }] },
                    new OffsetDeleteRequest.OffsetDeleteRequestTopic { Name = B.BackingTopic, Partitions = [new OffsetDeleteRequest.OffsetDeleteRequestPartition { PartitionIndex = 0 }, new OffsetDeleteRequest.OffsetDeleteRequestPartition { PartitionIndex = 2 }] },
                    new OffsetDeleteRequest.OffsetDeleteRequestTopic { Name = B.PrivateTopic, Partitions = [new OffsetDeleteRequest.OffsetDeleteRequestPartition { PartitionIndex = 0 }] },
                ],
            },
            version,
            r =>
            {
                // The zone's own group of that name does not exist (the groups are reset before every row).
                Assert.Equal(GroupIdNotFound, r.ErrorCode);
                Assert.Empty(r.Topics);
            });

        return [Delete(B.UpstreamGroup), Delete(B.OtherZoneGroup)];
    }

    private static IReadOnlyList<Probe> DescribeProducers(short version) =>
    [
        Probe.Of<DescribeProducersResponse>(
            "producers of the backing and foreign topics",
            new DescribeProducersRequest
            {
                Topics =
                [
                    new DescribeProducersRequest.TopicRequest { Name = B.BackingTopic, PartitionIndexes = [0, 1] },
                    new DescribeProducersRequest.TopicRequest { Name = B.PrivateTopic, PartitionIndexes = [0] },
                    new DescribeProducersRequest.TopicRequest { Name = "topic-a", PartitionIndexes = [0] },
                ],
            },
            version,
            r =>
            {
                Assert.Equal([B.BackingTopic, B.PrivateTopic, "topic-a"], r.Topics.Select(t => t.Name));
                Assert.All(r.Topics.Take(2).SelectMany(t => t.Partitions), p =>
                {
                    Assert.Equal(UnknownTopicOrPartition, p.ErrorCode);
                    Assert.Empty(p.ActiveProducers);
                });
            }),
    ];

    /// <summary>Every transactional id the partner names is its own: the upstream's transaction of that
    /// name is never described, and whatever the zone's own shows names only aliases.</summary>
    private static IReadOnlyList<Probe> DescribeTransactions(short version) =>
    [
        Probe.Of<DescribeTransactionsResponse>(
            "describe the upstream's transactional id",
            new DescribeTransactionsRequest { TransactionalIds = [B.UpstreamTransactionalId] },
            version,
            r =>
            {
                var state = Assert.Single(r.TransactionStates);
                Assert.Equal(B.UpstreamTransactionalId, state.TransactionalId);
                Assert.All(state.Topics, t => Assert.Contains(t.Topic, Aliases));
            }),
    ];

    /// <summary>The partner makes a transactional id of its own and lists by its producer id: only that id,
    /// without the zone's prefix. (Listed without a filter, the zone's other ids — made by other rows under
    /// names this scan treats as secrets — would be its own too.)</summary>
    private static IReadOnlyList<Probe> ListTransactions(short version)
    {
        var list = new ListTransactionsRequest { TransactionalIdPattern = version >= 2 ? "own-.*" : null };
        return
        [
            Probe.Of<InitProducerIdResponse>(
                "a transactional id of the zone's own",
                new InitProducerIdRequest { TransactionalId = "own-txn", TransactionTimeoutMs = 60_000 },
                4,
                r =>
                {
                    Assert.Equal(0, r.ErrorCode);
                    list.ProducerIdFilters = [r.ProducerId];
                }),
            Probe.Of<ListTransactionsResponse>(
                "list transactions",
                list,
                version,
                r =>
                {
                    Assert.Equal(0, r.ErrorCode);
                    Assert.Equal(["own-txn"], r.TransactionStates.Select(t => t.TransactionalId));
                }),
        ];
    }

    private static IReadOnlyList<Probe> DescribeTopicPartitions(short version) =>
    [
        Probe.Of<DescribeTopicPartitionsResponse>(
            "partitions of the backing and foreign topics and an alias",
            new DescribeTopicPartitionsRequest
            {
                Topics = [new() { Name = B.BackingTopic }, new() { Name = B.PrivateTopic }, new() { Name = "topic-a" }],
            },
            version,
            r =>
            {
                Assert.Equal([B.BackingTopic, B.PrivateTopic, "topic-a"], r.Topics.Select(t => t.Name));
                Assert.All(r.Topics.Take(2), t =>
                {
                    Assert.Equal(UnknownTopicOrPartition, t.ErrorCode);
                    Assert.Equal(Guid.Empty, t.TopicId);
                    Assert.Empty(t.Partitions);
                });
                Assert.Equal(VirtualId("topic-a"), r.Topics[2].TopicId);
            }),
        Probe.Of<DescribeTopicPartitionsResponse>(
            "partitions of every topic",
            new DescribeTopicPartitionsRequest(),
            version,
            r => Assert.Equal(Aliases, r.Topics.Select(t => t.Name))),
    ];
}
