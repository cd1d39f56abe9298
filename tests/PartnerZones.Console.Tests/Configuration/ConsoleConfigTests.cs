using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Security;
using PartnerZones.ControlPlane.Tests.Api;
using PartnerZones.ControlPlane.Tests.Cli;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Tests.Configuration;

public sealed class ConsoleConfigTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-console-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_example_configuration_loads_with_a_sqlite_file_beside_it()
    {
        var path = Path.Combine(Repository.Root, "examples", "console.yaml");
        var config = ConsoleConfigLoader.Load(path);
        Assert.Equal(ConsoleSpec.DefaultListen, config.Spec.Listen);
        Assert.Equal(Path.Combine(Repository.Root, "examples", "console.db"), config.Spec.Store.Sqlite);
        var admin = Assert.Single(config.Spec.Admins);
        Assert.True(PasswordHash.Verify("console-demo-password", admin.PasswordHash), "examples/console.yaml says its demo password is console-demo-password");
    }

    [Fact]
    public void Environment_references_are_substituted_except_in_comments()
    {
        var name = $"PZ_TEST_DB_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "s3 #cret: x");
        try
        {
            var path = Path.Combine(_directory, "pg.yaml");
            File.WriteAllText(path, $$"""
                apiVersion: v2
                kind: Console
                metadata:
                  name: console
                spec:
                  # ${NOT_SET_ANYWHERE} in a comment is left alone
                  store:
                    postgres: Host=127.0.0.1;Database=pz;Username=pz;Password=${{{name}}}
                  admins:
                    - name: admin
                      passwordHash: {{PasswordHash.Hash("x", iterations: 10_000)}}
                """);
            // Expanded in the parsed value: '#' and ': ' in the variable stay part of it.
            Assert.EndsWith("Password=s3 #cret: x", ConsoleConfigLoader.Load(path).Spec.Store.Postgres);

            File.AppendAllText(path, "\n  listen: http://127.0.0.1:${PZ_TEST_UNSET_VARIABLE_X}\n");
            var error = Assert.Throws<ResourceException>(() => ConsoleConfigLoader.Load(path));
            Assert.Contains(error.Errors, e => e.Contains("${PZ_TEST_UNSET_VARIABLE_X} is used but the environment variable PZ_TEST_UNSET_VARIABLE_X is not set"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void A_configuration_without_admins_or_with_other_kinds_is_refused()
    {
        var path = Path.Combine(_directory, "c.yaml");
        File.WriteAllText(path, "apiVersion: v2\nkind: Console\nmetadata:\n  name: c\nspec: {}\n---\napiVersion: v2\nkind: PartnerZone\nmetadata:\n  name: z\n");
        var error = Assert.Throws<ResourceException>(() => ConsoleConfigLoader.Load(path));
        Assert.Contains(error.Errors, e => e.Contains("spec.admins is empty"));
        Assert.Contains(error.Errors, e => e.Contains("PartnerZone 'z': kind 'PartnerZone' does not belong in a console configuration"));
    }

    [Fact]
    public async Task The_example_resources_apply_cleanly()
    {
        var environment = new Dictionary<string, string> { ["PZ_BASE_URL"] = fixture.Console.Url.ToString(), ["PZ_API_KEY"] = fixture.Console.ApiKey };
        var examples = Path.Combine(Repository.Root, "examples");
        var (exit, output, error) = await Pz.RunAsync(environment, null, "apply",
            "-f", Path.Combine(examples, "partner-zone.yaml"), "-f", Path.Combine(examples, "kafka-cluster.yaml"));
        Assert.True(exit == 0, error);
        Assert.Equal("KafkaCluster/gateway: Created\nPartnerZone/external-partner-zone: Created\n", output);
    }
}

/// <summary>The repository's root, found from the test's output directory.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PartnerZones.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no PartnerZones.slnx above {AppContext.BaseDirectory}");
    }
}
