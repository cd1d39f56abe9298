using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PartnerZones.ControlPlane.Tests.Api;
using PartnerZones.Testing;

namespace PartnerZones.ControlPlane.Tests.Reconciliation;

/// <summary>
/// Two gateways in one console: the real one of <see cref="GatewayUnderTest"/>, and a local HTTP listener
/// at another KafkaCluster's URL that answers the wrong things. Whatever it answers fails only that
/// cluster's zones, with a reason naming the cluster and what was wrong and never repeating its body, while
/// the zones on the real gateway become READY in the same passes.
/// </summary>
public sealed partial class ReconcilerTests
{
    /// <summary>What the listener answers to each call; a test replaces one of them.</summary>
    private static ScriptedResponse Answer(ScriptedRequest request, string call, ScriptedResponse wrong) => (request.Method, request.Target) switch
    {
        _ when Call(request) == call => wrong,
        ("GET", "/gateway/v2/partner-zone") => ScriptedResponse.Json(200, "[]"),
        ("POST", "/gateway/v2/credential") => ScriptedResponse.Json(200, "[]"),
        (_, var target) when target.EndsWith("/status", StringComparison.Ordinal) => ScriptedResponse.Json(200, """{"missingBackingTopics": []}"""),
        _ => ScriptedResponse.Json(200, "{}"),
    };

    private static string Call(ScriptedRequest request) => request.Method + " " + (request.Target.EndsWith("/status", StringComparison.Ordinal) ? "status" : request.Target);

    public static TheoryData<string, string, string, string> WrongShapes() => new()
    {
        // case, the call answered wrongly, its answer, what the reason must say was wrong
        { "array for the status", "GET status", "[]", "answered GET /gateway/v2/partner-zone/{zone}/status with an empty array where a JSON object was expected" },
        { "object without the topics", "GET status", "{}", "with an object whose \"missingBackingTopics\" is nothing (missing or null)" },
        { "string for the status", "GET status", "\"ok\"", "with a string where a JSON object was expected" },
        { "malformed JSON", "GET status", """{"missingBackingTopics": [""", "a body that is not valid JSON" },
        { "cut off", "GET status", "truncated", "the body was cut off before its end" },
        { "null zone in the list", "GET /gateway/v2/partner-zone", "[null]", "with an array holding nothing (missing or null) where a JSON array of objects was expected" },
        { "zone of another shape in the list", "GET /gateway/v2/partner-zone", """[{"metadata": {"name": 7}}]""", "with an object of another shape where a PartnerZone document was expected" },
        { "endless list", "GET /gateway/v2/partner-zone", "endless", "a body over 4 MiB, which the gateway admin API never sends" },
    };

    [Theory]
    [MemberData(nameof(WrongShapes))]
    public async Task A_gateway_answering_the_wrong_shape_fails_only_its_own_zones(string name, string call, string answer, string expected)
    {
        output.WriteLine(name);
        var wrong = answer switch
        {
            "truncated" => new ScriptedResponse(200, Encoding.UTF8.GetBytes("""{"missingBackingTopics": """), DeclaredLength: 4096),
            "endless" => new ScriptedResponse(200, Encoding.UTF8.GetBytes("[ "), EndlessBytes: 6L * 1024 * 1024),
            _ => ScriptedResponse.Json(200, answer),
        };
        await using var listener = new ScriptedHttpServer(r => Answer(r, call, wrong));
        var (bad, good) = await ApplyClusterPairAsync(listener);
        var (badZone, goodZone) = (Documents.Unique("zone"), Documents.Unique("zone"));
        await PutZoneAsync(Zone(badZone, bad, Documents.Unique("partner")));
        await PutZoneAsync(Zone(goodZone, good, Documents.Unique("partner")));

        await WaitForStatusAsync(goodZone, "READY");
        var reason = (await WaitForStatusAsync(badZone, "FAILED")).GetProperty("failedReason").GetString()!;
        Assert.Contains($"gateway admin API at {listener.Url} (KafkaCluster/{bad})", reason);
        Assert.Contains(expected.Replace("{zone}", badZone, StringComparison.Ordinal), reason);
        Assert.InRange(reason.Length, 1, 1000);

        // The credential endpoint says so too (a 502 naming the cluster), instead of failing with a 500.
        var (issued, issuedBody) = await Documents.SendAsync(Api, HttpMethod.Post, $"/api/public/partner-zone/v2/{badZone}/generate-credentials");
        Assert.Equal(HttpStatusCode.BadGateway, issued.StatusCode);
        Assert.Contains($"KafkaCluster/{bad}", issuedBody.GetProperty("msg").GetString());
        await DeletePairAsync(bad, badZone, good, goodZone);
    }

