using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Security;
using PartnerZones.Gateway.Tests.Admin;
using PartnerZones.Resources;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.StateSharing;

/// <summary>The configuration file seeds the state topic, and wins at start-up for what it defines; a
/// credential revoked through the API stays revoked.</summary>
public sealed class SeedFileTests
{
    private const string FileSecret = "file-defined-secret-0123456789";

    [Fact]
    public async Task The_file_wins_for_what_it_defines_and_revocations_stay()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        var zone = Assert.Single(PartnerZoneReader.ReadAll(GatewayFixture.ExampleZone, "seed"));
        var seed = new GatewayState(
            [zone],
            [new ServiceAccount { Metadata = new ResourceMetadata { Name = "johndoe" } }],
            [new PartnerZones.Gateway.Configuration.Credential { Metadata = new ResourceMetadata { Name = "johndoe-file" }, Spec = new CredentialSpec { ServiceAccount = "johndoe", SecretHash = SecretHash.Hash(FileSecret) } }]);

        var (first, http) = await GatewayInstance.StartAsync(cluster, seed);
        await using (first)
        {
            Assert.NotNull(first.Runtime.State.Zone(GatewayFixture.ZoneName));
            using var api = AdminApi.For(http);
            // Changed through the API: the file's version comes back at the next start.
            var changed = AdminApiTests.Zone(GatewayFixture.ZoneName, "johndoe", "READ", alias: "changed-by-api");
            Assert.Equal("UPDATED", (await api.PutAsync("/gateway/v2/partner-zone", changed)).Body!["upsertResult"]!.GetValue<string>());
            // Only in the topic: stays.
            await AdminApiTests.AccountAsync(api, "api-only");
            await api.RevokeAsync("johndoe-file");
        }

        var (second, _) = await GatewayInstance.StartAsync(cluster, seed);
        await using (second)
        {
            var state = second.Runtime.State;
            Assert.Equal(["topic-a", "topic-b"], state.Zone(GatewayFixture.ZoneName)!.Resource.Spec.Topics.Select(t => t.Name));
            Assert.NotNull(state.Account("api-only"));
            Assert.NotNull(state.Credential("johndoe-file")!.Resource.Spec.RevokedAt);
            using var client = await KafkaWireClient.ConnectAsync(second.BootstrapServers);
            Assert.Equal(58, (await client.LoginPlainAsync("johndoe", FileSecret)).ErrorCode);
        }
    }
}
