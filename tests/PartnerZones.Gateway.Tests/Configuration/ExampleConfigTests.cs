using PartnerZones.Gateway.Configuration;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Tests.Configuration;

/// <summary>The shipped examples load as they are, and their client files hold working credentials.</summary>
public sealed class ExampleConfigTests
{
    private static string Examples => Path.Combine(RepoPaths.RepoRoot(), "examples");

    [Fact]
    public void Example_gateway_file_loads_and_its_properties_files_authenticate()
    {
        // The example's admin API password comes from the environment; there is no default.
        Environment.SetEnvironmentVariable("PZ_GATEWAY_ADMIN_PASSWORD", "example-admin-password-123");
        var (config, state) = GatewayConfigLoader.Load(Path.Combine(Examples, "gateway.yaml"));
        Assert.Equal("127.0.0.1:19092", config.Spec.Upstream.BootstrapServers);
        Assert.Equal(9094, config.Spec.Listener.BootstrapPort);
        var adminUser = Assert.Single(config.Spec.Admin.Users);
        Assert.Equal(("admin", "example-admin-password-123"), (adminUser.Name, adminUser.Password));
        var zone = Assert.Single(state.Zones);
        Assert.Equal("external-partner-zone", zone.Metadata.Name);

        var partner = Properties("johndoe.properties");
        var principal = state.Authenticate(partner["sasl.username"], partner["sasl.password"], DateTimeOffset.UtcNow);
        Assert.NotNull(principal);
        Assert.False(principal.IsAdmin);
        Assert.Equal("external-partner-zone", principal.Zone!.Zone);

        var admin = Properties("admin.properties");
        Assert.True(state.Authenticate(admin["sasl.username"], admin["sasl.password"], DateTimeOffset.UtcNow)!.IsAdmin);
        Assert.Null(state.Authenticate("johndoe", "not-the-secret", DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Broken_configuration_lists_every_problem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pz-broken-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, """
            apiVersion: v2
            kind: Gateway
            spec:
              upstream:
                bootstrapServers: ""
                securityProtocol: TLS
              listener:
                bootstrapPort: 70000
            ---
            apiVersion: v2
            kind: PartnerZone
            metadata:
              name: zone-a
            spec:
              cluster: gateway
              serviceAccount: ghost
              topics:
                - name: a
                  backingTopic: b
                  permission: READ
            ---
            apiVersion: v2
            kind: Credential
            metadata:
              name: c1
            spec:
              serviceAccount: ghost
              secretHash: plain-text-password
              password: oops
            """);
        try
        {
            var error = Assert.Throws<ResourceException>(() => GatewayConfigLoader.Load(path));
            Assert.Contains(error.Errors, e => e.Contains("bootstrapServers is empty"));
            Assert.Contains(error.Errors, e => e.Contains("securityProtocol 'TLS'"));
            Assert.Contains(error.Errors, e => e.Contains("ports must be between 0 and 65535"));
            Assert.Contains(error.Errors, e => e.Contains("service account 'ghost' does not exist"));
            Assert.Contains(error.Errors, e => e.Contains("spec.secretHash is not a secret hash") && e.Contains("hash-secret"));
            Assert.Contains(error.Errors, e => e.Contains("unknown field spec.password"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Environment_variables_fill_values_and_a_missing_one_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pz-env-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "apiVersion: v2\nkind: Gateway\nspec:\n  upstream:\n    bootstrapServers: ${PZ_TEST_UNSET_VARIABLE_123}\n");
        try
        {
            var error = Assert.Throws<ResourceException>(() => GatewayConfigLoader.Load(path));
            Assert.Contains(error.Errors, e => e.Contains("environment variable PZ_TEST_UNSET_VARIABLE_123 is not set"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Dictionary<string, string> Properties(string file) =>
        File.ReadAllLines(Path.Combine(Examples, file))
            .Where(l => l.Contains('=') && !l.TrimStart().StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
}

internal static class RepoPaths
{
    public static string RepoRoot()
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
