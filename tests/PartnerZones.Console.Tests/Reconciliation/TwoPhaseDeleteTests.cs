using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using PartnerZones.ControlPlane.Tests.Api;
using PartnerZones.ControlPlane.Tests.Cli;
using PartnerZones.ControlPlane.Tests.Security;
using PartnerZones.Testing;

namespace PartnerZones.ControlPlane.Tests.Reconciliation;

/// <summary>
/// Deleting a zone is confirmed, not assumed (DESIGN §12), against real parts (<see cref="GatewayUnderTest"/>):
/// while the console cannot reach the gateway's admin API the zone stays DELETING with the reason (REST API
/// and `pz get`), its partner is still admitted, `pz delete` waits and fails naming the reason, and the
/// zone cannot be applied again; once the admin API answers, the deletion completes, the zone leaves the
/// list and the partner is refused. The admin API is cut off by pointing the KafkaCluster at a port
/// nobody listens on, so the gateway's Kafka listener keeps serving the partner meanwhile.
/// </summary>
public sealed partial class TwoPhaseDeleteTests(GatewayUnderTest fixture) : IClassFixture<GatewayUnderTest>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private HttpClient Api => fixture.Console.Client;

    private Dictionary<string, string> Environment => new()
    {
        ["PZ_BASE_URL"] = fixture.Console.Url.ToString(),
        ["PZ_API_KEY"] = fixture.Console.ApiKey,
    };

    [Fact]
    public async Task A_delete_while_the_gateway_admin_api_is_unreachable_stays_pending_until_it_answers_and_the_partner_is_admitted_until_then()
    {
        var cluster = Documents.Unique("gw");
        await ApplyClusterAsync(cluster, fixture.AdminUrl);
        var (zone, account) = (Documents.Unique("zone"), Documents.Unique("partner"));
        await PutZoneAsync(Zone(zone, cluster, account));
        await WaitForStatusAsync(zone, "READY");
        var password = await GenerateAsync(zone);
        AssertAdmitted(account, password);

        // The console loses the gateway's admin API; the gateway itself keeps serving partners.
        var unreachable = $"http://127.0.0.1:{LoopbackPorts.FreeRange(1)}";
        await ApplyClusterAsync(cluster, unreachable);
        var (deleted, deletedBody) = await Documents.SendAsync(Api, HttpMethod.Delete, $"{Documents.Base}/partner-zone/{zone}");
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        Assert.Equal("DELETING", deletedBody.GetProperty("result").GetString());

        var pending = await WaitForAsync(zone, m => m.GetProperty("status").GetString() == "DELETING" && m.TryGetProperty("failedReason", out var r) && r.ValueKind == JsonValueKind.String);
        var reason = pending.GetProperty("failedReason").GetString()!;
        Assert.StartsWith("Deletion pending: ", reason);
        Assert.Contains($"gateway admin API at {unreachable} (KafkaCluster/{cluster}) is unreachable", reason);
        Assert.Contains(zone, (await Documents.GetJsonAsync(Api, $"{Documents.Base}/partner-zone")).EnumerateArray().Select(z => z.GetProperty("metadata").GetProperty("name").GetString()));

        var (exit, output, error) = await Pz.RunAsync(Environment, null, "get", "partner-zone", zone);
        Assert.True(exit == 0, error);
        Assert.Contains("status: DELETING", output);
        Assert.Contains("Deletion pending: ", output);
        Assert.Contains("is unreachable", output);

        // The partner still gets in: nothing may call this access gone yet.
        AssertAdmitted(account, password);

        // pz delete waits for the confirmation and, when it does not come, fails naming why.
        var clock = Stopwatch.StartNew();
        (exit, output, error) = await Pz.RunAsync(Environment, null, "delete", "partner-zone", zone, "--timeout", "3s");
        Assert.NotEqual(0, exit);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(3), $"pz delete gave up after {clock.Elapsed}");
        Assert.Contains($"waiting up to 3 s for the gateway to confirm", error);
        Assert.Contains($"Could not confirm deleting PartnerZone/{zone} within 3 s: Deletion pending: gateway admin API at {unreachable}", error);
        Assert.DoesNotContain("Deleted", output);

        (exit, output, error) = await Pz.RunAsync(Environment, null, "delete", "partner-zone", zone, "--wait=false");
        Assert.True(exit == 0, error);
        Assert.StartsWith($"PartnerZone/{zone}: Deleting", output);
        Assert.DoesNotContain("waiting", error);

        // Applying it again while it is being deleted is refused, naming why.
        var (again, againBody) = await Documents.PutAsync(Api, "partner-zone", Zone(zone, cluster, account));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"PartnerZone '{zone}' is being deleted (Deletion pending: ", againBody.GetProperty("msg").GetString());

        // The admin API answers again: the deletion completes and `pz delete` confirms it.
        await ApplyClusterAsync(cluster, fixture.AdminUrl);
        (exit, output, error) = await Pz.RunAsync(Environment, null, "delete", "partner-zone", zone, "--timeout", "60s");
        Assert.True(exit == 0 || error.Contains("does not exist", StringComparison.Ordinal), $"pz delete: {error}");
        Assert.Equal(HttpStatusCode.NotFound, (await Documents.SendAsync(Api, HttpMethod.Get, $"{Documents.Base}/partner-zone/{zone}")).Response.StatusCode);
        Assert.DoesNotContain(zone, (await Documents.GetJsonAsync(Api, $"{Documents.Base}/partner-zone")).EnumerateArray().Select(z => z.GetProperty("metadata").GetProperty("name").GetString()));
        using (var gateway = fixture.GatewayAdminApi())
        {
            Assert.Equal(HttpStatusCode.NotFound, (await gateway.GetAsync($"/gateway/v2/partner-zone/{zone}")).StatusCode);
        }

        AssertRefused(account, password);
    }

    [Fact]
    public async Task A_gateway_that_refuses_the_delete_keeps_the_zone_deleting_with_its_reason_until_it_accepts()
    {
        var (cluster, zone) = (Documents.Unique("gw"), Documents.Unique("zone"));
        var account = zone + "-sa";
        var held = $$$"""
            {"apiVersion": "v2", "kind": "PartnerZone",
             "metadata": {"name": "{{{zone}}}", "labels": {"partnerzones.io/managed-by": "console"}},
             "spec": {"cluster": "{{{cluster}}}", "serviceAccount": "{{{account}}}",
                      "topics": [{"name": "orders", "backingTopic": "{{{GatewayUnderTest.BackingTopic}}}", "permission": "READ"}]}}
            """;
        var refuse = true;
        var removed = false;
        // A stand-in gateway that holds the zone and whose state writer fails every deletion until told otherwise.
        await using var gateway = new ScriptedHttpServer(request => (request.Method, request.Target) switch
        {
            ("GET", "/gateway/v2/partner-zone") => ScriptedResponse.Json(200, removed ? "[]" : $"[{held}]"),
            ("GET", var t) when t == $"/gateway/v2/partner-zone/{zone}" => removed ? ScriptedResponse.Json(404, """{"status": 404, "title": "Not found", "message": "no such zone"}""") : ScriptedResponse.Json(200, held),
            ("GET", var t) when t.StartsWith("/gateway/v2/credential", StringComparison.Ordinal) => ScriptedResponse.Json(200, "[]"),
            ("DELETE", var t) when t == $"/gateway/v2/partner-zone/{zone}" && refuse =>
                ScriptedResponse.Json(503, """{"status": 503, "title": "Unavailable", "message": "the state topic cannot be written now"}"""),
            ("DELETE", _) => Remove(),
            (_, var t) when t.EndsWith("/status", StringComparison.Ordinal) => ScriptedResponse.Json(200, """{"missingBackingTopics": []}"""),
            _ => ScriptedResponse.Json(200, "{}"),
        });
        ScriptedResponse Remove()
        {
            removed = true;
            return new ScriptedResponse(204, []);
        }

        await ApplyClusterAsync(cluster, gateway.Url);
        await PutZoneAsync(Zone(zone, cluster, account));
        await WaitForStatusAsync(zone, "READY");

        Assert.Equal(HttpStatusCode.Accepted, (await Documents.SendAsync(Api, HttpMethod.Delete, $"{Documents.Base}/partner-zone/{zone}")).Response.StatusCode);
        var pending = await WaitForAsync(zone, m => m.GetProperty("status").GetString() == "DELETING" && m.TryGetProperty("failedReason", out var r) && r.ValueKind == JsonValueKind.String);
        Assert.Equal($"Deletion pending: gateway {gateway.Url} refused deleting PartnerZone '{zone}' (503): the state topic cannot be written now", pending.GetProperty("failedReason").GetString());

        // Retried with back-off, and still pending as long as the gateway refuses.
        await Task.Delay(GatewayUnderTest.Pace.MaxBackoff * 2);
        Assert.True(gateway.Requests.Count(r => r.Method == "DELETE") >= 2, "the console did not retry the refused deletion");
        Assert.Equal("DELETING", (await Documents.GetJsonAsync(Api, $"{Documents.Base}/partner-zone/{zone}")).GetProperty("metadata").GetProperty("status").GetString());

        refuse = false;
        var (exit, output, error) = await Pz.RunAsync(Environment, null, "delete", "partner-zone", zone, "--timeout", "60s");
        Assert.True(exit == 0 || error.Contains("does not exist", StringComparison.Ordinal), error);
        Assert.Equal(HttpStatusCode.NotFound, (await Documents.SendAsync(Api, HttpMethod.Get, $"{Documents.Base}/partner-zone/{zone}")).Response.StatusCode);
        Assert.True(removed);
        Assert.Equal(HttpStatusCode.OK, (await Documents.SendAsync(Api, HttpMethod.Delete, $"{Documents.Base}/kafka-cluster/{cluster}")).Response.StatusCode);

        // One audit line per phase: requested, the refused attempt (once per reason, not per retry), confirmed.
        var audit = fixture.Logs.Lines.Where(l => l.StartsWith("PartnerZones.ControlPlane.Audit: ", StringComparison.Ordinal) && l.Contains($"PartnerZone {zone} ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, audit.Count);
        Assert.Contains("audit: deletion requested: PartnerZone " + zone, audit[0]);
        Assert.Contains("audit: deletion not confirmed: PartnerZone " + zone, audit[1]);
        Assert.Contains($"still served by KafkaCluster {cluster}: Deletion pending: gateway {gateway.Url} refused deleting PartnerZone '{zone}' (503)", audit[1]);
        Assert.Contains($"audit: deletion confirmed: PartnerZone {zone}", audit[2]);
        Assert.Contains($"gone from KafkaCluster {cluster}'s gateway", audit[2]);
    }

    [Fact]
    public async Task Pz_delete_waits_for_the_gateway_and_prints_deleted_once_it_confirmed()
    {
        var cluster = Documents.Unique("gw");
        await ApplyClusterAsync(cluster, fixture.AdminUrl);
        var (zone, account) = (Documents.Unique("zone"), Documents.Unique("partner"));
        await PutZoneAsync(Zone(zone, cluster, account));
        await WaitForStatusAsync(zone, "READY");
        var password = await GenerateAsync(zone);
        AssertAdmitted(account, password);

        var (exit, output, error) = await Pz.RunAsync(Environment, null, "delete", "partner-zone", zone);
        Assert.True(exit == 0, error);
        Assert.Equal($"PartnerZone/{zone}: Deleted\n", output);
        Assert.Contains($"PartnerZone/{zone}: waiting up to 60 s for the gateway to confirm the removal", error);

        // "Deleted" was printed only after the gateway confirmed: the zone is already gone there.
        using (var gateway = fixture.GatewayAdminApi())
        {
            Assert.Equal(HttpStatusCode.NotFound, (await gateway.GetAsync($"/gateway/v2/partner-zone/{zone}")).StatusCode);
        }

        AssertRefused(account, password);
        Assert.Equal(0, (await Pz.RunAsync(Environment, null, "delete", "kafka-cluster", cluster)).Exit);
    }

    [Fact]
    public async Task A_deleting_zone_keeps_its_cluster_until_the_gateway_confirms()
    {
        var cluster = Documents.Unique("gw");
        await ApplyClusterAsync(cluster, fixture.AdminUrl);
        var zone = Documents.Unique("zone");
        await PutZoneAsync(Zone(zone, cluster, Documents.Unique("partner")));
        await WaitForStatusAsync(zone, "READY");
        await ApplyClusterAsync(cluster, $"http://127.0.0.1:{LoopbackPorts.FreeRange(1)}");

        var (badForce, badForceBody) = await Documents.SendAsync(Api, HttpMethod.Delete, $"{Documents.Base}/partner-zone/{zone}?force=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, badForce.StatusCode);
        Assert.Contains("force is 'maybe'; use force=true", badForceBody.GetProperty("msg").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await Documents.SendAsync(Api, HttpMethod.Delete, $"{Documents.Base}/partner-zone/{zone}")).Response.StatusCode);
        var (refused, body) = await Documents.SendAsync(Api, HttpMethod.Delete, $"{Documents.Base}/kafka-cluster/{cluster}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains($"still serves PartnerZone '{zone}' until its gateway confirms the deletion", body.GetProperty("msg").GetString());

        await ApplyClusterAsync(cluster, fixture.AdminUrl);
        var (exit, _, error) = await Pz.RunAsync(Environment, null, "delete", "partner-zone", zone);
        Assert.True(exit == 0 || error.Contains("does not exist", StringComparison.Ordinal), error);
        Assert.Equal(HttpStatusCode.OK, (await Documents.SendAsync(Api, HttpMethod.Delete, $"{Documents.Base}/kafka-cluster/{cluster}")).Response.StatusCode);
    }

    [Fact]
    public async Task A_zone_recreated_under_a_deleted_zones_name_starts_its_usage_from_zero()
    {
        var cluster = Documents.Unique("gw");
        await ApplyClusterAsync(cluster, fixture.AdminUrl);
        var (zone, account) = (Documents.Unique("zone"), Documents.Unique("partner"));
        await PutZoneAsync(Zone(zone, cluster, account));
        await WaitForStatusAsync(zone, "READY");
        var password = await GenerateAsync(zone);
        AssertAdmitted(account, password);
        AssertAdmitted(account, password);

        using var browser = await SignedInBrowserAsync();
        var before = await UsageAsync(browser, zone);
        Assert.NotEqual("0 B", before["bytes-in"]);
        Assert.DoesNotContain("never", before["last-seen"]);

        var (exit, _, error) = await Pz.RunAsync(Environment, null, "delete", "partner-zone", zone);
        Assert.True(exit == 0, error);
        await PutZoneAsync(Zone(zone, cluster, Documents.Unique("partner")));
        await WaitForStatusAsync(zone, "READY");

        // Same name, same gateway (which still counts the name's earlier traffic): a new zone, nothing used yet.
        var after = await UsageAsync(browser, zone);
        Assert.Equal("0 B", after["bytes-in"]);
        Assert.Equal("0 B", after["bytes-out"]);
        Assert.Contains("never", after["last-seen"]);
    }

    [Fact]
    public async Task Pz_apply_wait_waits_for_ready_and_fails_naming_the_reason_of_a_failed_zone()
    {
        var cluster = Documents.Unique("gw");
        await ApplyClusterAsync(cluster, fixture.AdminUrl);
        var directory = Directory.CreateTempSubdirectory("pz-apply-wait-").FullName;
        try
        {
            var (good, bad) = (Documents.Unique("zone"), Documents.Unique("zone"));
            var goodFile = Path.Combine(directory, "good.yaml");
            await File.WriteAllTextAsync(goodFile, ZoneYaml(good, cluster, GatewayUnderTest.BackingTopic));
            var (exit, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", goodFile, "--wait", "--timeout", "60s");
            Assert.True(exit == 0, error);
            Assert.Equal($"PartnerZone/{good}: Created\nPartnerZone/{good}: Ready\n", output);
            Assert.Equal("READY", (await Documents.GetJsonAsync(Api, $"{Documents.Base}/partner-zone/{good}")).GetProperty("metadata").GetProperty("status").GetString());

            var missing = Documents.Unique("no-such-topic");
            var badFile = Path.Combine(directory, "bad.yaml");
            await File.WriteAllTextAsync(badFile, ZoneYaml(bad, cluster, missing));
            (exit, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", badFile, "--wait");
            Assert.Equal(1, exit);
            Assert.Equal($"PartnerZone/{bad}: Created\n", output);
            Assert.Contains($"PartnerZone/{bad}: FAILED: backing topic {missing} does not exist", error);

            // Without --wait, apply returns as before, before the reconciler has said anything.
            (exit, output, _) = await Pz.RunAsync(Environment, null, "apply", "-f", badFile);
            Assert.Equal(0, exit);
            Assert.Equal($"PartnerZone/{bad}: NotChanged\n", output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string ZoneYaml(string name, string cluster, string backing) => $"""
        apiVersion: v2
        kind: PartnerZone
        metadata:
          name: {name}
        spec:
          cluster: {cluster}
          serviceAccount: {name}-sa
          topics:
            - name: orders
              backingTopic: {backing}
              permission: READ

        """;

    /// <summary>An HTTP client signed in to the console's web UI as its admin.</summary>
    private async Task<HttpClient> SignedInBrowserAsync()
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = fixture.Console.Url };
        var token = WebBrowser.TokenIn(await browser.GetStringAsync("/signin"));
        using var signIn = await browser.SendAsync(WebBrowser.Form("/signin", token, ("user", TestConsole.AdminName), ("password", TestConsole.AdminPassword), ("returnUrl", "/")));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return browser;
    }

    /// <summary>The usage figures the zone's details page shows, by their data-usage name.</summary>
    private static async Task<Dictionary<string, string>> UsageAsync(HttpClient browser, string zone)
    {
        var html = await browser.GetStringAsync($"/zones/{zone}");
        var figures = UsageFigure().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(Regex.Replace(m.Groups[2].Value, "<[^>]+>", "")).Trim());
        Assert.True(figures.ContainsKey("bytes-in"), $"the details page of {zone} shows no usage: {html}");
        return figures;
    }

    private async Task ApplyClusterAsync(string name, string adminUrl)
    {
        var document = Documents.Cluster(name, GatewayUnderTest.AdminPassword);
        document["spec"]!["bootstrapServers"] = fixture.BootstrapServers;
        document["spec"]!["adminApi"]!["url"] = adminUrl;
        document["spec"]!["adminApi"]!["username"] = GatewayUnderTest.AdminUser;
        var (response, body) = await Documents.PutAsync(Api, "kafka-cluster", document);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
    }

    private static JsonObject Zone(string name, string cluster, string account)
    {
        var zone = Documents.Zone(name, cluster, account);
        zone["spec"]!["topics"] = new JsonArray
        {
            new JsonObject { ["name"] = "orders", ["backingTopic"] = GatewayUnderTest.BackingTopic, ["permission"] = "READ" },
        };
        return zone;
    }

    private async Task PutZoneAsync(JsonObject zone)
    {
        var (response, body) = await Documents.PutAsync(Api, "partner-zone", zone);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
    }

    private async Task<string> GenerateAsync(string zone)
    {
        var (response, body) = await Documents.SendAsync(Api, HttpMethod.Post, $"/api/public/partner-zone/v2/{zone}/generate-credentials", "{\"lifeTimeSeconds\": 3600}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("password").GetString()!;
    }

    private Task<JsonElement> WaitForStatusAsync(string zone, string status) =>
        WaitForAsync(zone, m => m.GetProperty("status").GetString() == status);

    /// <summary>Polls the console until the zone's metadata satisfies <paramref name="done"/>; returns it.</summary>
    private async Task<JsonElement> WaitForAsync(string zone, Func<JsonElement, bool> done)
    {
        var clock = Stopwatch.StartNew();
        JsonElement metadata;
        do
        {
            metadata = (await Documents.GetJsonAsync(Api, $"{Documents.Base}/partner-zone/{zone}")).GetProperty("metadata");
            if (done(metadata))
            {
                return metadata;
            }

            await Task.Delay(100);
        }
        while (clock.Elapsed < Patience);

        Assert.Fail($"PartnerZone {zone} did not reach the expected state in {Patience.TotalSeconds} s: {metadata}");
        return default;
    }

    private void AssertAdmitted(string account, string password)
    {
        using var partner = new AdminClientBuilder(fixture.Partner(account, password)).Build();
        Assert.Contains(partner.GetMetadata(TimeSpan.FromSeconds(30)).Topics, t => t.Topic == "orders");
    }

    private void AssertRefused(string account, string password)
    {
        using var client = new AdminClientBuilder(fixture.Partner(account, password)).Build();
        var error = Assert.Throws<KafkaException>(() => client.GetMetadata(TimeSpan.FromSeconds(10)));
        Assert.Contains(error.Error.Code, new[] { ErrorCode.SaslAuthenticationFailed, ErrorCode.Local_Authentication, ErrorCode.Local_Transport, ErrorCode.Local_AllBrokersDown, ErrorCode.Local_TimedOut });
    }

    [GeneratedRegex("data-usage=\"([a-z-]+)\">(.*?)</dd>", RegexOptions.Singleline)]
    private static partial Regex UsageFigure();
}
