using PartnerZones.ControlPlane.Tests.Api;

namespace PartnerZones.ControlPlane.Tests.Cli;

/// <summary>The CLI bullets of the issue that <see cref="ClientCommandTests"/> leaves out: recursive
/// delete from a directory, the CDK key variable on its own, and bad input to every partner-zone command,
/// each one line with a non-zero exit.</summary>
public sealed class ClientEdgeCaseTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-cli-edge-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Dictionary<string, string> Environment => new()
    {
        ["PZ_BASE_URL"] = fixture.Console.Url.ToString(),
        ["PZ_API_KEY"] = fixture.Console.ApiKey,
    };

    [Fact]
    public async Task Delete_reads_directories_recursively_and_the_cdk_key_variable_works_alone()
    {
        var (cluster, zone, nested) = (Documents.Unique("gw"), Documents.Unique("zone"), Documents.Unique("zone"));
        var dir = Path.Combine(_directory, "resources");
        Directory.CreateDirectory(Path.Combine(dir, "more"));
        File.WriteAllText(Path.Combine(dir, "cluster.yaml"), ClientCommandTests.ClusterYaml(cluster));
        File.WriteAllText(Path.Combine(dir, "zone.yaml"), ClientCommandTests.ZoneYaml(zone, cluster));
        File.WriteAllText(Path.Combine(dir, "more", "zone.yaml"), ClientCommandTests.ZoneYaml(nested, cluster));
        var cdk = new Dictionary<string, string> { ["PZ_BASE_URL"] = fixture.Console.Url.ToString(), ["CDK_API_KEY"] = fixture.Console.ApiKey };

        var (exit, output, error) = await Pz.RunAsync(cdk, null, "apply", "-f", dir, "-r");
        Assert.True(exit == 0, error);
        Assert.Equal(3, Lines(output).Length);

        // Without -r the nested zone stays, so its cluster cannot go either.
        (exit, output, error) = await Pz.RunAsync(Environment, null, "delete", "-f", dir);
        Assert.Equal(1, exit);
        Assert.Equal([$"PartnerZone/{zone}: Deleted"], Lines(output));
        Assert.Contains($"Could not delete KafkaCluster/{cluster}: ", error);

        (exit, output, error) = await Pz.RunAsync(Environment, null, "delete", "-f", dir, "-r");
        Assert.Equal(1, exit);
        Assert.Contains($"PartnerZone/{nested}: Deleted", Lines(output));
        Assert.Contains($"KafkaCluster/{cluster}: Deleted", Lines(output));
        Assert.Equal([$"Could not delete PartnerZone/{zone}: PartnerZone '{zone}' does not exist."], Lines(error));
    }

    [Fact]
    public async Task Partner_zone_commands_refuse_bad_input_in_one_line()
    {
        var noKey = new Dictionary<string, string> { ["PZ_BASE_URL"] = fixture.Console.Url.ToString() };
        var (exit, _, error) = await Pz.RunAsync(noKey, null, "partner-zone", "generate-credentials", "any");
        Assert.Equal(1, exit);
        Assert.Equal(["pz partner-zone generate-credentials: no API key; set PZ_API_KEY (or pass --api-key) to a key an admin created with: pz token create NAME."], Lines(error));

        (exit, _, error) = await Pz.RunAsync(Environment, null, "partner-zone", "generate-credentials", "no-such-zone", "-o", "properties");
        Assert.Equal(1, exit);
        Assert.Equal(["pz partner-zone generate-credentials: PartnerZone 'no-such-zone' does not exist."], Lines(error));

        (exit, _, error) = await Pz.RunAsync(Environment, null, "partner-zone", "generate-credentials", "any", "-o", "yaml");
        Assert.Equal(2, exit);
        Assert.Single(Lines(error));
        Assert.Contains("'yaml'", error);

        (exit, _, error) = await Pz.RunAsync(Environment, null, "partner-zone", "generate-credentials", "any", "--lifetime", "soon");
        Assert.Equal(2, exit);
        Assert.Single(Lines(error));

        (exit, _, error) = await Pz.RunAsync(Environment, null, "partner-zone", "credentials", "no-such-zone");
        Assert.Equal(1, exit);
        Assert.Equal(["pz partner-zone credentials: PartnerZone 'no-such-zone' does not exist."], Lines(error));

        (exit, _, error) = await Pz.RunAsync(Environment, null, "partner-zone", "revoke-credentials", "no-such-zone");
        Assert.Equal(2, exit);
        Assert.Single(Lines(error));

        var unreachable = new Dictionary<string, string> { ["PZ_BASE_URL"] = "http://127.0.0.1:1", ["PZ_API_KEY"] = fixture.Console.ApiKey };
        (exit, _, error) = await Pz.RunAsync(unreachable, null, "partner-zone", "credentials", "any");
        Assert.Equal(1, exit);
        Assert.StartsWith("pz partner-zone credentials: cannot reach the console at http://127.0.0.1:1 (", Assert.Single(Lines(error)));

        (exit, _, error) = await Pz.RunAsync(Environment, null, "apply");
        Assert.Equal(2, exit);
        Assert.Equal(["pz apply: no -f given; name a YAML file, a directory or - for standard input."], Lines(error));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
