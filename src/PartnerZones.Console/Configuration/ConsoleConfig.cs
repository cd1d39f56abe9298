using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Configuration;

/// <summary>The <c>kind: Console</c> document of a console configuration file.</summary>
public sealed record ConsoleConfig
{
    public const string KindName = "Console";

    public string ApiVersion { get; init; } = "v2";

    public string Kind { get; init; } = KindName;

    public ResourceMetadata Metadata { get; init; } = new();

    public ConsoleSpec Spec { get; init; } = new();
}

public sealed record ConsoleSpec
{
    public const string DefaultListen = "http://127.0.0.1:8080";

    /// <summary>Where the REST API listens: <c>http://ADDRESS:PORT</c>; port 0 picks a free one.</summary>
    public string Listen { get; init; } = DefaultListen;

    public StoreConfig Store { get; init; } = new();

    /// <summary>People who may create and revoke API keys.</summary>
    public List<AdminUser> Admins { get; init; } = [];
}

/// <summary>One of <see cref="Sqlite"/> or <see cref="Postgres"/>; neither means a SQLite file
/// <c>console.db</c> beside the configuration file.</summary>
public sealed record StoreConfig
{
    public const string DefaultSqliteFile = "console.db";

    /// <summary>Path of the SQLite file, relative to the configuration file.</summary>
    public string? Sqlite { get; init; }

    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Database=pz;Username=pz;Password=${PZ_DB_PASSWORD}</c>.</summary>
    public string? Postgres { get; init; }

    /// <summary>The key file that encrypts secrets in the store, relative to the configuration file;
    /// by default <c>console.db.key</c> beside a SQLite file, or <c>console.key</c> beside the
    /// configuration file for PostgreSQL. Created on first use; back it up with the database.</summary>
    public string? KeyFile { get; init; }
}

public sealed record AdminUser
{
    public string Name { get; init; } = "";

    /// <summary>From <c>pz console hash-password</c>.</summary>
    public string PasswordHash { get; init; } = "";
}
