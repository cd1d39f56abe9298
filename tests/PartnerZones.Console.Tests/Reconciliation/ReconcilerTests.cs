using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using PartnerZones.ControlPlane.Reconciliation;
using PartnerZones.ControlPlane.Tests.Api;
using PartnerZones.Resources;
using Xunit.Abstractions;

namespace PartnerZones.ControlPlane.Tests.Reconciliation;

/// <summary>
/// The reconciler against real parts (<see cref="GatewayUnderTest"/>): zones go READY and partners use them
/// through the gateway; an unreachable gateway, rejected admin credentials and a missing backing topic
/// are FAILED with reasons naming them and heal once fixed; drift is repaired within seconds; deleting
/// a zone takes it off the gateway and cuts its partner off. Tests in this class run one at a time (one
/// of them stops the gateway); each uses its own cluster, zone and service account names.
/// </summary>
public sealed partial class ReconcilerTests(GatewayUnderTest fixture, ITestOutputHelper output) : IClassFixture<GatewayUnderTest>
{
    /// <summary>Generous: the machine is shared and slow; a pass normally takes well under a second.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private HttpClient Api => fixture.Console.Client;

    [Fact]
    public async Task A_zone_goes_ready_and_its_partner_lists_the_aliases_with_generated_credentials()
    {
        var cluster = await ApplyClusterAsync();
        var (zone, account) = (Documents.Unique("zone"), Documents.Unique("partner"));
        var (response, body) = await Documents.PutAsync(Api, "partner-zone", Zone(zone, cluster, account));
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        Assert.Equal("PENDING", body.GetProperty("resource").GetProperty("metadata").GetProperty("status").GetString());

        await WaitForStatusAsync(zone, "READY");
        Assert.Equal("READY", (await GetAsync("kafka-cluster", cluster)).GetProperty("metadata").GetProperty("status").GetString());
        var (_, onGateway) = await GatewayZoneAsync(zone);
        Assert.Equal("console", onGateway!["metadata"]!["labels"]!["partnerzones.io/managed-by"]!.GetValue<string>());
        Assert.Equal("data", onGateway["metadata"]!["labels"]!["team"]!.GetValue<string>());

        // What the client reads back counts as in sync, so quiet passes deploy nothing.
        using (var client = new HttpGatewayAdmin())
        {
            var target = new KafkaCluster
            {
                Metadata = new ResourceMetadata { Name = cluster },
                Spec = new KafkaClusterSpec { AdminApi = new GatewayAdminApi { Url = fixture.AdminUrl, Username = GatewayUnderTest.AdminUser, Password = GatewayUnderTest.AdminPassword } },
            };
            var held = Assert.Single(await client.ListZonesAsync(target, CancellationToken.None), z => z.Metadata.Name == zone);
            var desired = JsonSerializer.Deserialize<PartnerZone>((await GetAsync("partner-zone", zone)).GetRawText(), ResourceJson.Options)!;
            Assert.True(ManagedZones.IsManaged(held, cluster));
            Assert.True(ManagedZones.Same(held, desired), $"gateway {onGateway.ToJsonString()} differs from the console's zone");
        }

        var credential = await GenerateAsync(zone);
        Assert.Equal(account, credential.GetProperty("username").GetString());
        Assert.Equal(fixture.BootstrapServers, credential.GetProperty("bootstrapServers").GetString());
        using (var partner = new AdminClientBuilder(fixture.Partner(account, credential.GetProperty("password").GetString()!)).Build())
        {
            var topics = partner.GetMetadata(TimeSpan.FromSeconds(30)).Topics.Select(t => t.Topic).Order(StringComparer.Ordinal);
            Assert.Equal(["orders", "returns"], topics);
        }

        // Listing and revoking go through the same client.
        var id = credential.GetProperty("id").GetString()!;
        var listed = await Documents.GetJsonAsync(Api, $"/api/public/partner-zone/v2/{zone}/credentials");
        var entry = Assert.Single(listed.EnumerateArray());
        Assert.Equal(id, entry.GetProperty("id").GetString());
        Assert.Equal("ACTIVE", entry.GetProperty("status").GetString());
        var (revoked, _) = await Documents.SendAsync(Api, HttpMethod.Delete, $"/api/public/partner-zone/v2/{zone}/credentials/{id}");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(0, (await Documents.GetJsonAsync(Api, $"/api/public/partner-zone/v2/{zone}/credentials")).GetArrayLength());
        AssertLoginFails(account, credential.GetProperty("password").GetString()!);
        var (again, againBody) = await Documents.SendAsync(Api, HttpMethod.Delete, $"/api/public/partner-zone/v2/{zone}/credentials/c-0000000000000000");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("no credential 'c-0000000000000000'", againBody.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task A_stopped_gateway_fails_the_zone_as_unreachable_and_it_is_ready_again_when_the_gateway_returns()
    {
        var cluster = await ApplyClusterAsync();
        var zone = Documents.Unique("zone");
        await PutZoneAsync(Zone(zone, cluster, Documents.Unique("partner")));
        await WaitForStatusAsync(zone, "READY");

        await fixture.StopGatewayAsync();
        try
        {
            var failed = await WaitForStatusAsync(zone, "FAILED");
            var reason = failed.GetProperty("failedReason").GetString()!;
            Assert.Contains($"gateway admin API at {fixture.AdminUrl} (KafkaCluster/{cluster}) is unreachable", reason);
            Assert.Contains("refused", reason, StringComparison.OrdinalIgnoreCase);
            var clusterStatus = (await GetAsync("kafka-cluster", cluster)).GetProperty("metadata");
            Assert.Equal("FAILED", clusterStatus.GetProperty("status").GetString());
        }
        finally
        {
            await fixture.StartGatewayAsync();
        }

        var ready = await WaitForStatusAsync(zone, "READY");
        Assert.False(ready.TryGetProperty("failedReason", out var cleared) && cleared.ValueKind == JsonValueKind.String, "a READY zone keeps no failedReason");
    }

    [Fact]
    public async Task A_wrong_admin_password_fails_naming_the_credentials_until_the_cluster_is_fixed()
    {
        var cluster = await ApplyClusterAsync(password: "not-the-password");
        var zone = Documents.Unique("zone");
        await PutZoneAsync(Zone(zone, cluster, Documents.Unique("partner")));

        var failed = await WaitForStatusAsync(zone, "FAILED");
        var reason = failed.GetProperty("failedReason").GetString()!;
        Assert.Contains($"admin credentials rejected by the gateway at {fixture.AdminUrl}", reason);
        Assert.Contains($"spec.adminApi.username/password of KafkaCluster/{cluster}", reason);

        await ApplyClusterAsync(cluster);
        await WaitForStatusAsync(zone, "READY");
    }

    [Fact]
    public async Task A_missing_backing_topic_fails_naming_it_until_the_topic_is_created()
    {
        var cluster = await ApplyClusterAsync();
        var (zone, topic) = (Documents.Unique("zone"), Documents.Unique("late-topic"));
        await PutZoneAsync(Zone(zone, cluster, Documents.Unique("partner"), topic));

        var failed = await WaitForStatusAsync(zone, "FAILED");
        Assert.Contains($"backing topic {topic} does not exist in the cluster behind gateway {fixture.AdminUrl}", failed.GetProperty("failedReason").GetString());

        await fixture.CreateTopicAsync(topic);
        await WaitForStatusAsync(zone, "READY");
    }

    [Fact]
    public async Task Drift_is_repaired_within_seconds_and_zones_the_console_does_not_manage_are_left_alone()
    {
        var cluster = await ApplyClusterAsync();
        var zone = Documents.Unique("zone");
        await PutZoneAsync(Zone(zone, cluster, Documents.Unique("partner")));
        await WaitForStatusAsync(zone, "READY");
        var (_, original) = await GatewayZoneAsync(zone);

        // A zone someone made on the gateway by hand, on the same cluster name but without the console's label.
        var handMade = Documents.Unique("handmade");
        using var gateway = fixture.GatewayAdminApi();
        var own = Zone(handMade, cluster, Documents.Unique("partner"));
        own["metadata"]!.AsObject().Remove("labels");
        await GatewaySendAsync(gateway, HttpMethod.Put, "/gateway/v2/service-account", $"{{\"metadata\": {{\"name\": \"{own["spec"]!["serviceAccount"]}\"}}}}");
        await GatewaySendAsync(gateway, HttpMethod.Put, "/gateway/v2/partner-zone", own.ToJsonString());

        // Lost: deleted on the gateway behind the console's back.
        var clock = Stopwatch.StartNew();
        await GatewaySendAsync(gateway, HttpMethod.Delete, $"/gateway/v2/partner-zone/{zone}");
        var restored = await WaitForGatewayAsync(zone, z => z is not null);
        Assert.True(JsonNode.DeepEquals(Content(original!), Content(restored!)), $"restored as {restored}");
        var lostFor = clock.Elapsed;

        // Changed: a permission edited on the gateway.
        var edited = Content(restored!).DeepClone();
        edited["spec"]!["topics"]![1]!["permission"] = "WRITE";
        clock.Restart();
        await GatewaySendAsync(gateway, HttpMethod.Put, "/gateway/v2/partner-zone", edited.ToJsonString());
        await WaitForGatewayAsync(zone, z => z is not null && z["spec"]!["topics"]![1]!["permission"]!.GetValue<string>() == "READ");
        var changedFor = clock.Elapsed;
        output.WriteLine($"drift repaired in {lostFor.TotalSeconds:0.0} s (zone deleted) and {changedFor.TotalSeconds:0.0} s (zone changed) with a {GatewayUnderTest.Pace.Interval.TotalSeconds} s pass interval");
        Assert.True(lostFor < TimeSpan.FromSeconds(30) && changedFor < TimeSpan.FromSeconds(30), $"repairs took {lostFor} and {changedFor}");

        // Repairs do not flap the status, and several passes later the hand-made zone is still there.
        Assert.Equal("READY", (await GetAsync("partner-zone", zone)).GetProperty("metadata").GetProperty("status").GetString());
        await Task.Delay(GatewayUnderTest.Pace.Interval * 3);
        Assert.Equal(HttpStatusCode.OK, (await GatewayZoneAsync(handMade)).Status);
        await GatewaySendAsync(gateway, HttpMethod.Delete, $"/gateway/v2/partner-zone/{handMade}");
    }

    [Fact]
    public async Task Deleting_a_zone_removes_it_from_the_gateway_and_cuts_its_partner_off()
    {
        var cluster = await ApplyClusterAsync();
        var (zone, account) = (Documents.Unique("zone"), Documents.Unique("partner"));
        await PutZoneAsync(Zone(zone, cluster, account));
        await WaitForStatusAsync(zone, "READY");
        var credential = await GenerateAsync(zone);
        var password = credential.GetProperty("password").GetString()!;

        // A live session from before the deletion.
        using var partner = new AdminClientBuilder(fixture.Partner(account, password)).Build();
        Assert.Contains(partner.GetMetadata(TimeSpan.FromSeconds(30)).Topics, t => t.Topic == "orders");

        var (deleted, body) = await Documents.SendAsync(Api, HttpMethod.Delete, $"{Documents.Base}/partner-zone/{zone}");
        Assert.True(deleted.IsSuccessStatusCode, body.ToString());
        await WaitForGatewayAsync(zone, z => z is null);

        using var gateway = fixture.GatewayAdminApi();
        var stored = JsonNode.Parse(await gateway.GetStringAsync($"/gateway/v2/credential/{credential.GetProperty("id").GetString()}"))!;
        Assert.Equal("REVOKED", stored["status"]!.GetValue<string>());
        var session = Assert.Throws<KafkaException>(() => partner.GetMetadata(TimeSpan.FromSeconds(10)));
        Assert.NotEqual(ErrorCode.NoError, session.Error.Code);
        AssertLoginFails(account, password);
    }

    [Fact]
    public async Task A_zone_deleted_while_its_gateway_is_down_leaves_the_gateway_before_its_cluster_can_be_deleted()
    {
        var cluster = await ApplyClusterAsync();
        var zone = Documents.Unique("zone");
        await PutZoneAsync(Zone(zone, cluster, Documents.Unique("partner")));
        await WaitForStatusAsync(zone, "READY");

        // Both deleted while the gateway is down (as `pz delete -f --wait=false` does back to back): the zone
        // is DELETING until the gateway confirms, and its cluster, needed for that, cannot go before it.
        await fixture.StopGatewayAsync();
        try
        {
            Assert.Equal(HttpStatusCode.Accepted, (await Documents.SendAsync(Api, HttpMethod.Delete, $"{Documents.Base}/partner-zone/{zone}")).Response.StatusCode);
            var (refused, body) = await Documents.SendAsync(Api, HttpMethod.Delete, $"{Documents.Base}/kafka-cluster/{cluster}");
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains($"still serves PartnerZone '{zone}' until its gateway confirms the deletion", body.GetProperty("msg").GetString());
            await WaitForStatusAsync(zone, "DELETING");
            await Task.Delay(GatewayUnderTest.Pace.Interval * 2);
            Assert.Equal("DELETING", (await GetAsync("partner-zone", zone)).GetProperty("metadata").GetProperty("status").GetString());
        }
        finally
        {
            await fixture.StartGatewayAsync();
        }

        await WaitForGatewayAsync(zone, z => z is null);
        var clock = Stopwatch.StartNew();
        while ((await Documents.SendAsync(Api, HttpMethod.Get, $"{Documents.Base}/partner-zone/{zone}")).Response.StatusCode != HttpStatusCode.NotFound && clock.Elapsed < Patience)
        {
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.OK, (await Documents.SendAsync(Api, HttpMethod.Delete, $"{Documents.Base}/kafka-cluster/{cluster}")).Response.StatusCode);
    }

    private async Task<string> ApplyClusterAsync(string? name = null, string password = GatewayUnderTest.AdminPassword)
    {
        name ??= Documents.Unique("gw");
        var document = Documents.Cluster(name, password);
        document["spec"]!["bootstrapServers"] = fixture.BootstrapServers;
        document["spec"]!["adminApi"]!["url"] = fixture.AdminUrl;
        document["spec"]!["adminApi"]!["username"] = GatewayUnderTest.AdminUser;
        var (response, body) = await Documents.PutAsync(Api, "kafka-cluster", document);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return name;
    }

    private static JsonObject Zone(string name, string cluster, string account, string backing = GatewayUnderTest.BackingTopic)
    {
        var zone = Documents.Zone(name, cluster, account);
        zone["spec"]!["topics"] = new JsonArray
        {
            new JsonObject { ["name"] = "orders", ["backingTopic"] = backing, ["permission"] = "WRITE" },
            new JsonObject { ["name"] = "returns", ["backingTopic"] = backing, ["permission"] = "READ" },
        };
        return zone;
    }

    private async Task PutZoneAsync(JsonObject zone)
    {
        var (response, body) = await Documents.PutAsync(Api, "partner-zone", zone);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
    }

    private Task<JsonElement> GetAsync(string kindPath, string name) => Documents.GetJsonAsync(Api, $"{Documents.Base}/{kindPath}/{name}");

    private async Task<JsonElement> GenerateAsync(string zone)
    {
        var (response, body) = await Documents.SendAsync(Api, HttpMethod.Post, $"/api/public/partner-zone/v2/{zone}/generate-credentials", "{\"lifeTimeSeconds\": 3600}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }

    /// <summary>Polls the console until the zone has <paramref name="status"/>; returns its metadata.</summary>
    private async Task<JsonElement> WaitForStatusAsync(string zone, string status)
    {
        var clock = Stopwatch.StartNew();
        JsonElement metadata;
        do
        {
            metadata = (await GetAsync("partner-zone", zone)).GetProperty("metadata");
            if (metadata.GetProperty("status").GetString() == status)
            {
                return metadata;
            }

            await Task.Delay(100);
        }
        while (clock.Elapsed < Patience);

        Assert.Fail($"PartnerZone {zone} is not {status} after {Patience.TotalSeconds} s: {metadata}");
        return default;
    }

    /// <summary>Polls the gateway until its copy of the zone (null when it has none) satisfies <paramref name="done"/>.</summary>
    private async Task<JsonNode?> WaitForGatewayAsync(string zone, Func<JsonNode?, bool> done)
    {
        var clock = Stopwatch.StartNew();
        JsonNode? current;
        do
        {
            current = (await GatewayZoneAsync(zone)).Body;
            if (done(current))
            {
                return current;
            }

            await Task.Delay(100);
        }
        while (clock.Elapsed < Patience);

        Assert.Fail($"the gateway's PartnerZone {zone} did not reach the expected state in {Patience.TotalSeconds} s: {current?.ToJsonString() ?? "absent"}");
        return null;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> GatewayZoneAsync(string zone)
    {
        using var gateway = fixture.GatewayAdminApi();
        using var response = await gateway.GetAsync($"/gateway/v2/partner-zone/{zone}");
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"GET zone answered {(int)response.StatusCode}");
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null);
    }

    private static async Task GatewaySendAsync(HttpClient gateway, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await gateway.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A gateway zone without its server-filled metadata, for comparing what it says.</summary>
    private static JsonNode Content(JsonNode zone)
    {
        var copy = zone.DeepClone();
        copy["metadata"]!.AsObject().Remove("resourceVersion");
        copy["metadata"]!.AsObject().Remove("updatedAt");
        return copy;
    }

    private void AssertLoginFails(string account, string password)
    {
        using var client = new AdminClientBuilder(fixture.Partner(account, password)).Build();
        var error = Assert.Throws<KafkaException>(() => client.GetMetadata(TimeSpan.FromSeconds(10)));
        Assert.Contains(error.Error.Code, new[] { ErrorCode.SaslAuthenticationFailed, ErrorCode.Local_Authentication, ErrorCode.Local_Transport, ErrorCode.Local_AllBrokersDown, ErrorCode.Local_TimedOut });
    }
}
