using PartnerZones.Testing;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Security;

namespace PartnerZones.Cli.Tests;

/// <summary>`pz gateway` run as a process with the shipped example configuration.</summary>
public sealed class GatewayCommandTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Example_configuration_serves_the_partner_zone_and_exits_0_on_SIGTERM()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = "kafka-topic-a", NumPartitions = 2, ReplicationFactor = 1 }]);
        }

        // The shipped example, pointed at this test's ports instead of the documented ones.
        var port = LoopbackPorts.FreeRange(3);
        var config = File.ReadAllText(Path.Combine(RepoRoot(), "examples", "gateway.yaml"))
            .Replace("127.0.0.1:19092", cluster.BootstrapServers)
            .Replace("bootstrapPort: 9094", $"bootstrapPort: {port}")
            .Replace("brokerPortBase: 9095", $"brokerPortBase: {port + 1}")
            .Replace("port: 8888", $"port: {port + 2}");
        var path = Path.Combine(Path.GetTempPath(), $"pz-gateway-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, config);
        // The example's admin user takes its password from the environment, which the child inherits.
        Environment.SetEnvironmentVariable("PZ_GATEWAY_ADMIN_PASSWORD", "example-admin-password-123");
        try
        {
            using var pz = PzProcess.Start("gateway", "--config", path);
            var first = await pz.ReadLineAsync(StartTimeout);
            Assert.True(first == $"gateway bootstrap listening on 127.0.0.1:{port}", $"unexpected '{first}'; stderr: {pz.Error}");

            var partner = Properties("johndoe.properties");
            using (var admin = new AdminClientBuilder(new AdminClientConfig
            {
                BootstrapServers = $"127.0.0.1:{port}",
                SecurityProtocol = SecurityProtocol.SaslPlaintext,
                SaslMechanism = SaslMechanism.Plain,
                SaslUsername = partner["sasl.username"],
                SaslPassword = partner["sasl.password"],
            }).Build())
            {
                var metadata = admin.GetMetadata(TimeSpan.FromSeconds(20));
                Assert.Equal(["topic-a", "topic-b"], metadata.Topics.Select(t => t.Topic).Order());
            }

            // The example's admin user `admin` has the password from PZ_GATEWAY_ADMIN_PASSWORD.
            using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port + 2}") })
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                    "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:example-admin-password-123")));
                using var token = await http.PostAsync("/admin/vclusters/v1/vcluster/passthrough/username/admin",
                    new StringContent("{\"lifeTimeSeconds\": 60}", System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(System.Net.HttpStatusCode.OK, token.StatusCode);
                Assert.Contains("\"token\"", await token.Content.ReadAsStringAsync());
            }

            pz.Terminate();
            Assert.Equal(0, await pz.WaitForExitAsync(StartTimeout));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Invalid_configuration_prints_every_problem_and_exits_2()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pz-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "apiVersion: v2\nkind: Gateway\nspec:\n  upstream:\n    bootstrapServers: ''\n  colour: red\n");
        try
        {
            var (exit, _, error) = PzProcess.Run("gateway", "--config", path);
            Assert.Equal(2, exit);
            Assert.Contains("bootstrapServers is empty", error);
            Assert.Contains("unknown field spec.colour", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_admin_API_has_no_default_password_and_says_what_to_set()
    {
        // The shipped example without PZ_GATEWAY_ADMIN_PASSWORD: nothing starts, and the error names it.
        var unset = Path.Combine(Path.GetTempPath(), $"pz-noadmin-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(unset, File.ReadAllText(Path.Combine(RepoRoot(), "examples", "gateway.yaml")).Replace("PZ_GATEWAY_ADMIN_PASSWORD", "PZ_TEST_ADMIN_PASSWORD_NEVER_SET"));
        // With the HTTP port on and no admin user at all, the error says what to add.
        var none = Path.Combine(Path.GetTempPath(), $"pz-noadmin-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(none, "apiVersion: v2\nkind: Gateway\nspec:\n  upstream:\n    bootstrapServers: 127.0.0.1:1\n  http:\n    port: 8888\n");
        try
        {
            var (exit, _, error) = PzProcess.Run("gateway", "--config", unset);
            Assert.Equal(2, exit);
            Assert.Contains("environment variable PZ_TEST_ADMIN_PASSWORD_NEVER_SET is not set", error);

            (exit, _, error) = PzProcess.Run("gateway", "--config", none);
            Assert.Equal(2, exit);
            Assert.Contains("spec.admin.users is empty", error);
            Assert.Contains("PZ_GATEWAY_ADMIN_PASSWORD", error);
        }
        finally
        {
            File.Delete(unset);
            File.Delete(none);
        }
    }

    [Fact]
    public void Unreachable_upstream_is_one_clear_error_and_exit_2()
    {
        var port = LoopbackPorts.FreeRange(3);
        var path = Path.Combine(Path.GetTempPath(), $"pz-down-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"apiVersion: v2\nkind: Gateway\nspec:\n  upstream:\n    bootstrapServers: 127.0.0.1:{port}\n  listener:\n    bootstrapPort: {port + 1}\n  http:\n    port: 0\n");
        try
        {
            var (exit, _, error) = PzProcess.Run("gateway", "--config", path);
            Assert.Equal(2, exit);
            Assert.Contains($"127.0.0.1:{port}", error);
            Assert.Contains("bootstrapServers", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Hash_secret_prints_a_hash_that_verifies()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pz.dll"));
        start.ArgumentList.Add("gateway");
        start.ArgumentList.Add("hash-secret");
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Write("s3cret-value\n");
        process.StandardInput.Close();
        var hash = process.StandardOutput.ReadToEnd().Trim();
        Assert.True(process.WaitForExit(60_000));
        Assert.Equal(0, process.ExitCode);
        Assert.True(SecretHash.Verify("s3cret-value", hash));
        Assert.False(SecretHash.Verify("other", hash));
    }

    private static Dictionary<string, string> Properties(string file) =>
        File.ReadAllLines(Path.Combine(RepoRoot(), "examples", file))
            .Where(l => l.Contains('=') && !l.TrimStart().StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PartnerZones.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Repository root not found.");
    }


}
