using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Security;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Tests.Store;

/// <summary>Where a configuration file puts the store's key file: spec.store.keyFile relative to the file,
/// console.key beside it for PostgreSQL, and (left null) beside the database for SQLite.</summary>
public sealed class StoreKeyConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-store-key-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("sqlite: state/console.db", "keyFile: keys/store.key", "keys/store.key")]
    [InlineData("postgres: Host=127.0.0.1;Database=pz", "keyFile: ../elsewhere.key", "../elsewhere.key")]
    [InlineData("postgres: Host=127.0.0.1;Database=pz", "", "console.key")]
    [InlineData("sqlite: state/console.db", "", null)]
    public void The_key_file_is_resolved_beside_the_configuration(string store, string keyFile, string? expected)
    {
        var config = Load(store, keyFile);
        Assert.Equal(expected is null ? null : Path.GetFullPath(Path.Combine(_directory, expected)), config.Spec.Store.KeyFile);
    }

    [Fact]
    public void An_empty_key_file_is_refused_with_the_fix()
    {
        var error = Assert.Throws<ResourceException>(() => Load("sqlite: console.db", "keyFile: ' '"));
        Assert.Contains(error.Errors, e => e.Contains("spec.store.keyFile is empty; give a file path", StringComparison.Ordinal));
    }

    private ConsoleConfig Load(string store, string keyFile)
    {
        var path = Path.Combine(_directory, "console.yaml");
        File.WriteAllText(path, $$"""
            apiVersion: v2
            kind: Console
            metadata:
              name: console
            spec:
              store:
                {{store}}
                {{keyFile}}
              admins:
                - name: admin
                  passwordHash: {{PasswordHash.Hash("x", iterations: 10_000)}}
            """);
        return ConsoleConfigLoader.Load(path);
    }
}
