using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Security;
using PartnerZones.Gateway.Tests.Security;
using PartnerZones.Protocol.Messages;
using PartnerZones.Resources;
using PartnerZones.Testing;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>
/// Config changes (AlterConfigs, IncrementalAlterConfigs) and the ACL APIs (DescribeAcls, CreateAcls,
/// DeleteAcls). The embedded cluster serves none of them, so in front of it the gateway does not offer
/// them and the generated isolation rows can only see a closed connection. Here the upstream is a
/// scripted broker that advertises them all, as Apache Kafka does: the partner is offered them, and every
/// version is answered by the gateway itself with the matching authorization error — for topics
/// (the zone's own alias included) TOPIC_AUTHORIZATION_FAILED, otherwise CLUSTER_AUTHORIZATION_FAILED —
/// and never reaches the upstream.
/// </summary>
public sealed class ConfigAndAclRefusalTests
{
    private const short TopicAuthorizationFailed = 29;
    private const short ClusterAuthorizationFailed = 31;
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;

    private static readonly short[] Keys =
    [
        AlterConfigsRequest.Key, IncrementalAlterConfigsRequest.Key, DescribeAclsRequest.Key, CreateAclsRequest.Key, DeleteAclsRequest.Key,
    ];

    [Fact]
    public async Task Every_version_is_refused_by_the_gateway_with_the_matching_authorization_error()
    {
        await using var upstream = AdvertisingUpstream();
        await using var stateCluster = await EmbeddedKafka.EmbeddedCluster.StartAsync(new EmbeddedKafka.ClusterOptions());
        await using var gateway = await StartGatewayAsync(upstream, stateCluster.BootstrapServers);

        await using var client = await KafkaWireClient.ConnectAsync(gateway.BootstrapServers, "config-acl-test");
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        var offer = (await client.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 3)).ApiKeys.ToDictionary(k => k.ApiKey);

        var answered = 0;
        foreach (var key in Keys)
        {
            Assert.True(offer.TryGetValue(key, out var range), $"API key {key} is served upstream but not offered to the partner.");
            for (var version = range.MinVersion; version <= range.MaxVersion; version++)
            {
                var where = $"{KafkaWireClient.Describe(key, version)}";
                switch (key)
                {
                    case AlterConfigsRequest.Key:
                        var altered = await client.SendAsync<AlterConfigsResponse>(new AlterConfigsRequest
                        {
                            Resources =
                            [
                                new AlterConfigsRequest.AlterConfigsResource { ResourceType = TopicResource, ResourceName = "topic-a", Configs = [new AlterConfigsRequest.AlterableConfig { Name = "retention.ms", Value = "1" }] },
                                new AlterConfigsRequest.AlterConfigsResource { ResourceType = TopicResource, ResourceName = GatewayFixture.BackingTopic, Configs = [new AlterConfigsRequest.AlterableConfig { Name = "retention.ms", Value = "1" }] },
                                new AlterConfigsRequest.AlterConfigsResource { ResourceType = BrokerResource, ResourceName = "0", Configs = [new AlterConfigsRequest.AlterableConfig { Name = "log.retention.ms", Value = "1" }] },
                            ],
                        }, version);
                        Assert.Equal([TopicAuthorizationFailed, TopicAuthorizationFailed, ClusterAuthorizationFailed], altered.Responses.Select(r => r.ErrorCode));
                        break;
                    case IncrementalAlterConfigsRequest.Key:
                        var incremental = await client.SendAsync<IncrementalAlterConfigsResponse>(new IncrementalAlterConfigsRequest
                        {
                            Resources =
                            [
                                new IncrementalAlterConfigsRequest.AlterConfigsResource { ResourceType = TopicResource, ResourceName = "topic-a", Configs = [new IncrementalAlterConfigsRequest.AlterableConfig { Name = "retention.ms", ConfigOperation = 0, Value = "1" }] },
                                new IncrementalAlterConfigsRequest.AlterConfigsResource { ResourceType = BrokerResource, ResourceName = "0", Configs = [new IncrementalAlterConfigsRequest.AlterableConfig { Name = "log.retention.ms", ConfigOperation = 0, Value = "1" }] },
                            ],
                        }, version);
                        Assert.Equal([TopicAuthorizationFailed, ClusterAuthorizationFailed], incremental.Responses.Select(r => r.ErrorCode));
                        break;
                    case DescribeAclsRequest.Key:
                        var described = await client.SendAsync<DescribeAclsResponse>(new DescribeAclsRequest { ResourceTypeFilter = 1, Operation = 1, PermissionType = 1 }, version);
                        Assert.Equal(ClusterAuthorizationFailed, described.ErrorCode);
                        Assert.Empty(described.Resources);
                        break;
                    case CreateAclsRequest.Key:
                        var created = await client.SendAsync<CreateAclsResponse>(new CreateAclsRequest
                        {
                            Creations =
                            [
                                new CreateAclsRequest.AclCreation { ResourceType = TopicResource, ResourceName = GatewayFixture.BackingTopic, Principal = "User:johndoe", Host = "*", Operation = 2, PermissionType = 3 },
                                new CreateAclsRequest.AclCreation { ResourceType = TopicResource, ResourceName = "topic-a", Principal = "User:johndoe", Host = "*", Operation = 2, PermissionType = 3 },
                            ],
                        }, version);
                        Assert.Equal([ClusterAuthorizationFailed, ClusterAuthorizationFailed], created.Results.Select(r => r.ErrorCode));
                        break;
                    case DeleteAclsRequest.Key:
                        var deleted = await client.SendAsync<DeleteAclsResponse>(new DeleteAclsRequest
                        {
                            Filters = [new DeleteAclsRequest.DeleteAclsFilter { ResourceTypeFilter = 1, Operation = 1, PermissionType = 1 }],
                        }, version);
                        var result = Assert.Single(deleted.FilterResults);
                        Assert.Equal(ClusterAuthorizationFailed, result.ErrorCode);
                        Assert.Empty(result.MatchingAcls);
                        break;
                }

                answered++;
            }
        }

