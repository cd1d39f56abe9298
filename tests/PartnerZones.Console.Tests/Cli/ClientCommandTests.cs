using System.Text.Json;
using PartnerZones.ControlPlane.Tests.Api;

namespace PartnerZones.ControlPlane.Tests.Cli;

/// <summary>`pz apply`, `get`, `delete` and `token` run as processes against a console started by the test
/// (SQLite): output formats, exit codes and the one-line errors.</summary>
public sealed class ClientCommandTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-cli-tests-").FullName;

    private Dictionary<string, string> Environment => new()
    {
        ["PZ_BASE_URL"] = fixture.Console.Url.ToString(),
        ["PZ_API_KEY"] = fixture.Console.ApiKey,
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Apply_orders_clusters_first_and_reports_each_resource()
    {
        var (cluster, zone) = (Documents.Unique("gw"), Documents.Unique("zone"));
        var file = Write("all.yaml", ZoneYaml(zone, cluster) + "---\n" + ClusterYaml(cluster));

        var (exit, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", file);
        Assert.True(exit == 0, error);
        Assert.Equal([$"KafkaCluster/{cluster}: Created", $"PartnerZone/{zone}: Created"], Lines(output));

        (exit, output, _) = await Pz.RunAsync(Environment, null, "apply", "-f", file);
        Assert.Equal(0, exit);
        Assert.Equal([$"KafkaCluster/{cluster}: NotChanged", $"PartnerZone/{zone}: NotChanged"], Lines(output));

        Write("all.yaml", ZoneYaml(zone, cluster).Replace("permission: READ", "permission: WRITE", StringComparison.Ordinal));
        (exit, output, _) = await Pz.RunAsync(Environment, null, "apply", "-f", file, "--dry-run");
        Assert.Equal(0, exit);
        Assert.Equal([$"PartnerZone/{zone}: Updated (dry run)"], Lines(output));
        var (_, stored, _) = await Pz.RunAsync(Environment, null, "get", "pz", zone, "-o", "json");
        Assert.Contains("\"READ\"", stored);

        (exit, output, _) = await Pz.RunAsync(Environment, null, "apply", "-f", file);
        Assert.Equal(0, exit);
        Assert.Equal([$"PartnerZone/{zone}: Updated"], Lines(output));
    }

    [Fact]
    public async Task A_failing_resource_is_reported_and_the_others_still_apply()
    {
        var (cluster, good, bad) = (Documents.Unique("gw"), Documents.Unique("zone"), Documents.Unique("zone"));
        var badYaml = ZoneYaml(bad, "no-such-cluster").Replace("permission: READ", "permission: ADMIN", StringComparison.Ordinal);
        var unknownField = ZoneYaml(Documents.Unique("zone"), cluster) + "  trafficControlPolicies:\n    maxBytesPerSecond: 1\n";
        var file = Write("mixed.yaml", $"{ClusterYaml(cluster)}---\n{badYaml}---\n{ZoneYaml(good, cluster)}---\n{unknownField}---\napiVersion: v2\nkind: Topic\nmetadata:\n  name: t\n");

        var (exit, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", file);
        Assert.Equal(1, exit);
        Assert.Equal([$"KafkaCluster/{cluster}: Created", $"PartnerZone/{good}: Created"], Lines(output));
        var errors = Lines(error);
        Assert.Equal(3, errors.Length);
        Assert.Contains(errors, e => e.StartsWith($"Could not apply PartnerZone/{bad}: ", StringComparison.Ordinal)
            && e.Contains("spec.topics[1].permission is 'ADMIN'") && !e.Contains($"PartnerZone '{bad}'"));
        Assert.Contains(errors, e => e.Contains("unknown field spec.trafficControlPolicies.maxBytesPerSecond (line"));
        Assert.Contains(errors, e => e.StartsWith("Could not apply Topic/t: kind 'Topic' is not one the console manages", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_reads_directories_recursively_and_standard_input()
    {
        var (cluster, zone, nested) = (Documents.Unique("gw"), Documents.Unique("zone"), Documents.Unique("zone"));
        var dir = Path.Combine(_directory, "resources");
        Directory.CreateDirectory(Path.Combine(dir, "more"));
        File.WriteAllText(Path.Combine(dir, "b-zone.yaml"), ZoneYaml(zone, cluster));
        File.WriteAllText(Path.Combine(dir, "a-cluster.yml"), ClusterYaml(cluster));
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "not yaml");
        File.WriteAllText(Path.Combine(dir, "more", "zone.yaml"), ZoneYaml(nested, cluster));

        var (exit, output, _) = await Pz.RunAsync(Environment, null, "apply", "-f", dir);
        Assert.Equal(0, exit);
        Assert.Equal([$"KafkaCluster/{cluster}: Created", $"PartnerZone/{zone}: Created"], Lines(output));

        (exit, output, _) = await Pz.RunAsync(Environment, null, "apply", "-f", dir, "-r");
        Assert.Equal(0, exit);
        Assert.Contains($"PartnerZone/{nested}: Created", Lines(output));

        var piped = Documents.Unique("zone");
        (exit, output, _) = await Pz.RunAsync(Environment, ZoneYaml(piped, cluster), "apply", "-f", "-");
        Assert.Equal(0, exit);
        Assert.Equal([$"PartnerZone/{piped}: Created"], Lines(output));
    }

    [Fact]
    public async Task Get_prints_yaml_json_and_names_and_yaml_applies_back_unchanged()
    {
        var (cluster, zone) = (Documents.Unique("gw"), Documents.Unique("zone"));
        await Pz.RunAsync(Environment, null, "apply", "-f", Write("r.yaml", ClusterYaml(cluster) + "---\n" + ZoneYaml(zone, cluster)));

        var (exit, yaml, _) = await Pz.RunAsync(Environment, null, "get", "PartnerZone", zone);
        Assert.Equal(0, exit);
        Assert.StartsWith("apiVersion: v2\nkind: PartnerZone\nmetadata:\n", yaml);
        Assert.Contains("status: PENDING", yaml);
        Assert.Matches(@"id: ""?[0-9a-f-]{36}", yaml);
        Assert.Contains("phone: \"07827 837 177\"", yaml);

        var saved = Write("saved.yaml", yaml);
        var (reapply, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", saved);
        Assert.True(reapply == 0, error);
        Assert.Equal([$"PartnerZone/{zone}: NotChanged"], Lines(output));

        var (_, json, _) = await Pz.RunAsync(Environment, null, "get", "partner-zones", zone, "-o", "json");
        var parsed = JsonDocument.Parse(json).RootElement;
        Assert.Equal(zone, parsed.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("PENDING", parsed.GetProperty("metadata").GetProperty("status").GetString());

        var (_, list, _) = await Pz.RunAsync(Environment, null, "get", "pz", "-o", "json");
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(list).RootElement.ValueKind);

        var (_, names, _) = await Pz.RunAsync(Environment, null, "get", "PARTNERZONE", "-o", "name");
        Assert.Contains($"PartnerZone/{zone}", Lines(names));

        var (_, all, _) = await Pz.RunAsync(Environment, null, "get", "kafkaclusters");
        Assert.Contains("---\n", all);
        Assert.Contains($"name: {cluster}", all);
        Assert.DoesNotContain("password", all);
    }

    internal const string PoliciesYaml = """
          trafficControlPolicies:
            maxProduceRate: 1048576
            maxConsumeRate: 2097152
            limitCommitOffset: 30
          headers:
            addOnProduce:
              - key: x-partner
                value: "{{user}} via {{gatewayHost}}"
                overrideIfExists: true
              - key: "123"
                value: "{{timestampMillis}}"
            removeOnConsume:
              - keyRegex: "internal-.*"
              - keyRegex: "|x-(debug|trace)"

        """;

    [Fact]
    public async Task Traffic_control_and_header_rules_round_trip_through_apply_and_get_in_yaml_and_json()
    {
        var (cluster, zone) = (Documents.Unique("gw"), Documents.Unique("zone"));
        var (exit, _, error) = await Pz.RunAsync(Environment, null, "apply", "-f", Write("p.yaml", ClusterYaml(cluster) + "---\n" + ZoneYaml(zone, cluster) + PoliciesYaml));
        Assert.True(exit == 0, error);

        var (_, json, _) = await Pz.RunAsync(Environment, null, "get", "pz", zone, "-o", "json");
        var spec = JsonDocument.Parse(json).RootElement.GetProperty("spec");
        var limits = spec.GetProperty("trafficControlPolicies");
        Assert.Equal(1048576, limits.GetProperty("maxProduceRate").GetInt64());
        Assert.Equal(2097152, limits.GetProperty("maxConsumeRate").GetInt64());
        Assert.Equal(30, limits.GetProperty("limitCommitOffset").GetInt32());
        var add = spec.GetProperty("headers").GetProperty("addOnProduce");
        Assert.Equal("{{user}} via {{gatewayHost}}", add[0].GetProperty("value").GetString());
        Assert.True(add[0].GetProperty("overrideIfExists").GetBoolean());
        Assert.Equal("123", add[1].GetProperty("key").GetString());
        Assert.False(add[1].GetProperty("overrideIfExists").GetBoolean());
        Assert.Equal("|x-(debug|trace)", spec.GetProperty("headers").GetProperty("removeOnConsume")[1].GetProperty("keyRegex").GetString());

        // The YAML pz get prints applies back unchanged, and so does the JSON.
        var (_, yaml, _) = await Pz.RunAsync(Environment, null, "get", "pz", zone);
        Assert.Contains("trafficControlPolicies:", yaml);
        Assert.Contains("maxProduceRate: 1048576", yaml);
        var (reapply, output, reapplyError) = await Pz.RunAsync(Environment, null, "apply", "-f", Write("saved.yaml", yaml));
        Assert.True(reapply == 0, reapplyError);
        Assert.Equal([$"PartnerZone/{zone}: NotChanged"], Lines(output));
        (reapply, output, reapplyError) = await Pz.RunAsync(Environment, null, "apply", "-f", Write("saved.json", json));
        Assert.True(reapply == 0, reapplyError);
        Assert.Equal([$"PartnerZone/{zone}: NotChanged"], Lines(output));

        // Dropping a part is a change, and the stored zone then has none of it.
        (reapply, output, _) = await Pz.RunAsync(Environment, null, "apply", "-f", Write("plain.yaml", ZoneYaml(zone, cluster)));
        Assert.Equal(0, reapply);
        Assert.Equal([$"PartnerZone/{zone}: Updated"], Lines(output));
        (_, json, _) = await Pz.RunAsync(Environment, null, "get", "pz", zone, "-o", "json");
        Assert.False(JsonDocument.Parse(json).RootElement.GetProperty("spec").TryGetProperty("headers", out _));
    }

    [Fact]
    public async Task Invalid_policies_are_refused_by_apply_naming_the_field()
    {
        var (cluster, zone) = (Documents.Unique("gw"), Documents.Unique("zone"));
        var bad = PoliciesYaml.Replace("{{timestampMillis}}", "{{foo}}", StringComparison.Ordinal).Replace("internal-.*", "(?=x)", StringComparison.Ordinal)
            .Replace("limitCommitOffset: 30", "limitCommitOffset: 0", StringComparison.Ordinal);
        var (exit, _, error) = await Pz.RunAsync(Environment, null, "apply", "-f", Write("bad.yaml", ClusterYaml(cluster) + "---\n" + ZoneYaml(zone, cluster) + bad));
        Assert.Equal(1, exit);
        var line = Assert.Single(Lines(error));
        Assert.Contains("spec.headers.addOnProduce[1].value uses the unknown template '{{foo}}'", line);
        Assert.Contains("spec.headers.removeOnConsume[0].keyRegex", line);
        Assert.Contains("spec.trafficControlPolicies.limitCommitOffset is 0", line);
        Assert.Equal(1, (await Pz.RunAsync(Environment, null, "get", "pz", zone)).Exit);
    }

    [Fact]
    public async Task Get_and_delete_errors_are_one_line_with_a_non_zero_exit()
    {
        var (exit, output, error) = await Pz.RunAsync(Environment, null, "get", "topics");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal(["pz get: unknown kind 'topics'; use PartnerZone (partner-zone, pz), KafkaCluster (kafka-cluster, kc)."], Lines(error));

        (exit, _, error) = await Pz.RunAsync(Environment, null, "get", "pz", "no-such-zone");
        Assert.Equal(1, exit);
        Assert.Equal(["pz get: PartnerZone 'no-such-zone' does not exist."], Lines(error));

        (exit, _, error) = await Pz.RunAsync(Environment, null, "get", "pz", "-o", "xml");
        Assert.Equal(2, exit);
        Assert.Single(Lines(error));

        (exit, _, error) = await Pz.RunAsync(Environment, null, "delete", "pz", "no-such-zone");
        Assert.Equal(1, exit);
        Assert.Equal(["Could not delete PartnerZone/no-such-zone: PartnerZone 'no-such-zone' does not exist."], Lines(error));

        (exit, _, error) = await Pz.RunAsync(Environment, null, "delete", "pz");
        Assert.Equal(2, exit);
        Assert.Contains("KIND NAME", error);

        (exit, _, error) = await Pz.RunAsync(Environment, null, "apply", "-f", Path.Combine(_directory, "missing.yaml"));
        Assert.Equal(1, exit);
        Assert.Equal([$"pz apply: {Path.Combine(_directory, "missing.yaml")}: no such file or directory."], Lines(error));

        (exit, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", Write("broken.yaml", "kind: [unclosed\n"));
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Single(Lines(error));
        Assert.Contains("invalid YAML at line", error);
    }

    [Fact]
    public async Task Delete_by_name_and_by_file()
    {
        var (cluster, zone) = (Documents.Unique("gw"), Documents.Unique("zone"));
        var file = Write("d.yaml", ClusterYaml(cluster) + "---\n" + ZoneYaml(zone, cluster));
        await Pz.RunAsync(Environment, null, "apply", "-f", file);

        var (exit, _, error) = await Pz.RunAsync(Environment, null, "delete", "kc", cluster);
        Assert.Equal(1, exit);
        Assert.Contains($"serves PartnerZone '{zone}'", error);

        // From the file: zones first, then the cluster they use.
        var (deleted, output, deleteError) = await Pz.RunAsync(Environment, null, "delete", "-f", file);
        Assert.True(deleted == 0, deleteError);
        Assert.Equal([$"PartnerZone/{zone}: Deleted", $"KafkaCluster/{cluster}: Deleted"], Lines(output));

        await Pz.RunAsync(Environment, null, "apply", "-f", file);
        (exit, output, _) = await Pz.RunAsync(Environment, null, "delete", "partner-zone", zone);
        Assert.Equal(0, exit);
        Assert.Equal([$"PartnerZone/{zone}: Deleted"], Lines(output));
        (exit, _, _) = await Pz.RunAsync(Environment, null, "get", "pz", zone);
        Assert.Equal(1, exit);
    }

    [Fact]
    public async Task Missing_or_wrong_key_and_unreachable_console_are_one_clear_line()
    {
        var file = Write("z.yaml", ZoneYaml(Documents.Unique("zone"), "gw"));
        var noKey = new Dictionary<string, string> { ["PZ_BASE_URL"] = fixture.Console.Url.ToString() };
        var (exit, _, error) = await Pz.RunAsync(noKey, null, "get", "pz");
        Assert.Equal(1, exit);
        Assert.Equal(["pz get: no API key; set PZ_API_KEY (or pass --api-key) to a key an admin created with: pz token create NAME."], Lines(error));

        var wrongKey = new Dictionary<string, string> { ["PZ_BASE_URL"] = fixture.Console.Url.ToString(), ["PZ_API_KEY"] = "pzk_wrong" };
        (exit, _, error) = await Pz.RunAsync(wrongKey, null, "apply", "-f", file);
        Assert.Equal(1, exit);
        Assert.Equal(["pz apply: the console refused the credentials: the API key is not valid (unknown or revoked); ask an admin for a new one (pz token create NAME)."], Lines(error));

        // CDK_* names work too, and flags win over the environment.
        var cdk = new Dictionary<string, string> { ["CDK_BASE_URL"] = "http://127.0.0.1:1", ["CDK_API_KEY"] = fixture.Console.ApiKey };
        (exit, _, error) = await Pz.RunAsync(cdk, null, "get", "pz");
        Assert.Equal(1, exit);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("pz get: cannot reach the console at http://127.0.0.1:1 (", line);
        (exit, _, error) = await Pz.RunAsync(cdk, null, "get", "pz", "--url", fixture.Console.Url.ToString());
        Assert.True(exit == 0, error);
        var consoleUrl = new Dictionary<string, string> { ["PZ_CONSOLE_URL"] = fixture.Console.Url.ToString(), ["PZ_API_KEY"] = fixture.Console.ApiKey };
        (exit, _, error) = await Pz.RunAsync(consoleUrl, null, "get", "kc");
        Assert.True(exit == 0, error);

        (exit, _, error) = await Pz.RunAsync(noKey, null, "get", "pz", "--api-key", fixture.Console.ApiKey, "--url", "not a url");
        Assert.Equal(2, exit);
        Assert.Equal(["pz get: 'not a url' is not a console URL; set PZ_BASE_URL (or --url) to something like http://127.0.0.1:8080."], Lines(error));
    }

    [Fact]
    public async Task Token_create_list_and_revoke_as_an_admin()
    {
        var admin = new Dictionary<string, string> { ["PZ_BASE_URL"] = fixture.Console.Url.ToString(), ["PZ_ADMIN_PASSWORD"] = TestConsole.AdminPassword };
        var name = Documents.Unique("ci");
        var (exit, output, error) = await Pz.RunAsync(admin, null, "token", "create", name);
        Assert.True(exit == 0, error);
        var key = Assert.Single(Lines(output));
        Assert.StartsWith("pzk_", key);
        Assert.Contains($"Token/{name}: Created", error);

        var withKey = new Dictionary<string, string> { ["PZ_BASE_URL"] = fixture.Console.Url.ToString(), ["PZ_API_KEY"] = key };
        Assert.Equal(0, (await Pz.RunAsync(withKey, null, "get", "pz")).Exit);

        // The password may come on standard input instead.
        var (_, table, _) = await Pz.RunAsync(new Dictionary<string, string> { ["PZ_BASE_URL"] = fixture.Console.Url.ToString() }, TestConsole.AdminPassword + "\n", "token", "list");
        var lines = Lines(table);
        Assert.StartsWith("ID", lines[0]);
        Assert.Contains(lines, l => l.Contains(name) && l.Contains("admin"));
        Assert.DoesNotContain(key, table);

        (exit, output, _) = await Pz.RunAsync(admin, null, "token", "revoke", name);
        Assert.Equal(0, exit);
        Assert.StartsWith($"Token/{name}: Revoked", output);
        Assert.Equal(1, (await Pz.RunAsync(withKey, null, "get", "pz")).Exit);

        var wrong = new Dictionary<string, string> { ["PZ_BASE_URL"] = fixture.Console.Url.ToString(), ["PZ_ADMIN_PASSWORD"] = "wrong" };
        (exit, _, error) = await Pz.RunAsync(wrong, null, "token", "list");
        Assert.Equal(1, exit);
        Assert.Equal(["pz token list: the console refused the credentials: admin login failed: wrong user name or password."], Lines(error));

        (exit, _, error) = await Pz.RunAsync(new Dictionary<string, string> { ["PZ_BASE_URL"] = fixture.Console.Url.ToString() }, "", "token", "create", "x");
        Assert.Equal(1, exit);
        Assert.Contains("no admin password", error);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    internal static string ClusterYaml(string name) => $"""
        apiVersion: v2
        kind: KafkaCluster
        metadata:
          name: {name}
        spec:
          bootstrapServers: 127.0.0.1:9094
          adminApi:
            url: http://127.0.0.1:8888
            username: admin
            password: gateway-secret

        """;

    internal static string ZoneYaml(string name, string cluster) => $"""
        apiVersion: v2
        kind: PartnerZone
        metadata:
          name: {name}
        spec:
          cluster: {cluster}
          serviceAccount: {name}-sa
          topics:
            - name: topic-a
              backingTopic: kafka-topic-a
              permission: WRITE
            - name: topic-b
              backingTopic: kafka-topic-a
              permission: READ
          partner:
            name: John Doe
            phone: 07827 837 177

        """;
}
