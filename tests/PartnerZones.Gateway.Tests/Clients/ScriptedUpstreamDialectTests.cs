using Confluent.Kafka;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Security;
using PartnerZones.Gateway.Tests.StateSharing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Resources;
using PartnerZones.Testing.KafkaWire;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// The gateway in front of a broker that is real except for one answer: a <see cref="ScriptedBroker"/>
/// relaying to an embedded cluster. Other Kafka-protocol brokers answer what Apache Kafka's protocol
/// allows in ways the embedded cluster never does (a coordinator that is loading or has moved), and the
/// gateway and its partners' clients must carry on.
/// </summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class ScriptedUpstreamDialectTests
{
    private const short CoordinatorLoadInProgress = 14;
    private const short NotCoordinator = 16;
    private const int Count = 30;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The control for the tests below: through the relay a real client reaches every node (each
    /// behind a port of the relay, never the real one), and only the scripted change shows.</summary>
    [Fact]
    public async Task The_relay_serves_a_real_client_on_every_node_through_its_own_ports_and_withholds_what_it_is_told()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 3 });
        var leaders = await ReferenceClient.CreateTopicAsync(new KafkaEndpoint(cluster.BootstrapServers), "relayed", partitions: 3);
        await using var relay = new ScriptedBroker(relayTo: cluster.EndPoints[0]);
        relay.Withhold(DescribeProducersRequest.Key);
        var realPorts = cluster.EndPoints.Select(e => e.Port).ToHashSet();

        await using (var wire = await KafkaWireClient.ConnectAsync(relay.EndPoint))
        {
            var offer = await wire.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 3);
            Assert.DoesNotContain(offer.ApiKeys, k => k.ApiKey == DescribeProducersRequest.Key);
            Assert.Contains(offer.ApiKeys, k => k.ApiKey == ProduceRequest.Key);

            var metadata = await wire.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);
            Assert.Equal([0, 1, 2], metadata.Brokers.Select(b => b.NodeId).Order());
            Assert.All(metadata.Brokers, b => Assert.DoesNotContain(b.Port, realPorts));
            var coordinator = await wire.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { CoordinatorKey = "relayed-group" }, 3);
            Assert.Equal(0, coordinator.ErrorCode);
            Assert.Contains(coordinator.Port, metadata.Brokers.Select(b => b.Port));
        }

        var relayed = new KafkaEndpoint(relay.BootstrapServers);
        ReferenceClient.Produce(relayed, "relayed", "through", Count);
        var records = ReferenceClient.ReadAll(relayed, "relayed");
        RecordChecks.AssertComplete(records, "through", Count);
        RecordChecks.AssertEveryNodeLed(records, leaders, nodes: 3);
        Assert.Equal(3, relay.Received.Select(c => c.ListenPort).Distinct().Count());
        Assert.Empty(relay.Failures);
    }

    /// <summary>A group coordinator still loading its offsets (Kafka's COORDINATOR_LOAD_IN_PROGRESS, which
    /// the embedded cluster never says): the partner's consumer retries and resumes exactly where its group
    /// committed — nothing read twice, nothing skipped.</summary>
    [Fact]
    public async Task A_consumer_resumes_from_its_commits_when_the_coordinator_is_loading_at_first()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 3 });
        var direct = new KafkaEndpoint(cluster.BootstrapServers);
        await ReferenceClient.CreateTopicAsync(direct, GatewayFixture.BackingTopic, GatewayFixture.BackingPartitions);
        await using var upstream = new ScriptedBroker(relayTo: cluster.EndPoints[0]);
        var refusals = RefuseOffsetFetch(upstream, CoordinatorLoadInProgress);

        await using var gateway = await StartGatewayAsync(cluster, upstream);
        var partner = new KafkaEndpoint(gateway.BootstrapServers, new SaslPlain("johndoe", GatewayFixture.PartnerSecret));
        const string Group = "dialect-resume";
        ReferenceClient.Produce(direct, GatewayFixture.BackingTopic, "first", Count);
        Assert.Equal(Values("first"), ConsumeAndCommit(partner, Group, []));

        // The next consumer of the group asks where to resume: the first two answers are refusals, which
        // librdkafka may report to the application (as against Kafka itself) before it retries.
        ReferenceClient.Produce(direct, GatewayFixture.BackingTopic, "second", Count);
        refusals.Arm(2);
        var reported = new List<Error>();
        Assert.Equal(Values("second"), ConsumeAndCommit(partner, Group, reported));
        Assert.Equal(2, refusals.Given);
        Assert.All(reported, e => Assert.Equal((ErrorCode)CoordinatorLoadInProgress, e.Code));
        Assert.Empty(upstream.Failures);
    }

    /// <summary>A coordinator that has moved (NOT_COORDINATOR) is the partner's to handle, as with Kafka:
    /// the gateway passes the error on for the partner's group, unchanged, and the partner's next request
    /// gets the committed offsets. (librdkafka, asked this by a broker that remains the coordinator, waits
    /// for a rebalance instead of asking again, so this is spoken at the wire.)</summary>
    [Fact]
    public async Task A_coordinator_that_moved_reaches_the_partner_as_NOT_COORDINATOR_and_the_next_fetch_is_answered()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await ReferenceClient.CreateTopicAsync(new KafkaEndpoint(cluster.BootstrapServers), GatewayFixture.BackingTopic, GatewayFixture.BackingPartitions);
        await using var upstream = new ScriptedBroker(relayTo: cluster.EndPoints[0]);
        var refusals = RefuseOffsetFetch(upstream, NotCoordinator);
        await using var gateway = await StartGatewayAsync(cluster, upstream);
        await using var partner = await KafkaWireClient.ConnectAsync(gateway.BootstrapServers);
        await partner.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        const string Group = "dialect-moved";

        var committed = await partner.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = Group,
            GenerationIdOrMemberEpoch = -1,
            MemberId = "",
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic
            {
                Name = ZoneExpectations.WriteAlias,
                Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 5 }],
            }],
        }, 8);
        Assert.Equal(0, Assert.Single(Assert.Single(committed.Topics).Partitions).ErrorCode);

        var fetch = new OffsetFetchRequest
        {
            Groups = [new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = Group, Topics = [new() { Name = ZoneExpectations.WriteAlias, PartitionIndexes = [0] }] }],
        };
        refusals.Arm(1);
        var refused = Assert.Single((await partner.SendAsync<OffsetFetchResponse>(fetch, 8)).Groups);
        Assert.Equal((Group, NotCoordinator), (refused.GroupId, refused.ErrorCode));
        Assert.Equal(1, refusals.Given);

        var answered = Assert.Single((await partner.SendAsync<OffsetFetchResponse>(fetch, 8)).Groups);
        Assert.Equal(0, answered.ErrorCode);
        Assert.Equal(5, Assert.Single(Assert.Single(answered.Topics).Partitions).CommittedOffset);
        Assert.Empty(upstream.Failures);
    }

    /// <summary>The gateway's own bookkeeping in front of another broker's dialect: a group on both aliases
    /// of one backing topic keeps the second alias's offsets in a shadow group the gateway asks about itself.
    /// This broker answers a shadow group that never committed with GROUP_ID_NOT_FOUND (Apache Kafka answers
    /// -1 offsets), and the first time each shadow group is asked about it is loading and then has moved.
    /// A real consumer on both aliases reads every record once per alias, sees none of those errors, and the
    /// next consumer of the group resumes exactly after them.</summary>
    [Fact]
    public async Task A_group_on_two_aliases_reads_everything_when_the_broker_answers_its_shadow_groups_in_another_dialect()
    {
        const short GroupIdNotFound = 69;
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        var direct = new KafkaEndpoint(cluster.BootstrapServers);
        await ReferenceClient.CreateTopicAsync(direct, GatewayFixture.BackingTopic, GatewayFixture.BackingPartitions);
        await using var upstream = new ScriptedBroker(relayTo: cluster.EndPoints[0]);
        var refused = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var notFound = 0;
        upstream.Answer(OffsetFetchRequest.Key, async call =>
        {
            var request = (OffsetFetchRequest)call.Request!;
            var shadow = call.ApiVersion >= 8
                ? request.Groups.Select(g => g.GroupId).FirstOrDefault(g => g.StartsWith("pz~", StringComparison.Ordinal))
                : request.GroupId.StartsWith("pz~", StringComparison.Ordinal) ? request.GroupId : null;
            if (shadow is null)
            {
                return ScriptedReply.Default;
            }

            // First loading, then moved; from the third time on, the real answer in this broker's dialect.
            var asked = refused.AddOrUpdate(shadow, 1, (_, n) => n + 1);
            if (asked <= 2)
            {
                return ScriptedReply.With(Refusal(request, call.ApiVersion, asked == 1 ? CoordinatorLoadInProgress : NotCoordinator));
            }

            var answer = await call.ForwardAsync<OffsetFetchResponse>();
            foreach (var group in answer.Groups.Where(g => g.GroupId.StartsWith("pz~", StringComparison.Ordinal)))
            {
                if (group.ErrorCode == 0 && group.Topics.SelectMany(t => t.Partitions).All(p => p.CommittedOffset < 0))
                {
                    (group.ErrorCode, group.Topics) = (GroupIdNotFound, []);
                    Interlocked.Increment(ref notFound);
                }
            }

            if (call.ApiVersion < 8 && answer.ErrorCode == 0 && answer.Topics.SelectMany(t => t.Partitions).All(p => p.CommittedOffset < 0))
            {
                (answer.ErrorCode, answer.Topics) = (GroupIdNotFound, []);
                Interlocked.Increment(ref notFound);
            }

            return ScriptedReply.With(answer);
        });

        await using var gateway = await StartGatewayAsync(cluster, upstream);

        // At the wire first: a group that never committed, asked about both aliases, is simply without
        // offsets for the partner; the shadow group's loading, moving and GROUP_ID_NOT_FOUND stay inside.
        await using (var wire = await KafkaWireClient.ConnectAsync(gateway.BootstrapServers))
        {
            await wire.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
            foreach (var version in new short[] { 8, 7 })
            {
                var group = $"dialect-fresh-v{version}";
                var response = await wire.SendAsync<OffsetFetchResponse>(version >= 8
                    ? new OffsetFetchRequest { Groups = [new() { GroupId = group, Topics = [new() { Name = ZoneExpectations.WriteAlias, PartitionIndexes = [0] }, new() { Name = ZoneExpectations.ReadAlias, PartitionIndexes = [0] }] }] }
                    : new OffsetFetchRequest { GroupId = group, Topics = [new() { Name = ZoneExpectations.WriteAlias, PartitionIndexes = [0] }, new() { Name = ZoneExpectations.ReadAlias, PartitionIndexes = [0] }] },
                    version);
                var (error, partitions) = version >= 8
                    ? (Assert.Single(response.Groups).ErrorCode, response.Groups[0].Topics.SelectMany(t => t.Partitions).Select(p => (p.ErrorCode, p.CommittedOffset)).ToList())
                    : (response.ErrorCode, response.Topics.SelectMany(t => t.Partitions).Select(p => (p.ErrorCode, p.CommittedOffset)).ToList());
                Assert.Equal(0, error);
                Assert.Equal([(0, -1L), (0, -1L)], partitions.Select(p => ((int)p.ErrorCode, p.CommittedOffset)));
            }
        }

        var partner = new KafkaEndpoint(gateway.BootstrapServers, new SaslPlain("johndoe", GatewayFixture.PartnerSecret));
        const string Group = "dialect-two-aliases";
        ReferenceClient.Produce(direct, GatewayFixture.BackingTopic, "first", Count);
        var reported = new List<Error>();
        Assert.Equal(Twice(Values("first")), ConsumeAndCommit(partner, Group, reported, [ZoneExpectations.WriteAlias, ZoneExpectations.ReadAlias]));

        ReferenceClient.Produce(direct, GatewayFixture.BackingTopic, "second", Count);
        Assert.Equal(Twice(Values("second")), ConsumeAndCommit(partner, Group, reported, [ZoneExpectations.WriteAlias, ZoneExpectations.ReadAlias]));

        Assert.Empty(reported);
        Assert.True(Volatile.Read(ref notFound) > 0, "The broker never answered GROUP_ID_NOT_FOUND: the dialect was not exercised.");
        Assert.Contains(refused.Values, n => n > 2);
        Assert.Empty(upstream.Failures);
    }

    private static List<string> Twice(List<string> values) => [.. values.Concat(values).Order(StringComparer.Ordinal)];

    /// <summary>Scripts <paramref name="upstream"/> to refuse the next OffsetFetch requests (as many as
    /// armed) with <paramref name="error"/>; every other one gets the real answer.</summary>
    private static Refusals RefuseOffsetFetch(ScriptedBroker upstream, short error)
    {
        var refusals = new Refusals();
        upstream.Answer<OffsetFetchRequest>((request, version) => refusals.Take() ? Refusal(request, version, error) : null);
        return refusals;
    }

    private static async Task<GatewayHost> StartGatewayAsync(EmbeddedCluster cluster, ScriptedBroker upstream)
    {
        var (gateway, _) = await GatewayInstance.StartAsync(cluster, ExampleZone(), spec => spec with
        {
            Upstream = new UpstreamConfig { BootstrapServers = upstream.BootstrapServers },
            // The gateway's own state stays out of the dialect under test.
            State = new StateConfig { Cluster = new UpstreamConfig { BootstrapServers = cluster.BootstrapServers } },
        });
        return gateway;
    }

    /// <summary>The refusal as the request's version carries it: per group from v8, for the whole request
    /// in v2–v7, per partition before.</summary>
    private static OffsetFetchResponse Refusal(OffsetFetchRequest request, short version, short error) => version switch
    {
        >= 8 => new OffsetFetchResponse
        {
            Groups = [.. request.Groups.Select(g => new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = g.GroupId, ErrorCode = error })],
        },
        >= 2 => new OffsetFetchResponse { ErrorCode = error },
        _ => new OffsetFetchResponse
        {
            Topics = [.. (request.Topics ?? []).Select(t => new OffsetFetchResponse.OffsetFetchResponseTopic
            {
                Name = t.Name,
                Partitions = [.. t.PartitionIndexes.Select(p => new OffsetFetchResponse.OffsetFetchResponsePartition { PartitionIndex = p, CommittedOffset = -1, ErrorCode = error })],
            })],
        },
    };

    /// <summary>Reads topic-a in the group until <see cref="Count"/> records came, commits and leaves;
    /// returns the values read, sorted. Errors the client reports and recovers from go to
    /// <paramref name="reported"/>.</summary>
    private static List<string> ConsumeAndCommit(KafkaEndpoint partner, string group, List<Error> reported) =>
        ConsumeAndCommit(partner, group, reported, [ZoneExpectations.WriteAlias]);

    /// <summary>As above, subscribed to <paramref name="aliases"/>: every record once per alias.</summary>
    private static List<string> ConsumeAndCommit(KafkaEndpoint partner, string group, List<Error> reported, string[] aliases)
    {
        var config = partner.Config<ConsumerConfig>();
        config.GroupId = group;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.EnableAutoCommit = false;
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(aliases);
        var values = new List<string>();
        var deadline = DateTime.UtcNow + Patience;
        while (values.Count < Count * aliases.Length && DateTime.UtcNow < deadline)
        {
            if (Consume(consumer, TimeSpan.FromMilliseconds(500), reported) is { } value)
            {
                values.Add(value);
            }
        }

        // Anything beyond the expected records would be a re-delivery: give it a moment to show.
        if (Consume(consumer, TimeSpan.FromSeconds(1), reported) is { } extra)
        {
            values.Add(extra);
        }

        consumer.Commit();
        consumer.Close();
        return [.. values.Order(StringComparer.Ordinal)];
    }

    private static string? Consume(IConsumer<string, string> consumer, TimeSpan timeout, List<Error> reported)
    {
        try
        {
            return consumer.Consume(timeout) is { IsPartitionEOF: false } result ? result.Message.Value : null;
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            reported.Add(e.Error);
            return null;
        }
    }

    private static List<string> Values(string prefix) =>
        [.. Enumerable.Range(0, Count).Select(i => RecordChecks.Value(prefix, i)).Order(StringComparer.Ordinal)];

    private static GatewayState ExampleZone() => new(
        [Assert.Single(PartnerZoneReader.ReadAll(GatewayFixture.ExampleZone, "example"))],
        [new ServiceAccount { Metadata = new ResourceMetadata { Name = "johndoe" }, Spec = new ServiceAccountSpec { Type = "PARTNER" } }],
        [new PartnerZones.Gateway.Configuration.Credential { Metadata = new ResourceMetadata { Name = "johndoe-1" }, Spec = new CredentialSpec { ServiceAccount = "johndoe", SecretHash = SecretHash.Hash(GatewayFixture.PartnerSecret) } }]);

    /// <summary>How many refusals a script still owes, and how many it gave.</summary>
    private sealed class Refusals
    {
        private int _left;
        private int _given;

        public int Given => Volatile.Read(ref _given);

        public void Arm(int count) => Interlocked.Exchange(ref _left, count);

        public bool Take()
        {
            if (Interlocked.Decrement(ref _left) < 0)
            {
                Interlocked.Exchange(ref _left, 0);
                return false;
            }

            Interlocked.Increment(ref _given);
            return true;
        }
    }
}
