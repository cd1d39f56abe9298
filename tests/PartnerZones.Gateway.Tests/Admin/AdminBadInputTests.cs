using System.Net;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>Bad input on every endpoint is a 4xx with a message that names the problem and the fix, and
/// nothing reaches the state topic.</summary>
public sealed class AdminBadInputTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string ValidZone = """{"metadata":{"name":"bad-input-zone"},"spec":{"cluster":"gateway","serviceAccount":"johndoe","topics":[{"name":"a","backingTopic":"kafka-topic-a","permission":"READ"}]}}""";

    public static TheoryData<string, string, string?, int, string> Cases() => new()
    {
        // Malformed JSON, on every endpoint with a body.
        { "PUT", "/gateway/v2/partner-zone", "{\"metadata\": {", 400, "not valid JSON" },
        { "PUT", "/gateway/v2/service-account", "not json at all", 400, "not valid JSON" },
        { "POST", "/gateway/v2/credential", "{\"serviceAccount\": \"johndoe\",}", 400, "not valid JSON" },
        { "POST", "/admin/vclusters/v1/vcluster/passthrough/username/admin", "{\"lifeTimeSeconds\": 7776000", 400, "not valid JSON" },
        { "PUT", "/gateway/v2/partner-zone", "", 400, "body is empty" },
        { "PUT", "/gateway/v2/partner-zone", "[1, 2]", 400, "is a JSON array; send a JSON object" },
        { "PUT", "/gateway/v2/partner-zone", "{\"kind\": \"PartnerZone\", \"kind\": \"Other\"}", 400, "Duplicate property 'kind'" },
        { "PUT", "/gateway/v2/partner-zone", new string('[', 200) + new string(']', 200), 400, "not valid JSON" },

        // Unknown fields, named with their path.
        { "PUT", "/gateway/v2/partner-zone", ValidZone.Replace("\"cluster\"", "\"colour\":\"red\",\"cluster\""), 400, "unknown field spec.colour" },
        { "PUT", "/gateway/v2/partner-zone", ValidZone.Replace("\"permission\":\"READ\"", "\"permission\":\"READ\",\"headers\":{}"), 400, "spec.topics[0].headers" },
        { "PUT", "/gateway/v2/service-account", "{\"metadata\":{\"name\":\"x1\"},\"spec\":{\"type\":\"PARTNER\",\"password\":\"p\"}}", 400, "unknown field spec.password" },
        { "POST", "/gateway/v2/credential", "{\"serviceAccount\":\"johndoe\",\"lifeTimeSeconds\":60,\"secret\":\"mine\"}", 400, "unknown field secret" },
        { "POST", "/admin/vclusters/v1/vcluster/passthrough/username/admin", "{\"lifetimeSeconds\": 60}", 400, "unknown field lifetimeSeconds" },

        // Wrong values, invalid names and references to missing things.
        { "PUT", "/gateway/v2/partner-zone", ValidZone.Replace("\"READ\"", "\"ALL\""), 400, "spec.topics[0].permission is 'ALL'; use READ or WRITE" },
        { "PUT", "/gateway/v2/partner-zone", ValidZone.Replace("bad-input-zone", "Bad_Zone"), 400, "metadata.name 'Bad_Zone' must be lower-case" },
        { "PUT", "/gateway/v2/partner-zone", ValidZone.Replace("\"johndoe\"", "\"ghost\""), 400, "service account 'ghost' does not exist; add a ServiceAccount named 'ghost'" },
        { "PUT", "/gateway/v2/partner-zone", ValidZone.Replace("kafka-topic-a", "__pz_gateway_state"), 400, "gateway's own state or audit topic" },
        { "PUT", "/gateway/v2/partner-zone", ValidZone.Replace("\"johndoe\"", "\"admin\""), 400, "is an ADMIN account; a zone needs a PARTNER account" },
        { "PUT", "/gateway/v2/partner-zone", ValidZone.Replace("\"topics\":[", "\"topics\":\"all\",\"x\":[").Replace("\"x\":[{\"name\":\"a\",\"backingTopic\":\"kafka-topic-a\",\"permission\":\"READ\"}]", "\"displayName\":\"d\""), 400, "spec.topics must be a list" },
        { "PUT", "/gateway/v2/partner-zone", ValidZone.Replace("\"metadata\":{\"name\":\"bad-input-zone\"}", "\"metadata\":{\"name\":\"bad-input-zone\",\"resourceVersion\":\"soon\"}"), 400, "metadata.resourceVersion 'soon' is not a version" },
        { "PUT", "/gateway/v2/partner-zone?dryMode=maybe", ValidZone, 400, "dryMode is 'maybe'; use true or false" },
        { "PUT", "/gateway/v2/service-account", "{\"metadata\":{\"name\":\"x2\"},\"spec\":{\"type\":\"ROOT\"}}", 400, "spec.type is 'ROOT'; use PARTNER or ADMIN" },
        { "PUT", "/gateway/v2/service-account", "{\"metadata\":{\"name\":\"x3\"},\"spec\":{\"saslMechanisms\":[\"GSSAPI\"]}}", 400, "spec.saslMechanisms [GSSAPI]" },
        { "POST", "/gateway/v2/credential", "{\"serviceAccount\":\"johndoe\"}", 400, "lifeTimeSeconds is missing" },
        { "POST", "/gateway/v2/credential", "{\"serviceAccount\":\"johndoe\",\"lifeTimeSeconds\":-5}", 400, "lifeTimeSeconds is -5" },
        { "POST", "/gateway/v2/credential", "{\"serviceAccount\":\"johndoe\",\"lifeTimeSeconds\":\"soon\"}", 400, "lifeTimeSeconds is 'soon'" },
        { "POST", "/gateway/v2/credential", "{\"serviceAccount\":\"../admin\",\"lifeTimeSeconds\":60}", 400, "serviceAccount '../admin' must be lower-case" },
        { "POST", "/admin/vclusters/v1/vcluster/passthrough/username/admin", "{}", 400, "lifeTimeSeconds is missing" },
        { "POST", "/admin/vclusters/v1/vcluster/passthrough/username/admin", "{\"lifeTimeSeconds\": 1e12}", 400, "lifeTimeSeconds" },
        { "POST", "/admin/vclusters/v1/vcluster/passthrough/username/Admin%20User", "{\"lifeTimeSeconds\": 60}", 400, "username 'Admin User' must be lower-case" },

        // Path tricks: names that are not names, escapes, traversal.
        { "GET", "/gateway/v2/partner-zone/..%2F..%2Fetc", null, 400, "must be lower-case" },
        { "GET", "/gateway/v2/partner-zone/%2e%2e", null, 404, "No endpoint" },
        { "DELETE", "/gateway/v2/service-account/johndoe%20x", null, 400, "must be lower-case" },
        { "DELETE", "/gateway/v2/service-account/johndoe%00", null, 400, "" },
        { "GET", "/gateway/v2/credential/" + new string('a', 300), null, 400, "at most 63" },
        { "POST", "/gateway/v2/credential/..%2Fc-1/revoke", "{}", 400, "must be lower-case" },
        { "GET", "/gateway/v2/partner-zone/a/b/c", null, 404, "No endpoint" },
        { "GET", "/gateway/v3/partner-zone", null, 404, "No endpoint" },
        { "POST", "/admin/vclusters/v1/vcluster/passthrough/username/", "{\"lifeTimeSeconds\": 60}", 404, "No endpoint" },

        // Missing things.
        { "GET", "/gateway/v2/partner-zone/no-such-zone", null, 404, "PartnerZone 'no-such-zone' does not exist" },
        { "DELETE", "/gateway/v2/service-account/no-such-account", null, 404, "ServiceAccount 'no-such-account' does not exist" },
        { "POST", "/gateway/v2/credential/c-0000000000000000/revoke", "{}", 404, "Credential 'c-0000000000000000' does not exist" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_a_clear_4xx_and_writes_nothing(string method, string path, string? body, int status, string message)
    {
        using var api = AdminApi.For(fixture.HttpPort);
        var before = await StateEndAsync();
        var (got, json) = await api.SendAsync(new HttpMethod(method), path, body);
        Assert.True((int)got == status, $"{method} {path} answered {(int)got}, expected {status}: {json}");
        if (message.Length > 0)
        {
            // Each error is a plain sentence; the test reads them as the client would.
            var text = string.Join("\n", json!["errors"]!.AsArray().Select(e => e!.GetValue<string>()));
            Assert.True(text.Contains(message, StringComparison.Ordinal), $"expected '{message}' in {text}");
        }
        Assert.Equal(before, await StateEndAsync());
    }

    [Fact]
    public async Task Huge_bodies_are_refused_before_they_are_read()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        var before = await StateEndAsync();
        var huge = "{\"metadata\":{\"name\":\"huge\"},\"spec\":{\"description\":\"" + new string('x', 2 * 1024 * 1024) + "\"}}";
        var (status, json) = await api.PutAsync("/gateway/v2/partner-zone", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("spec.http.maxBodyBytes", json!["message"]!.GetValue<string>());

        // Chunked, so the size is not announced up front: still cut off at the limit.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.HttpPort}") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{GatewayFixture.AdminUser}:{GatewayFixture.AdminPassword}")));
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(huge)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/gateway/v2/partner-zone") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before, await StateEndAsync());
    }

    [Fact]
    public async Task Non_json_content_types_are_refused()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        var (status, json) = await api.SendAsync(HttpMethod.Put, "/gateway/v2/partner-zone", ValidZone, contentType: "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("Content-Type: application/json", json!["message"]!.GetValue<string>());
    }

    /// <summary>The state topic's end as this gateway has applied it, after catching up.</summary>
    private async Task<long> StateEndAsync()
    {
        await fixture.Gateway.Store.SyncAsync(CancellationToken.None);
        return fixture.Gateway.Store.Published;
    }
}