    public static TheoryData<string, ScriptedResponse, string> ForeignRefusals()
    {
        const string secret = "AKIAIOSFODNN7EXAMPLE-internal-secret";
        return new()
        {
            // case, the answer to PUT of the zone, what the reason says after the cluster's URL ({url}, {zone})
            {
                "foreign JSON",
                ScriptedResponse.Json(500, $$"""{"status": "error", "awsKey": "{{secret}}", "padding": "{{new string('x', 2000)}}"}"""),
                "answered PUT /gateway/v2/partner-zone with HTTP 500 and a body that is not the gateway admin API's error document (2084 bytes, not shown)"
            },
            {
                "large HTML page",
                ScriptedResponse.Text(500, $"<html><body><h1>Internal error</h1><pre>{secret}\r\n{new string('y', 300_000)}</pre></body></html>"),
                "answered PUT /gateway/v2/partner-zone with HTTP 500 and a body over 64 KiB, which the gateway admin API never sends; the rest was not read"
            },
            {
                "error document with a long message",
                ScriptedResponse.Json(400, $$"""{"status": 400, "title": "Bad Request", "message": "service account taken", "errors": ["service account taken\u001b[31m\r\nInjected: line {{new string('z', 2000)}} {{secret}}"]}"""),
                "refused PartnerZone '{zone}' (400): service account taken[31m Injected: line zzz"
            },
        };
    }

    [Theory]
    [MemberData(nameof(ForeignRefusals))]
    public async Task A_refusal_is_never_repeated_beyond_a_short_clean_excerpt(string name, ScriptedResponse refusal, string expected)
    {
        output.WriteLine(name);
        await using var listener = new ScriptedHttpServer(r => Answer(r, "PUT /gateway/v2/partner-zone", refusal));
        var (bad, good) = await ApplyClusterPairAsync(listener);
        var (badZone, goodZone) = (Documents.Unique("zone"), Documents.Unique("zone"));
        await PutZoneAsync(Zone(badZone, bad, Documents.Unique("partner")));
        await PutZoneAsync(Zone(goodZone, good, Documents.Unique("partner")));

        await WaitForStatusAsync(goodZone, "READY");
        var reason = (await WaitForStatusAsync(badZone, "FAILED")).GetProperty("failedReason").GetString()!;
        output.WriteLine(reason);
        Assert.Contains(listener.Url, reason);
        Assert.Contains(expected.Replace("{zone}", badZone, StringComparison.Ordinal), reason);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", reason);
        Assert.DoesNotContain("xxxxxxxx", reason);
        Assert.DoesNotContain("yyyyyyyy", reason);
        Assert.DoesNotContain(reason, char.IsControl);
        Assert.InRange(reason.Length, 1, 1000);
        await DeletePairAsync(bad, badZone, good, goodZone);
    }

    /// <summary>Two clusters: one at <paramref name="listener"/>, named so that a pass reaches it before
    /// the other (clusters are read sorted by name), and one at the real gateway.</summary>
    private async Task<(string Bad, string Good)> ApplyClusterPairAsync(ScriptedHttpServer listener)
    {
        var bad = Documents.Unique("aa-bad");
        var document = Documents.Cluster(bad, "listener-password");
        document["spec"]!["adminApi"]!["url"] = listener.Url;
        var (response, body) = await Documents.PutAsync(Api, "kafka-cluster", document);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return (bad, await ApplyClusterAsync(Documents.Unique("zz-good")));
    }

    /// <summary>Removes what a test applied, so the listener's cluster does not outlive the listener.</summary>
    private async Task DeletePairAsync(string bad, string badZone, string good, string goodZone)
    {
        // The listener can never confirm a removal, so its zone is forced out; the real gateway's zone is
        // removed there before its cluster may go.
        foreach (var path in new[] { $"partner-zone/{badZone}?force=true", $"partner-zone/{goodZone}", $"kafka-cluster/{bad}" })
        {
            var (deleted, body) = await Documents.SendAsync(Api, HttpMethod.Delete, $"{Documents.Base}/{path}");
            Assert.True(deleted.IsSuccessStatusCode, body.ToString());
        }

        await WaitForGatewayAsync(goodZone, z => z is null);
        var clock = Stopwatch.StartNew();
        while ((await Documents.SendAsync(Api, HttpMethod.Get, $"{Documents.Base}/partner-zone/{goodZone}")).Response.StatusCode != HttpStatusCode.NotFound && clock.Elapsed < Patience)
        {
            await Task.Delay(100);
        }

        var (removed, removedBody) = await Documents.SendAsync(Api, HttpMethod.Delete, $"{Documents.Base}/kafka-cluster/{good}");
        Assert.True(removed.IsSuccessStatusCode, removedBody.ToString());
    }
}
