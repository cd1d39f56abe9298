using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PartnerZones.Testing;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>
/// Every endpoint of the gateway's HTTP port, taken from the gateway's own endpoint registry, refuses a
/// request without credentials under every path spelling an attacker would try; only health and metrics
/// are anonymous. A new endpoint is probed the day it is mapped.
/// </summary>
public sealed class AdminAuthenticationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    /// <summary>The endpoints that are meant to be open; anything else marked anonymous fails the test.</summary>
    private static readonly string[] Anonymous = ["/health/live", "/health/ready", "/metrics"];

    /// <summary>Route values that make each endpoint do real work when authentication is skipped.</summary>
    private static readonly Dictionary<string, string> RouteValues = new(StringComparer.Ordinal)
    {
        ["vcluster"] = "passthrough",
        ["username"] = "admin",
        ["name"] = GatewayFixture.ZoneName,
        ["id"] = "no-such-credential",
    };

    [Fact]
    public void Only_health_and_metrics_are_anonymous()
    {
        var anonymous = Endpoints().Where(e => e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(e => e.Path).Order().ToList();
        Assert.Equal(Anonymous.Order(), anonymous);
        Assert.True(Endpoints().Count(e => !Anonymous.Contains(e.Path)) >= 12, "the registry lists the admin endpoints");
    }

    [Fact]
    public async Task Every_admin_endpoint_refuses_every_path_spelling_without_credentials()
    {
        var probes = Endpoints()
            .Where(e => e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .SelectMany(e => e.Methods.SelectMany(method => Spellings(e.Path).Select(path => (Method: method, Path: path))))
            .ToList();
        var before = await SnapshotAsync();
        var failures = new List<string>();
        foreach (var chunk in probes.Chunk(16))
        {
            var answers = await Task.WhenAll(chunk.Select(async probe =>
                (probe, await RawHttp.SendAsync(fixture.HttpPort, probe.Method, probe.Path, body: "{\"lifeTimeSeconds\": 600, \"serviceAccount\": \"admin\"}"))));
            foreach (var (probe, answer) in answers)
            {
                if (answer.Status != 401 || !answer.Headers.ContainsKey("WWW-Authenticate") || !answer.Body.Contains("HTTP Basic", StringComparison.Ordinal))
                {
                    failures.Add($"{probe.Method} {probe.Path} answered {answer.Status}: {answer.Body[..Math.Min(200, answer.Body.Length)]}");
                }
            }
        }

        Assert.True(probes.Count > 100, $"only {probes.Count} probes");
        Assert.True(failures.Count == 0, $"{failures.Count} of {probes.Count} probes were not refused:\n" + string.Join('\n', failures));

        // Nothing was created, changed or removed behind the refusals.
        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>The zones, accounts and credentials the gateway holds, as JSON text.</summary>
    private async Task<string> SnapshotAsync()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        var parts = new List<string>();
        foreach (var path in new[] { "/gateway/v2/partner-zone", "/gateway/v2/service-account", "/gateway/v2/credential" })
        {
            var (status, body) = await api.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, status);
            parts.Add(body!.ToJsonString());
        }

        return string.Join('\n', parts);
    }

    [Fact]
    public async Task Anonymous_endpoints_answer_without_credentials_and_admin_endpoints_with_them()
    {
        foreach (var path in Anonymous)
        {
            Assert.Equal(200, (await RawHttp.SendAsync(fixture.HttpPort, "GET", path)).Status);
        }

        var authorization = RawHttp.Basic(GatewayFixture.AdminUser, GatewayFixture.AdminPassword);
        foreach (var path in Spellings("/gateway/v2/partner-zone"))
        {
            var answer = await RawHttp.SendAsync(fixture.HttpPort, "GET", path, authorization: authorization);
            Assert.True(answer.Status is 200 or 404, $"GET {path} with credentials answered {answer.Status}");
        }
    }

    /// <summary>The mapped endpoints with a concrete path and their methods (GET for the fallback).</summary>
    private List<(Endpoint Endpoint, string Path, IReadOnlyList<string> Methods)> Endpoints() =>
        [.. fixture.Gateway.HttpEndpoints.OfType<RouteEndpoint>().Select(e => (
            (Endpoint)e,
            Concrete(e),
            e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? (IReadOnlyList<string>)["GET", "POST", "PUT", "DELETE"]))];

    private static string Concrete(RouteEndpoint endpoint)
    {
        var segments = endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { IsCatchAll: true } => "gateway/v2/no-such-endpoint",
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => RouteValues.TryGetValue(parameter.Name, out var value)
                ? value
                : throw new InvalidOperationException($"Give the route parameter '{parameter.Name}' of {endpoint.RoutePattern.RawText} a value in RouteValues."),
            _ => "",
        })));
        return "/" + string.Join('/', segments);
    }

    /// <summary>The path as written and the spellings that routing treats as the same path (or that a proxy might).</summary>
    private static IEnumerable<string> Spellings(string path)
    {
        var first = path[1];
        return new[]
        {
            path,
            path.ToUpperInvariant(),
            string.Concat(path.Select((c, i) => i % 2 == 0 ? char.ToUpperInvariant(c) : c)),
            $"/%{(int)char.ToUpperInvariant(first):X2}{path[2..]}",
            $"/%{(int)first:x2}{path[2..]}",
            "/" + path,
            "/." + path,
            "/%2e" + path,
            "/x/.." + path,
            path + "/",
        }.Distinct(StringComparer.Ordinal);
    }
}
