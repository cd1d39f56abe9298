using PartnerZones.ControlPlane.Tests.Api;
using PartnerZones.ControlPlane.Tests.Cli;

namespace PartnerZones.ControlPlane.Tests.Verification;

/// <summary>
/// `pz` client commands as processes against a running console (SQLite), for what the other CLI tests
/// leave out: the kind spellings the issue names, the CDK_* variables on their own and against the PZ_*
/// ones, the `headers` field refused from YAML, and bad input to the token and delete commands, each one
/// line on standard error with a non-zero exit.
/// </summary>
public sealed class CliVerificationTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-cli-verification-").FullName;

    private Dictionary<string, string> Environment => new()
    {
        ["PZ_BASE_URL"] = fixture.Console.Url.ToString(),
        ["PZ_API_KEY"] = fixture.Console.ApiKey,
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Every_kind_spelling_of_the_issue_works_for_get_and_delete()
    {
        var cluster = Documents.Unique("gw");
        var zones = Enumerable.Range(0, 3).Select(_ => Documents.Unique("zone")).ToArray();
        var file = Write("r.yaml", ClientCommandTests.ClusterYaml(cluster) + string.Concat(zones.Select(z => "---\n" + ClientCommandTests.ZoneYaml(z, cluster))));
        Assert.Equal(0, (await Pz.RunAsync(Environment, null, "apply", "-f", file)).Exit);

        foreach (var spelling in new[] { "partnerzone", "partner-zones", "pz", "PartnerZone", "PARTNER-ZONE", "zones" })
        {
            var (exit, output, error) = await Pz.RunAsync(Environment, null, "get", spelling, zones[0], "-o", "name");
            Assert.True(exit == 0, $"pz get {spelling}: {error}");
            Assert.Equal($"PartnerZone/{zones[0]}\n", output);
        }

        foreach (var spelling in new[] { "kafkacluster", "kafka-clusters", "kc", "KafkaCluster" })
        {
            var (exit, output, error) = await Pz.RunAsync(Environment, null, "get", spelling, cluster, "-o", "name");
            Assert.True(exit == 0, $"pz get {spelling}: {error}");
            Assert.Equal($"KafkaCluster/{cluster}\n", output);
        }

        var deletes = new[] { "partnerzone", "partner-zones", "pz" };
        for (var i = 0; i < deletes.Length; i++)
        {
            var (exit, output, error) = await Pz.RunAsync(Environment, null, "delete", deletes[i], zones[i]);
            Assert.True(exit == 0, $"pz delete {deletes[i]}: {error}");
            Assert.Equal($"PartnerZone/{zones[i]}: Deleted\n", output);
        }

        Assert.Equal(0, (await Pz.RunAsync(Environment, null, "delete", "KC", cluster)).Exit);
        Assert.Equal(1, (await Pz.RunAsync(Environment, null, "get", "kc", cluster)).Exit);
    }

    [Fact]
    public async Task Cdk_variables_work_alone_and_pz_variables_win_over_them()
    {
        var url = fixture.Console.Url.ToString();
        var cdkOnly = new Dictionary<string, string> { ["CDK_BASE_URL"] = url, ["CDK_API_KEY"] = fixture.Console.ApiKey };
        var (exit, _, error) = await Pz.RunAsync(cdkOnly, null, "get", "kc");
        Assert.True(exit == 0, error);

        var both = new Dictionary<string, string>
        {
            ["PZ_BASE_URL"] = url, ["CDK_BASE_URL"] = "http://127.0.0.1:1",
            ["PZ_API_KEY"] = fixture.Console.ApiKey, ["CDK_API_KEY"] = "pzk_wrong",
        };
        (exit, _, error) = await Pz.RunAsync(both, null, "get", "kc");
        Assert.True(exit == 0, error);

        // A wrong CDK key alone is refused like a wrong PZ key: the variable was read.
        var wrongCdk = new Dictionary<string, string> { ["CDK_BASE_URL"] = url, ["CDK_API_KEY"] = "pzk_wrong" };
        (exit, _, error) = await Pz.RunAsync(wrongCdk, null, "get", "kc");
        Assert.Equal(1, exit);
        Assert.StartsWith("pz get: the console refused the credentials: the API key is not valid", Assert.Single(Lines(error)));
    }

    [Fact]
    public async Task Headers_on_a_topic_are_refused_from_yaml_naming_the_field_and_why()
    {
        var cluster = Documents.Unique("gw");
        var zone = Documents.Unique("zone");
        var yaml = ClientCommandTests.ZoneYaml(zone, cluster).Replace(
            "permission: READ\n", "permission: READ\n      headers:\n        x-source: partner\n", StringComparison.Ordinal);
        Assert.Contains("headers:", yaml);
        var file = Write("headers.yaml", ClientCommandTests.ClusterYaml(cluster) + "---\n" + yaml);

        var (exit, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", file);
        Assert.Equal(1, exit);
        Assert.Equal($"KafkaCluster/{cluster}: Created\n", output);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith($"Could not apply PartnerZone/{zone}: unknown field spec.topics[1].headers (line ", line);
        Assert.Contains("; remove it or check its spelling (known fields here: backingTopic, name, permission)", line);
        Assert.Equal(1, (await Pz.RunAsync(Environment, null, "get", "pz", zone)).Exit);
    }

    [Fact]
    public async Task A_field_to_remove_does_not_hide_the_other_problems_of_a_yaml_document()
    {
        var zone = Documents.Unique("zone");
        var yaml = ClientCommandTests.ZoneYaml(zone, "gw")
            .Replace("permission: READ\n", "permission: ADMIN\n      headers:\n        x-source: partner\n", StringComparison.Ordinal)
            .Replace("  topics:\n", "  trafficControlPolicies: {maxBytesPerSecond: 1}\n  topics:\n", StringComparison.Ordinal);
        var (exit, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", Write("all-problems.yaml", yaml));
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith($"Could not apply PartnerZone/{zone}: ", line);
        Assert.Contains("spec.trafficControlPolicies.maxBytesPerSecond (line", line);
        Assert.Contains("spec.topics[1].headers (line", line);
        Assert.Contains("spec.topics[1].permission is 'ADMIN'; use READ or WRITE", line);
    }

    [Fact]
    public async Task Token_delete_and_credential_commands_refuse_bad_input_in_one_line()
    {
        var url = fixture.Console.Url.ToString();
        var admin = new Dictionary<string, string> { ["PZ_BASE_URL"] = url, ["PZ_ADMIN_PASSWORD"] = TestConsole.AdminPassword };

        var (exit, output, error) = await Pz.RunAsync(admin, null, "token", "create", "Not Valid");
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith("pz token create: name 'Not Valid' must be lower-case letters", Assert.Single(Lines(error)));

        (exit, _, error) = await Pz.RunAsync(admin, null, "token", "revoke", "no-such-key");
        Assert.Equal(1, exit);
        Assert.Equal(["pz token revoke: no active API key has the id or name 'no-such-key'."], Lines(error));

        (exit, _, error) = await Pz.RunAsync(new Dictionary<string, string> { ["PZ_BASE_URL"] = "http://127.0.0.1:1", ["PZ_ADMIN_PASSWORD"] = "x" }, null, "token", "list");
        Assert.Equal(1, exit);
        Assert.StartsWith("pz token list: cannot reach the console at http://127.0.0.1:1 (", Assert.Single(Lines(error)));

        (exit, _, error) = await Pz.RunAsync(admin, null, "token", "list", "-o", "xml");
        Assert.Equal(2, exit);
        Assert.Single(Lines(error));

        var missing = Path.Combine(_directory, "missing.yaml");
        (exit, _, error) = await Pz.RunAsync(Environment, null, "delete", "-f", missing);
        Assert.Equal(1, exit);
        Assert.Equal([$"pz delete: {missing}: no such file or directory."], Lines(error));

        (exit, output, error) = await Pz.RunAsync(Environment, null, "delete", "-f", Write("broken.yaml", "kind: [unclosed\n"));
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("invalid YAML at line", Assert.Single(Lines(error)));

        (exit, _, error) = await Pz.RunAsync(Environment, null, "delete", "pz", "x", "-f", missing);
        Assert.Equal(2, exit);
        Assert.Contains("give either KIND NAME or -f FILE, not both", Assert.Single(Lines(error)));

        (exit, _, error) = await Pz.RunAsync(Environment, null, "delete", "topics", "x");
        Assert.Equal(2, exit);
        Assert.Equal(["pz delete: unknown kind 'topics'; use PartnerZone (partner-zone, pz), KafkaCluster (kafka-cluster, kc)."], Lines(error));

        var wrongKey = new Dictionary<string, string> { ["PZ_BASE_URL"] = url, ["PZ_API_KEY"] = "pzk_wrong" };
        (exit, _, error) = await Pz.RunAsync(wrongKey, null, "delete", "pz", "any");
        Assert.Equal(1, exit);
        Assert.StartsWith("pz delete: the console refused the credentials: the API key is not valid", Assert.Single(Lines(error)));

        (exit, _, error) = await Pz.RunAsync(wrongKey, null, "partner-zone", "revoke-credentials", "any", "c-0");
        Assert.Equal(1, exit);
        Assert.StartsWith("pz partner-zone revoke-credentials: the console refused the credentials:", Assert.Single(Lines(error)));

        // A lifetime the console refuses comes back as the console's one line.
        var cluster = Documents.Unique("gw");
        var zone = Documents.Unique("zone");
        Assert.Equal(0, (await Pz.RunAsync(Environment, null, "apply", "-f", Write("z.yaml", ClientCommandTests.ClusterYaml(cluster) + "---\n" + ClientCommandTests.ZoneYaml(zone, cluster)))).Exit);
        (exit, output, error) = await Pz.RunAsync(Environment, null, "partner-zone", "generate-credentials", zone, "--lifetime", "0");
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal(["pz partner-zone generate-credentials: lifeTimeSeconds is 0; use 1 to 31622400 (366 days)."], Lines(error));
    }

    [Fact]
    public async Task Apply_dry_run_reports_failures_like_apply_and_writes_nothing()
    {
        var cluster = Documents.Unique("gw");
        Assert.Equal(0, (await Pz.RunAsync(Environment, null, "apply", "-f", Write("c.yaml", ClientCommandTests.ClusterYaml(cluster)))).Exit);
        var (good, bad) = (Documents.Unique("zone"), Documents.Unique("zone"));
        var file = Write("dry.yaml", ClientCommandTests.ZoneYaml(good, cluster) + "---\n" + ClientCommandTests.ZoneYaml(bad, "no-such-cluster"));

        var (exit, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", file, "--dry-run");
        Assert.Equal(1, exit);
        Assert.Equal([$"PartnerZone/{good}: Created (dry run)"], Lines(output));
        Assert.StartsWith($"Could not apply PartnerZone/{bad}: spec.cluster 'no-such-cluster' is not a KafkaCluster the console knows; use one of: ", Assert.Single(Lines(error)));
        Assert.Equal(1, (await Pz.RunAsync(Environment, null, "get", "pz", good)).Exit);
    }

    [Fact]
    public async Task Apply_dry_run_checks_zones_on_a_cluster_the_same_run_creates()
    {
        var (cluster, zone, bad) = (Documents.Unique("gw"), Documents.Unique("zone"), Documents.Unique("zone"));
        var file = Write("new-cluster.yaml", ClientCommandTests.ClusterYaml(cluster) + "---\n" + ClientCommandTests.ZoneYaml(zone, cluster)
            + "---\n" + ClientCommandTests.ZoneYaml(bad, cluster).Replace("permission: READ", "permission: ADMIN", StringComparison.Ordinal));

        var (exit, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", file, "--dry-run");
        // The zone on the new cluster is judged on everything else; a real problem of the other is still reported.
        Assert.Equal(1, exit);
        Assert.Equal([$"KafkaCluster/{cluster}: Created (dry run)", $"PartnerZone/{zone}: Created (dry run; KafkaCluster/{cluster} is created by this run)"], Lines(output));
        var line = Assert.Single(Lines(error));
        Assert.StartsWith($"Could not apply PartnerZone/{bad}: ", line);
        Assert.Contains("ADMIN", line);
        Assert.Equal(1, (await Pz.RunAsync(Environment, null, "get", "kafkacluster", cluster)).Exit);

        // And the real apply of the valid part does what the dry run said.
        var good = Write("good.yaml", ClientCommandTests.ClusterYaml(cluster) + "---\n" + ClientCommandTests.ZoneYaml(zone, cluster));
        (exit, output, _) = await Pz.RunAsync(Environment, null, "apply", "-f", good);
        Assert.Equal(0, exit);
        Assert.Equal([$"KafkaCluster/{cluster}: Created", $"PartnerZone/{zone}: Created"], Lines(output));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
