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

    /// <summary>Where the REST API and web UI listen: <c>http://ADDRESS:PORT</c>, or <c>https://ADDRESS:PORT</c>
    /// with <see cref="Tls"/>; port 0 picks a free one.</summary>
    public string Listen { get; init; } = DefaultListen;

    /// <summary>The certificate the console serves https with; required by, and only allowed with, an https listen address.</summary>
    public TlsConfig? Tls { get; init; }

    /// <summary>Addresses (IPs or CIDR networks) of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto
    /// are believed; from any other address those headers are ignored.</summary>
    public List<string> TrustedProxies { get; init; } = [];

    /// <summary>How long a web UI sign-in lasts.</summary>
    public SessionConfig Sessions { get; init; } = new();

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

/// <summary>A PEM certificate with its PEM key, or a PKCS#12 (.pfx/.p12) file holding both.</summary>
public sealed record TlsConfig
{
    /// <summary>PEM certificate (chain), or a .pfx/.p12 file; relative to the configuration file.</summary>
    public string CertificateFile { get; init; } = "";

    /// <summary>PEM private key for a PEM certificate; relative to the configuration file.</summary>
    public string? KeyFile { get; init; }

    /// <summary>Password of a .pfx/.p12 file or of an encrypted PEM key; write it as <c>${NAME}</c> to keep it out of the file.</summary>
    public string? Password { get; init; }
}

/// <summary>Web UI session limits; an API call never uses a session.</summary>
public sealed record SessionConfig
{
    public const int DefaultIdleMinutes = 30;
    public const int DefaultLifetimeHours = 8;

    /// <summary>A session ends after this many minutes without a request (sliding).</summary>
    public int IdleMinutes { get; init; } = DefaultIdleMinutes;

    /// <summary>A session ends this many hours after sign-in however active it is.</summary>
    public int LifetimeHours { get; init; } = DefaultLifetimeHours;
}
