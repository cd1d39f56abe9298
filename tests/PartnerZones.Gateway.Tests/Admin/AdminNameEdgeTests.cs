using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>Issue 19, items 8 and 9 on the gateway's admin API: a name with a trailing line break is not a
/// name (in .NET regexes '$' matches before a final '\n'), and a body that is not UTF-8 is a 400 that says
/// so. Nothing reaches the state topic.</summary>
public sealed class AdminNameEdgeTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    public static TheoryData<string, string, string, string> NewlineCases() => new()
    {
        { "PUT", "/gateway/v2/service-account", """{"metadata":{"name":"johndoe\n"},"spec":{"type":"PARTNER"}}""", @"metadata.name 'johndoe\n' must be lower-case" },
        { "PUT", "/gateway/v2/partner-zone", """{"metadata":{"name":"edge-zone\n"},"spec":{"cluster":"gateway","serviceAccount":"johndoe","topics":[{"name":"a","backingTopic":"kafka-topic-a","permission":"READ"}]}}""", @"metadata.name 'edge-zone\n' must be lower-case" },
        { "PUT", "/gateway/v2/partner-zone", """{"metadata":{"name":"edge-zone"},"spec":{"cluster":"gateway","serviceAccount":"johndoe\n","topics":[{"name":"a","backingTopic":"kafka-topic-a","permission":"READ"}]}}""", @"spec.serviceAccount 'johndoe\n' must be lower-case" },
        { "PUT", "/gateway/v2/partner-zone", """{"metadata":{"name":"edge-zone"},"spec":{"cluster":"gateway","serviceAccount":"johndoe","topics":[{"name":"a\n","backingTopic":"kafka-topic-a\n","permission":"READ"}]}}""", @"spec.topics[0].name 'a\n' has characters Kafka does not allow" },
        { "POST", "/gateway/v2/credential", """{"serviceAccount":"johndoe\n","lifeTimeSeconds":60}""", @"serviceAccount 'johndoe\n' must be lower-case" },
        { "POST", "/admin/vclusters/v1/vcluster/passthrough/username/admin%0A", """{"lifeTimeSeconds":60}""", @"username 'admin\n' must be lower-case" },
        { "DELETE", "/gateway/v2/service-account/johndoe%0A", "", @"'johndoe\n' must be lower-case" },
    };

    [Theory]
    [MemberData(nameof(NewlineCases))]
    public async Task A_name_with_a_trailing_line_break_is_refused(string method, string path, string body, string message)
    {
        using var api = AdminApi.For(fixture.HttpPort);
        var before = await StateEndAsync();
        var (status, json) = await api.SendAsync(new HttpMethod(method), path, body.Length == 0 ? null : body);
        Assert.True(status == HttpStatusCode.BadRequest, $"{method} {path} answered {(int)status}: {json}");
        var errors = json!["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains(errors, e => e.Contains(message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain('\n', e));
        Assert.Equal(before, await StateEndAsync());
    }

    public static TheoryData<string, string> BodyEndpoints() => new()
    {
        { "PUT", "/gateway/v2/partner-zone" },
        { "PUT", "/gateway/v2/service-account" },
        { "POST", "/gateway/v2/credential" },
        { "POST", "/admin/vclusters/v1/vcluster/passthrough/username/admin" },
    };

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task A_body_that_is_not_utf8_is_a_400_naming_the_byte(string method, string path)
    {
        var prefix = Encoding.UTF8.GetBytes("{\"metadata\":{\"name\":\"caf");
        byte[] body = [.. prefix, 0xE9, .. Encoding.UTF8.GetBytes("\"},\"serviceAccount\":\"x\",\"lifeTimeSeconds\":60}")];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.HttpPort}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{GatewayFixture.AdminUser}:{GatewayFixture.AdminPassword}")));
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var before = await StateEndAsync();

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        var errors = JsonNode.Parse(text)!["errors"]!.AsArray().Select(e => e!.GetValue<string>());
        Assert.Equal([$"The request body is not valid UTF-8 JSON at byte {prefix.Length + 1}; send UTF-8."], errors);
        Assert.Equal(before, await StateEndAsync());
    }

    private async Task<long> StateEndAsync()
    {
        await fixture.Gateway.Store.SyncAsync(CancellationToken.None);
        return fixture.Gateway.Store.Published;
    }
}
