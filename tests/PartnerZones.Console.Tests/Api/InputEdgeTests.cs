using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static PartnerZones.ControlPlane.Tests.Api.Documents;

namespace PartnerZones.ControlPlane.Tests.Api;

/// <summary>Input edges of the REST API (issue 19, items 8 to 10): names with a trailing line break, bodies
/// that are not UTF-8 on every JSON endpoint, and the free-text rules of a PartnerZone.</summary>
public sealed partial class InputEdgeTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private HttpClient Client => fixture.Console.Client;

    [Fact]
    public async Task A_zone_named_with_a_trailing_line_break_is_refused()
    {
        var cluster = await CreateClusterAsync(Client);
        var name = Unique("zone");
        var (response, body) = await PutAsync(Client, "partner-zone", Zone(name + "\n", cluster));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(
            $@"PartnerZone '{name}\n': metadata.name '{name}\n' must be lower-case letters, digits and '-', starting and ending with a letter or digit; name the zone like 'acme-orders'.",
            Errors(body));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"{Base}/partner-zone/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"{Base}/partner-zone/{name}%0A")).StatusCode);
    }

    [Fact]
    public async Task A_service_account_with_a_trailing_line_break_cannot_sidestep_one_account_per_zone()
    {
        var cluster = await CreateClusterAsync(Client);
        var account = Unique("base");
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(Client, "partner-zone", Zone(Unique("zone"), cluster, account))).Response.StatusCode);

        var (response, body) = await PutAsync(Client, "partner-zone", Zone(Unique("zone"), cluster, account + "\n"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Errors(body), e => e.EndsWith(
            $@": spec.serviceAccount '{account}\n' must be lower-case letters, digits and '-', starting and ending with a letter or digit; set it to the name partners log in with, like 'acme'.",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cluster_and_an_api_key_named_with_a_trailing_line_break_are_refused()
    {
        var name = Unique("gw");
        var (response, body) = await PutAsync(Client, "kafka-cluster", Cluster(name + "\n"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Errors(body), e => e.Contains($@"metadata.name '{name}\n' must be lower-case letters", StringComparison.Ordinal));

        using var admin = fixture.Console.AdminClient();
        var (token, tokenBody) = await SendAsync(admin, HttpMethod.Post, $"{Base}/token", new JsonObject { ["name"] = "ci\n" }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
        Assert.Equal([@"name 'ci\n' must be lower-case letters, digits and '-', starting and ending with a letter or digit; name the key after who uses it, like 'ci-deploy'."], Errors(tokenBody));
    }

    [Fact]
    public async Task Free_text_fields_are_checked_by_the_api()
    {
        var cluster = await CreateClusterAsync(Client);
        var name = Unique("zone");
        var zone = Zone(name, cluster);
        zone["metadata"]!["labels"] = new JsonObject { ["Team Name"] = "data" };
        zone["spec"]!["url"] = "javascript:alert(1)";
        zone["spec"]!["partner"] = new JsonObject { ["email"] = "jane@example.com\r\nBcc: all@example.com" };
        zone["spec"]!["description"] = new string('d', 5000);

        var (response, body) = await PutAsync(Client, "partner-zone", zone);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
        [
            $"PartnerZone '{name}': metadata.labels key 'Team Name' has characters a label name cannot have; use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit.",
            $"PartnerZone '{name}': spec.description is 5000 characters long (at most 4096); shorten it.",
            $"PartnerZone '{name}': spec.url 'javascript:alert(1)' is not an http:// or https:// address; set it to the partner's web page, like 'https://partner.example.com'.",
            $@"PartnerZone '{name}': spec.partner.email has the control character '\r' at position 17; it must be one line of text, remove it.",
        ], Errors(body));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"{Base}/partner-zone/{name}")).StatusCode);
    }

    /// <summary>Every endpoint that declares a JSON body, found from the routing table, so an endpoint added
    /// later is covered without editing this test.</summary>
    public static IReadOnlyList<(string Method, string Path)> JsonEndpoints(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Any(t => t.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, RouteParameter().Replace(e.RoutePattern.RawText ?? "", "edge-test").TrimEnd('/'))))
            .Distinct()];

    [Fact]
    public async Task Every_json_endpoint_answers_400_naming_the_byte_that_is_not_utf8()
    {
        var endpoints = JsonEndpoints(fixture.Console.Host.Services);
        // Both resource kinds, the API key endpoint and both credential paths at least.
        Assert.True(endpoints.Count >= 5, string.Join(", ", endpoints));
        Assert.Contains(endpoints, e => e == ("PUT", $"{Base}/partner-zone"));
        Assert.Contains(endpoints, e => e == ("PUT", $"{Base}/kafka-cluster"));

        var prefix = Encoding.UTF8.GetBytes("{\"apiVersion\":\"v2\",\"kind\":\"PartnerZone\",\"metadata\":{\"name\":\"caf");
        byte[] body = [.. prefix, 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"},\"lifeTimeSeconds\":60,\"name\":\"x\"}")];
        using var admin = fixture.Console.AdminClient();
        foreach (var (method, path) in endpoints)
        {
            var (status, answer) = await SendBytesAsync(Client, method, path, body);
            if (status == HttpStatusCode.Unauthorized)
            {
                (status, answer) = await SendBytesAsync(admin, method, path, body);
            }

            Assert.True(status == HttpStatusCode.BadRequest, $"{method} {path} answered {(int)status}: {answer}");
            Assert.Equal([$"the body is not valid UTF-8 JSON at byte {prefix.Length + 1}; send UTF-8."], Errors(answer));
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendBytesAsync(HttpClient client, string method, string path, byte[] body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
