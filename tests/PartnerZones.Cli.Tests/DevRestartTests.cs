using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.Testing;
using PartnerZones.Testing.ProcessClients;
using Xunit.Abstractions;

namespace PartnerZones.Cli.Tests;

/// <summary>
/// `pz dev` stopped (SIGTERM, or SIGKILL) after partner traffic and started again on the same data
/// directory: afterwards every change still reaches the gateway, proven with a real partner client within
/// seconds of the console call. Before, the restarted cluster handed out producer ids again, the
/// gateway's state writer failed fatally, every admin write answered 503, and a deleted zone and a revoked
/// credential kept working.
/// </summary>
public sealed class DevRestartTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    /// <summary>How soon a change must show at the gateway, from the console's answer.</summary>
    private static readonly TimeSpan Effect = TimeSpan.FromSeconds(5);

    private readonly string _directory = Directory.CreateTempSubdirectory("pz-dev-restart-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("SIGTERM")]
    [InlineData("SIGKILL")]
    public async Task After_a_restart_zones_credentials_revocations_and_deletions_reach_the_gateway(string stop)
    {
        var ports = LoopbackPorts.FreeRange(5);
        string[] args = ["dev", "--data-dir", Path.Combine(_directory, "data"), "--kafka-port", $"{ports}", "--gateway-port", $"{ports + 1}",
            "--gateway-admin-port", $"{ports + 3}", "--console-port", $"{ports + 4}"];
        var gateway = $"127.0.0.1:{ports + 1}";

        (string User, string Password) kept, revoked;
        string revokedId;
        using (var dev = PzProcess.Start(args))
        {
            using var console = await ConsoleAsync(dev, ports);
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = $"127.0.0.1:{ports}" }).Build())
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = "shared-topic", NumPartitions = 1, ReplicationFactor = 1 }]);
            }

            await ApplyZoneAsync(console, "before-zone", "before");
            (kept.User, kept.Password, _) = await GenerateAsync(console, "before-zone");
            (revoked.User, revoked.Password, revokedId) = await GenerateAsync(console, "before-zone");

            // Partner traffic before the stop: logins (each audited through the state writer) and reads.
            for (var i = 0; i < 20; i++)
            {
                var (user, password) = i % 2 == 0 ? kept : revoked;
                Assert.Equal(["shared"], PartnerLogin.TopicsOf(gateway, user, password));
            }

            if (stop == "SIGTERM")
            {
                dev.Terminate();
                Assert.Equal(0, await dev.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            }
        }

        using (var dev = PzProcess.Start(args))
        {
            using var console = await ConsoleAsync(dev, ports);

            // A new zone and a credential for it: the partner is admitted.
            await ApplyZoneAsync(console, "after-zone", "after");
            var (user, password, _) = await GenerateAsync(console, "after-zone");
            await WithinAsync("a credential issued after the restart admits its partner", () => PartnerLogin.TopicsOf(gateway, user, password) is ["shared"]);

            // A revoked credential is refused.
            using (var revoke = await console.DeleteAsync(new Uri($"/api/public/partner-zone/v2/before-zone/credentials/{revokedId}", UriKind.Relative)))
            {
                Assert.True(revoke.IsSuccessStatusCode, $"revoke: {(int)revoke.StatusCode} {await revoke.Content.ReadAsStringAsync()}");
            }

            await WithinAsync("a credential revoked after the restart is refused", () => PartnerLogin.TopicsOf(gateway, revoked.User, revoked.Password) is null);
            Assert.Equal(["shared"], PartnerLogin.TopicsOf(gateway, kept.User, kept.Password));

            // A deleted zone is gone: its partner is refused.
            using (var delete = await console.DeleteAsync(new Uri("/api/public/console/v2/partner-zone/before-zone", UriKind.Relative)))
            {
                Assert.True(delete.IsSuccessStatusCode, $"delete: {(int)delete.StatusCode} {await delete.Content.ReadAsStringAsync()}");
            }

            await WithinAsync("the partner of a zone deleted after the restart is refused", () => PartnerLogin.TopicsOf(gateway, kept.User, kept.Password) is null);
            Assert.Equal(["shared"], PartnerLogin.TopicsOf(gateway, user, password));
            dev.Terminate();
            Assert.Equal(0, await dev.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }
    }

    /// <summary>Waits for `pz dev` to be ready and returns a console client with its API key.</summary>
    private static async Task<HttpClient> ConsoleAsync(PzBackground dev, int ports)
    {
        string? export = null;
        while (await dev.ReadLineAsync(StartTimeout) is { } line)
        {
            export = line.StartsWith("export ", StringComparison.Ordinal) ? line : export;
            if (line.StartsWith("pz dev: ready", StringComparison.Ordinal))
            {
                var key = export!.Split("PZ_API_KEY=")[1].Trim();
                var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports + 4}"), Timeout = TimeSpan.FromSeconds(60) };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                return client;
            }
        }

        throw new Xunit.Sdk.XunitException($"pz dev exited before it was ready; stderr: {dev.Error}");
    }

    /// <summary>Declares a zone sharing shared-topic as 'shared' and waits until the console reports it READY.</summary>
    private async Task ApplyZoneAsync(HttpClient console, string zone, string account)
    {
        var json = $$$"""
            {"apiVersion": "v2", "kind": "PartnerZone", "metadata": {"name": "{{{zone}}}"},
             "spec": {"cluster": "gateway", "serviceAccount": "{{{account}}}", "topics": [{"name": "shared", "backingTopic": "shared-topic", "permission": "READ"}]}}
            """;
        using (var put = await console.PutAsync(new Uri("/api/public/console/v2/partner-zone", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json")))
        {
            Assert.True(put.IsSuccessStatusCode, $"PUT {zone}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        }

        var clock = Stopwatch.StartNew();
        var status = "";
        while (status != "READY" && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
            var metadata = JsonDocument.Parse(await console.GetStringAsync(new Uri($"/api/public/console/v2/partner-zone/{zone}", UriKind.Relative))).RootElement.GetProperty("metadata");
            status = metadata.GetProperty("status").GetString()!;
        }

        output.WriteLine($"{zone} READY after {clock.Elapsed}");
        Assert.Equal("READY", status);
    }

    private static async Task<(string User, string Password, string Id)> GenerateAsync(HttpClient console, string zone)
    {
        using var response = await console.PostAsync(new Uri($"/api/public/partner-zone/v2/{zone}/generate-credentials", UriKind.Relative),
            new StringContent("{\"lifeTimeSeconds\": 3600}", Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"generate-credentials {zone}: {(int)response.StatusCode} {text}");
        var body = JsonDocument.Parse(text).RootElement;
        return (body.GetProperty("username").GetString()!, body.GetProperty("password").GetString()!, body.GetProperty("id").GetString()!);
    }

    private async Task WithinAsync(string what, Func<bool> done) =>
        output.WriteLine($"{what}: {await PartnerLogin.WithinAsync(Effect, what, done)}");
}
