using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PartnerZones.Gateway.Tests.Configuration;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>
/// docs/gateway-admin-api.md is executable: every <c>sh</c> block runs, in order, against a real gateway
/// (curl, jq and kcat as a user would run them), with the documented addresses and password replaced by
/// the test's. A block that starts with <c># expect: NNN</c> must answer that status; every other curl must
/// succeed. Every <c>json</c> block must be JSON.
/// </summary>
public sealed partial class AdminApiDocTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string PlaceholderId = "c-0123456789abcdef";

    private static string Doc => File.ReadAllText(Path.Combine(RepoPaths.RepoRoot(), "docs", "gateway-admin-api.md"));

    [Fact]
    public async Task Every_curl_example_in_the_admin_api_doc_works_as_documented()
    {
        var blocks = Blocks("sh").ToList();
        Assert.True(blocks.Count >= 10, $"only {blocks.Count} sh blocks found");
        Assert.Contains(blocks, b => b.Contains(
            "curl -X POST http://localhost:8888/admin/vclusters/v1/vcluster/passthrough/username/admin --user admin:PASSWORD -H 'Content-Type: application/json' --data-raw '{\"lifeTimeSeconds\": 7776000}'",
            StringComparison.Ordinal));

        using var api = AdminApi.For(fixture.HttpPort);
        foreach (var block in blocks)
        {
            var script = block
                .Replace("http://localhost:8888", $"http://127.0.0.1:{fixture.HttpPort}", StringComparison.Ordinal)
                .Replace("localhost:9094", fixture.Gateway.BootstrapServers, StringComparison.Ordinal)
                .Replace("admin:PASSWORD", $"{GatewayFixture.AdminUser}:{GatewayFixture.AdminPassword}", StringComparison.Ordinal);
            if (script.Contains(PlaceholderId, StringComparison.Ordinal))
            {
                // The documented id stands for one the reader got from an earlier call.
                var (id, _) = await api.IssueAsync("acme");
                script = script.Replace(PlaceholderId, id, StringComparison.Ordinal);
            }

            var expect = Expect().Match(block);
            var (exit, output, error) = await RunAsync(expect.Success
                ? "curl() { command curl -sS -o /dev/null -w '%{http_code}' \"$@\"; }\n" + script
                : "set -euo pipefail\ncurl() { command curl -sS --fail-with-body \"$@\"; }\n" + script);
            Assert.True(exit == 0, $"block failed with exit {exit}:\n{block}\nstdout: {output}\nstderr: {error}");
            if (expect.Success)
            {
                Assert.Equal(expect.Groups[1].Value, output.Trim());
            }
        }

        // The walk-through left what it said it would.
        Assert.Null(fixture.Gateway.Runtime.State.Zone("acme-orders"));
        Assert.NotNull(fixture.Gateway.Runtime.State.Account("acme"));
        Assert.Null(fixture.Gateway.Runtime.State.Account("short-lived"));
        Assert.Contains(fixture.Gateway.Runtime.State.Credentials, c => c.Spec.ServiceAccount == "acme" && c.Spec.RevokedAt is not null);
    }

    [Fact]
    public void Every_json_example_is_json_and_every_endpoint_is_documented()
    {
        foreach (var block in Blocks("json"))
        {
            Assert.NotNull(JsonNode.Parse(block));
        }

        var doc = Doc;
        foreach (var endpoint in new[]
        {
            "POST http://localhost:8888/admin/vclusters/v1/vcluster/",
            "PUT http://localhost:8888/gateway/v2/partner-zone",
            "PUT 'http://localhost:8888/gateway/v2/partner-zone?dryMode=true'",
            "curl http://localhost:8888/gateway/v2/partner-zone --user",
            "curl http://localhost:8888/gateway/v2/partner-zone/acme-orders",
            "DELETE http://localhost:8888/gateway/v2/partner-zone/",
            "PUT http://localhost:8888/gateway/v2/service-account",
            "curl http://localhost:8888/gateway/v2/service-account --user",
            "curl http://localhost:8888/gateway/v2/service-account/acme",
            "DELETE http://localhost:8888/gateway/v2/service-account/",
            "POST http://localhost:8888/gateway/v2/credential --user",
            "curl 'http://localhost:8888/gateway/v2/credential?serviceAccount=acme'",
            "curl http://localhost:8888/gateway/v2/credential/c-",
            "/revoke --user",
        })
        {
            Assert.True(doc.Contains(endpoint, StringComparison.Ordinal), $"no example for {endpoint}");
        }
    }

    private static IEnumerable<string> Blocks(string language) =>
        Fence().Matches(Doc).Where(m => m.Groups[1].Value == language).Select(m => m.Groups[2].Value);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"script did not finish within 60 s:\n{script}");
        }

        return (process.ExitCode, await output, await error);
    }

    [GeneratedRegex(@"^```(\w+)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"^# expect: (\d{3})$", RegexOptions.Multiline)]
    private static partial Regex Expect();
}