        // Every version of all five APIs was answered (a refusal per version, not per API), and none of
        // them was passed on: the upstream only ever saw the gateway's own discovery and metadata.
        // 4 + 4 + 4 versions of the ACL APIs, 3 of AlterConfigs, 2 of IncrementalAlterConfigs.
        Assert.Equal(17, answered);
        Assert.DoesNotContain(upstream.Received, call => Keys.Contains(call.ApiKey));
    }

    /// <summary>A one-broker upstream that advertises the config and ACL APIs next to Metadata but answers
    /// only the scripted broker's built-in discovery (ApiVersions, Metadata, FindCoordinator,
    /// DescribeCluster); anything else ends the connection. It records every request.</summary>
    private static ScriptedBroker AdvertisingUpstream()
    {
        var upstream = new ScriptedBroker { ClusterId = "advertising-upstream" };
        upstream.Advertise(MetadataRequest.Key, 1, 12);
        upstream.Advertise(DescribeAclsRequest.Key, 0, 3);
        upstream.Advertise(CreateAclsRequest.Key, 0, 3);
        upstream.Advertise(DeleteAclsRequest.Key, 0, 3);
        upstream.Advertise(AlterConfigsRequest.Key, 0, 2);
        upstream.Advertise(IncrementalAlterConfigsRequest.Key, 0, 1);
        return upstream;
    }

    private static async Task<GatewayHost> StartGatewayAsync(ScriptedBroker upstream, string stateCluster)
    {
        var zone = Assert.Single(PartnerZoneReader.ReadAll(GatewayFixture.ExampleZone, "example"));
        var state = new GatewayState(
            [zone],
            [new ServiceAccount { Metadata = new ResourceMetadata { Name = "johndoe" }, Spec = new ServiceAccountSpec { Type = "PARTNER" } }],
            [new PartnerZones.Gateway.Configuration.Credential { Metadata = new ResourceMetadata { Name = "johndoe-1" }, Spec = new CredentialSpec { ServiceAccount = "johndoe", SecretHash = SecretHash.Hash(GatewayFixture.PartnerSecret) } }]);
        for (var attempt = 1; ; attempt++)
        {
            var basePort = LoopbackPorts.FreeRange(2);
            try
            {
                return await GatewayHost.StartAsync(new GatewayConfig
                {
                    Spec = new GatewaySpec
                    {
                        Upstream = new UpstreamConfig { BootstrapServers = $"{upstream.EndPoint}" },
                        Listener = new ListenerConfig { Host = "127.0.0.1", BootstrapPort = basePort, BrokerPortBase = basePort + 1 },
                        // The scripted broker speaks only what it must; the gateway's state lives in a real cluster.
                        State = new StateConfig { Cluster = new UpstreamConfig { BootstrapServers = stateCluster } },
                    },
                }, state);
            }
            catch (IOException) when (attempt < 5)
            {
                // A port taken between the check and the bind.
            }
        }
    }
}
