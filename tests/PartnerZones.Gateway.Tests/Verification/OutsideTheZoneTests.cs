using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.Gateway.Policy;
using PartnerZones.Gateway.Tests.Security;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>
/// On one upstream node and on three, through every gateway broker port (not only the bootstrap port the
/// generated isolation rows use): the backing topic's real name is unknown to Metadata, Produce, Fetch,
/// ListOffsets and OffsetCommit; Fetch by an alias's virtual id returns the alias's records while the
/// backing topic's id and another zone's virtual id for the same alias name are UNKNOWN_TOPIC_ID; and a
/// second zone on the same gateway cannot list, describe, read, commit to or delete the first zone's group.
/// </summary>
[Collection(VerificationCollection.Name)]
public sealed class OutsideTheZoneTests
{
    private const short UnknownTopicId = 100;
    private const int Count = 30;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Fetch_by_virtual_id_works_on_the_leaders_port_and_foreign_ids_are_unknown(int nodes)
    {
        await using var gateway = await TwoZoneGateway.StartAsync(nodes, autoCreateTopics: false, createBackingTopic: true);
        var marker = await ProduceAsync(gateway);

        await using var bootstrap = await PartnerAsync(gateway.Gateway.BootstrapServers);
        var fetchVersion = Assert.Single((await bootstrap.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 3)).ApiKeys, k => k.ApiKey == FetchRequest.Key).MaxVersion;
        Assert.True(fetchVersion >= 13, $"Fetch by topic id needs v13; the partner is offered up to v{fetchVersion}.");
        var metadata = await bootstrap.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);
        var readAlias = Assert.Single(metadata.Topics, t => t.Name == "topic-b");
        Assert.Equal(ZonePolicy.VirtualIdFor(GatewayFixture.ZoneName, "topic-b"), readAlias.TopicId);

        Guid backingId;
        await using (var direct = await KafkaWireClient.ConnectAsync(gateway.Cluster.EndPoints[0]))
        {
            var upstream = await direct.SendAsync<MetadataResponse>(new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = GatewayFixture.BackingTopic }] }, 12);
            backingId = Assert.Single(upstream.Topics).TopicId;
        }

        // The other zone calls the same backing topic "topic-a" too; its id is a different one.
        var foreignIds = new[] { backingId, ZonePolicy.VirtualIdFor(TwoZoneGateway.OtherZone, "topic-a"), Guid.NewGuid() };
        Assert.DoesNotContain(readAlias.TopicId, foreignIds);

        var highWatermarks = 0L;
        foreach (var partition in readAlias.Partitions)
        {
            await using var leader = await PartnerAsync($"127.0.0.1:{gateway.GatewayPort(partition.LeaderId)}");
            var own = Assert.Single(Assert.Single((await leader.SendAsync<FetchResponse>(Fetch(readAlias.TopicId, partition.PartitionIndex), fetchVersion)).Responses).Partitions);
            Assert.Equal(0, own.ErrorCode);
            highWatermarks += own.HighWatermark;
            if (own.HighWatermark > 0)
            {
                Assert.True(own.Records is { Length: > 0 } records && records.Span.IndexOf(marker) >= 0, $"Fetch by topic-b's id on partition {partition.PartitionIndex} returned no records.");
            }

            foreach (var id in foreignIds)
            {
                var answer = Assert.Single(Assert.Single((await leader.SendAsync<FetchResponse>(Fetch(id, partition.PartitionIndex), fetchVersion)).Responses).Partitions);
                Assert.Equal(UnknownTopicId, answer.ErrorCode);
                Assert.True(answer.Records is null || answer.Records.Value.IsEmpty, $"Fetch by foreign id {id} returned records.");
            }
        }

        Assert.Equal(Count, highWatermarks);

        var byId = await bootstrap.SendAsync<MetadataResponse>(new MetadataRequest { Topics = [.. foreignIds.Select(id => new MetadataRequest.MetadataRequestTopic { TopicId = id })] }, 12);
        Assert.All(byId.Topics, t => Assert.Equal(UnknownTopicId, t.ErrorCode));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task The_backing_topic_name_is_unknown_to_every_data_api_on_every_broker_port(int nodes)
    {
        await using var gateway = await TwoZoneGateway.StartAsync(nodes, autoCreateTopics: false, createBackingTopic: true);
        await ProduceAsync(gateway);
        const string Name = GatewayFixture.BackingTopic;
        const short Unknown = IsolationProbes.UnknownTopicOrPartition;

        var ports = gateway.Gateway.Runtime.Brokers.NodeIds.Select(gateway.GatewayPort).ToList();
        Assert.Equal(nodes, ports.Count);
        foreach (var port in ports)
        {
            await using var client = await PartnerAsync($"127.0.0.1:{port}");
            var where = $"gateway port {port}";

            var metadata = await client.SendAsync<MetadataResponse>(new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = Name }], AllowAutoTopicCreation = true }, 12);
            Assert.Equal(Unknown, Assert.Single(metadata.Topics).ErrorCode);

            var produce = await client.SendAsync<ProduceResponse>(new ProduceRequest
            {
                Acks = -1,
                TimeoutMs = 5000,
                TopicData = [new ProduceRequest.TopicProduceData { Name = Name, PartitionData = [.. Partitions().Select(p => new ProduceRequest.PartitionProduceData { Index = p, Records = OneRecord() })] }],
            }, 9);
            Assert.All(Assert.Single(produce.Responses).PartitionResponses, p => Assert.True(p.ErrorCode == Unknown, $"{where}: Produce answered {p.ErrorCode}"));

            var fetch = await client.SendAsync<FetchResponse>(new FetchRequest
            {
                MaxWaitMs = 0,
                MinBytes = 1,
                MaxBytes = 1024 * 1024,
                Topics = [new FetchRequest.FetchTopic { Topic = Name, Partitions = [.. Partitions().Select(p => new FetchRequest.FetchPartition { Partition = p, PartitionMaxBytes = 1024 * 1024 })] }],
            }, 12);
            Assert.All(Assert.Single(fetch.Responses).Partitions, p =>
            {
                Assert.True(p.ErrorCode == Unknown, $"{where}: Fetch answered {p.ErrorCode}");
                Assert.True(p.Records is null || p.Records.Value.IsEmpty, $"{where}: Fetch returned records");
            });

            var offsets = await client.SendAsync<ListOffsetsResponse>(new ListOffsetsRequest
            {
                ReplicaId = -1,
                Topics = [new ListOffsetsRequest.ListOffsetsTopic { Name = Name, Partitions = [.. Partitions().Select(p => new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = p, Timestamp = -1 })] }],
            }, 7);
            Assert.All(Assert.Single(offsets.Topics).Partitions, p => Assert.True(p.ErrorCode == Unknown, $"{where}: ListOffsets answered {p.ErrorCode}"));

            var commit = await client.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
            {
                GroupId = "name-probe",
                GenerationIdOrMemberEpoch = -1,
                MemberId = "",
                Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic { Name = Name, Partitions = [.. Partitions().Select(p => new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = p, CommittedOffset = 1 })] }],
            }, 8);
            Assert.All(Assert.Single(commit.Topics).Partitions, p => Assert.True(p.ErrorCode == Unknown, $"{where}: OffsetCommit answered {p.ErrorCode}"));
        }

        // Nothing reached the backing topic or its groups.
        Assert.Equal(Count, ReferenceClient.ReadAll(gateway.Upstream, GatewayFixture.BackingTopic).Count);
        using var upstreamAdmin = new AdminClientBuilder(gateway.Upstream.Config<AdminClientConfig>()).Build();
        Assert.DoesNotContain((await upstreamAdmin.ListConsumerGroupsAsync()).Valid, g => g.GroupId.EndsWith("name-probe", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Another_zone_cannot_list_describe_read_commit_to_or_delete_a_zones_group(int nodes)
    {
        await using var gateway = await TwoZoneGateway.StartAsync(nodes, autoCreateTopics: false, createBackingTopic: true);
        const string Group = "shared-group-name";
        var upstreamGroup = $"pz.{GatewayFixture.ZoneName}.{Group}";
        var partitions = Partitions().Select(p => new TopicPartition("topic-a", p)).ToList();

        // johndoe's group commits offsets 5, 6, 7 on topic-a.
        Commit(gateway.Partner, Group, partitions.Select(tp => new TopicPartitionOffset(tp, 5 + tp.Partition.Value)));
        Assert.Equal(18, await ReferenceClient.CommittedTotalAsync(gateway.Upstream, upstreamGroup, GatewayFixture.BackingTopic));

        // janedoe, whose zone also has a topic-a, uses the same group name.
        using (var other = new AdminClientBuilder(gateway.OtherPartner.Config<AdminClientConfig>()).Build())
        {
            Assert.DoesNotContain((await other.ListConsumerGroupsAsync()).Valid, g => g.GroupId.Contains(Group, StringComparison.Ordinal));
            var described = Assert.Single((await other.DescribeConsumerGroupsAsync([Group])).ConsumerGroupDescriptions);
            Assert.Empty(described.Members);
            Assert.True(described.State is ConsumerGroupState.Dead or ConsumerGroupState.Unknown, $"janedoe sees the group as {described.State}");
            var offsets = Assert.Single(await other.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(Group, partitions)]));
            Assert.All(offsets.Partitions, p => Assert.Equal(Offset.Unset, p.Offset));
            var deleted = await Assert.ThrowsAsync<DeleteGroupsException>(() => other.DeleteGroupsAsync([Group]));
            Assert.NotEqual(ErrorCode.NoError, Assert.Single(deleted.Results).Error.Code);
        }

        // janedoe's commit under that name lands in its own zone's group.
        Commit(gateway.OtherPartner, Group, partitions.Select(tp => new TopicPartitionOffset(tp, 1)));
        Assert.Equal(3, await ReferenceClient.CommittedTotalAsync(gateway.Upstream, $"pz.{TwoZoneGateway.OtherZone}.{Group}", GatewayFixture.BackingTopic));

        // johndoe's group is where it was, and still its own.
        Assert.Equal(18, await ReferenceClient.CommittedTotalAsync(gateway.Upstream, upstreamGroup, GatewayFixture.BackingTopic));
        using var partner = new AdminClientBuilder(gateway.Partner.Config<AdminClientConfig>()).Build();
        Assert.Equal([Group], (await partner.ListConsumerGroupsAsync()).Valid.Select(g => g.GroupId));
    }

    private static void Commit(KafkaEndpoint endpoint, string group, IEnumerable<TopicPartitionOffset> offsets)
    {
        var config = endpoint.Config<ConsumerConfig>();
        config.GroupId = group;
        config.EnableAutoCommit = false;
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Commit(offsets);
        consumer.Close();
    }

    /// <summary>Count records through the partner's write alias, spread over every partition; returns their marker.</summary>
    private static async Task<byte[]> ProduceAsync(TwoZoneGateway gateway)
    {
        var marker = $"outside-zone-{Guid.NewGuid():N}";
        var config = gateway.Partner.Config<ProducerConfig>();
        config.Acks = Acks.All;
        using var producer = new ProducerBuilder<string, string>(config).Build();
        for (var i = 0; i < Count; i++)
        {
            var delivered = await producer.ProduceAsync(new TopicPartition("topic-a", i % GatewayFixture.BackingPartitions), new Message<string, string> { Key = $"k{i}", Value = $"{marker}-{i}" });
            Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        }

        return Encoding.UTF8.GetBytes(marker);
    }

    private static async Task<KafkaWireClient> PartnerAsync(string hostPort)
    {
        var client = await KafkaWireClient.ConnectAsync(hostPort, "verification");
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        return client;
    }

    private static FetchRequest Fetch(Guid topicId, int partition) => new()
    {
        MaxWaitMs = 0,
        MinBytes = 1,
        MaxBytes = 1024 * 1024,
        Topics = [new FetchRequest.FetchTopic { TopicId = topicId, Partitions = [new FetchRequest.FetchPartition { Partition = partition, FetchOffset = 0, PartitionMaxBytes = 1024 * 1024 }] }],
    };

    private static IEnumerable<int> Partitions() => Enumerable.Range(0, GatewayFixture.BackingPartitions);

    private static byte[] OneRecord()
    {
        var batch = new Protocol.Records.RecordBatch
        {
            BaseTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Records = [new Protocol.Records.Record { Key = "probe"u8.ToArray(), Value = "written by its real name"u8.ToArray() }],
        };
        batch.UpdateSummaryFields();
        return batch.ToArray();
    }
}
