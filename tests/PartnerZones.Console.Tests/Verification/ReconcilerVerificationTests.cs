using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using PartnerZones.ControlPlane.Tests.Api;
using PartnerZones.ControlPlane.Tests.Reconciliation;

namespace PartnerZones.ControlPlane.Tests.Verification;

/// <summary>
/// The reconciler against a real gateway (<see cref="GatewayUnderTest"/>) for what the other reconciler
/// tests leave out: a zone written in the long form (<c>authenticationMode: {type: PLAIN, serviceAccount}</c>)
/// is deployed, lets its partner in, and is left alone by quiet passes; a zone changed in the console is
/// deployed again and its partner sees the change.
/// </summary>
public sealed class ReconcilerVerificationTests(GatewayUnderTest fixture) : IClassFixture<GatewayUnderTest>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private HttpClient Api => fixture.Console.Client;

    [Fact]
    public async Task A_long_form_zone_goes_ready_lets_its_partner_in_and_quiet_passes_leave_it_alone()
    {
        var cluster = await ApplyClusterAsync();
        var (zone, account) = (Documents.Unique("zone"), Documents.Unique("partner"));
        var document = Zone(zone, cluster, account);
        document["spec"]!.AsObject().Remove("serviceAccount");
        document["spec"]!["authenticationMode"] = new JsonObject { ["type"] = "PLAIN", ["serviceAccount"] = account };
        await PutAsync(document);
        await WaitForStatusAsync(zone, "READY");

        var credential = await GenerateAsync(zone);
        Assert.Equal(account, credential.GetProperty("username").GetString());
        using (var partner = new AdminClientBuilder(fixture.Partner(account, credential.GetProperty("password").GetString()!)).Build())
        {
            Assert.Equal(["orders", "returns"], partner.GetMetadata(TimeSpan.FromSeconds(30)).Topics.Select(t => t.Topic).Order(StringComparer.Ordinal));
        }

        // The gateway's copy is what the console deployed, so several passes later it has not been written again.
        var first = await GatewayZoneAsync(zone);
        Assert.Equal(account, first!["spec"]!["authenticationMode"]!["serviceAccount"]!.GetValue<string>());
        await Task.Delay(GatewayUnderTest.Pace.Interval * 4);
        var later = await GatewayZoneAsync(zone);
        Assert.Equal(first["metadata"]!["resourceVersion"]!.ToJsonString(), later!["metadata"]!["resourceVersion"]!.ToJsonString());
        Assert.Equal("READY", (await GetZoneAsync(zone)).GetProperty("metadata").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_zone_changed_in_the_console_is_deployed_again_and_its_partner_sees_the_change()
    {
        var cluster = await ApplyClusterAsync();
        var (zone, account) = (Documents.Unique("zone"), Documents.Unique("partner"));
        var document = Zone(zone, cluster, account);
        await PutAsync(document);
        await WaitForStatusAsync(zone, "READY");
        var password = (await GenerateAsync(zone)).GetProperty("password").GetString()!;
        Assert.Equal(["orders", "returns"], await PartnerTopicsAsync(account, password, expected: 2));

        // Stop sharing "returns" and make "orders" read-only.
        document["spec"]!["topics"]!.AsArray().RemoveAt(1);
        document["spec"]!["topics"]![0]!["permission"] = "READ";
        var (_, body) = await Documents.PutAsync(Api, "partner-zone", document);
        Assert.Equal("UPDATED", body.GetProperty("upsertResult").GetString());
        await WaitForStatusAsync(zone, "READY");

        var held = await GatewayZoneAsync(zone);
        var topics = held!["spec"]!["topics"]!.AsArray();
        Assert.Equal("orders", Assert.Single(topics)!["name"]!.GetValue<string>());
        Assert.Equal("READ", topics[0]!["permission"]!.GetValue<string>());
        Assert.Equal(["orders"], await PartnerTopicsAsync(account, password, expected: 1));

        // The partner may no longer write to what is now a READ alias.
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.Plain,
            SaslUsername = account,
            SaslPassword = password,
            MessageTimeoutMs = 15_000,
        }).Build();
        var refused = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("orders", new Message<Null, string> { Value = "x" }));
        Assert.NotEqual(ErrorCode.NoError, refused.Error.Code);
    }

    private async Task<List<string>> PartnerTopicsAsync(string account, string password, int expected)
    {
        // A fresh client each time: metadata of a new session, after the gateway applied the change.
        var clock = Stopwatch.StartNew();
        List<string> topics;
        do
        {
            using var partner = new AdminClientBuilder(fixture.Partner(account, password)).Build();
            topics = [.. partner.GetMetadata(TimeSpan.FromSeconds(30)).Topics.Select(t => t.Topic).Order(StringComparer.Ordinal)];
            if (topics.Count == expected)
            {
                return topics;
            }

            await Task.Delay(200);
        }
        while (clock.Elapsed < Patience);

        return topics;
    }

    private async Task<string> ApplyClusterAsync()
    {
        var name = Documents.Unique("gw");
        var document = Documents.Cluster(name, GatewayUnderTest.AdminPassword);
        document["spec"]!["bootstrapServers"] = fixture.BootstrapServers;
        document["spec"]!["adminApi"]!["url"] = fixture.AdminUrl;
        document["spec"]!["adminApi"]!["username"] = GatewayUnderTest.AdminUser;
        var (response, body) = await Documents.PutAsync(Api, "kafka-cluster", document);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return name;
    }

    private static JsonObject Zone(string name, string cluster, string account)
    {
        var zone = Documents.Zone(name, cluster, account);
        zone["spec"]!["topics"] = new JsonArray
        {
            new JsonObject { ["name"] = "orders", ["backingTopic"] = GatewayUnderTest.BackingTopic, ["permission"] = "WRITE" },
            new JsonObject { ["name"] = "returns", ["backingTopic"] = GatewayUnderTest.BackingTopic, ["permission"] = "READ" },
        };
        return zone;
    }

    private async Task PutAsync(JsonObject zone)
    {
        var (response, body) = await Documents.PutAsync(Api, "partner-zone", zone);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
    }

    private Task<JsonElement> GetZoneAsync(string zone) => Documents.GetJsonAsync(Api, $"{Documents.Base}/partner-zone/{zone}");

    private async Task<JsonElement> GenerateAsync(string zone)
    {
        var (response, body) = await Documents.SendAsync(Api, HttpMethod.Post, $"/api/public/partner-zone/v2/{zone}/generate-credentials", "{\"lifeTimeSeconds\": 3600}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private async Task WaitForStatusAsync(string zone, string status)
    {
        var clock = Stopwatch.StartNew();
        JsonElement metadata;
        do
        {
            metadata = (await GetZoneAsync(zone)).GetProperty("metadata");
            if (metadata.GetProperty("status").GetString() == status)
            {
                return;
            }

            await Task.Delay(100);
        }
        while (clock.Elapsed < Patience);

        Assert.Fail($"PartnerZone {zone} is not {status} after {Patience.TotalSeconds} s: {metadata}");
    }

    private async Task<JsonNode?> GatewayZoneAsync(string zone)
    {
        using var gateway = fixture.GatewayAdminApi();
        using var response = await gateway.GetAsync($"/gateway/v2/partner-zone/{zone}");
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"GET zone answered {(int)response.StatusCode}");
        return response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }
}
