using System.Net;
using System.Text.RegularExpressions;
using Npgsql;
using PartnerZones.ControlPlane.Security;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Configuration;

/// <summary>
/// Reads a console configuration file: exactly one <c>kind: Console</c> document. Values may reference
/// environment variables as <c>${NAME}</c> (so a database password need not sit in the file); they are
/// expanded in the parsed values, never in the YAML text, so a value with '#' or ': ' cannot change the
/// document's structure and comments are left alone. A relative SQLite path is relative to the file.
/// Every problem is reported at once in one <see cref="ResourceException"/>.
/// </summary>
public static partial class ConsoleConfigLoader
{
    public static ConsoleConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResourceException($"{path}: cannot be read ({e.Message}).");
        }

        var errors = new List<string>();
        var configs = new List<ConsoleConfig>();
        foreach (var document in ResourceDocument.ReadAll(text, path))
        {
            if (document.Kind != ConsoleConfig.KindName)
            {
                errors.Add($"{document.Describe()}: kind '{document.Kind}' does not belong in a console configuration; it takes one 'kind: Console' document (apply resources with pz apply).");
                continue;
            }

            configs.Add(Expand(YamlBinder.Bind<ConsoleConfig>(document, errors), path, errors));
        }

        if (configs.Count != 1 && errors.Count == 0)
        {
            errors.Add(configs.Count == 0
                ? $"{path}: no 'kind: Console' document; see examples/console.yaml."
                : $"{path}: {configs.Count} 'kind: Console' documents; keep exactly one.");
        }

        if (configs.Count == 1)
        {
            errors.AddRange(Validate(configs[0]));
        }

        if (errors.Count > 0)
        {
            throw new ResourceException(errors);
        }

        var config = configs[0];
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var keyFile = config.Spec.Store.KeyFile;
        if (config.Spec.Store.Postgres is null)
        {
            config = config with { Spec = config.Spec with { Store = new StoreConfig { Sqlite = Path.GetFullPath(Path.Combine(baseDir, config.Spec.Store.Sqlite ?? StoreConfig.DefaultSqliteFile)) } } };
        }

        config = WithKeyFile(config, keyFile, baseDir);
        if (config.Spec.Tls is { } tls)
        {
            tls = tls with
            {
                CertificateFile = Path.GetFullPath(Path.Combine(baseDir, tls.CertificateFile)),
                KeyFile = tls.KeyFile is null ? null : Path.GetFullPath(Path.Combine(baseDir, tls.KeyFile)),
            };
            config = config with { Spec = config.Spec with { Tls = tls } };
            if (ConsoleCertificate.Problem(tls) is { } certificateProblem)
            {
                throw new ResourceException($"Console: spec.tls.certificateFile '{tls.CertificateFile}' {certificateProblem}; give a PEM certificate with its PEM private key in spec.tls.keyFile, or a .pfx/.p12 file with its password in spec.tls.password (e.g. ${{PZ_TLS_PASSWORD}}).");
            }
        }

        return config;
    }

    /// <summary>The store's key file relative to the configuration file; for PostgreSQL, when none is
    /// given, <c>console.key</c> beside it (a SQLite store's default sits beside the database).</summary>
    private static ConsoleConfig WithKeyFile(ConsoleConfig config, string? keyFile, string baseDir)
    {
        var path = keyFile is not null ? Path.GetFullPath(Path.Combine(baseDir, keyFile))
            : config.Spec.Store.Postgres is not null ? Path.Combine(baseDir, Store.PostgresDialect.DefaultKeyFile)
            : null;
        return config with { Spec = config.Spec with { Store = config.Spec.Store with { KeyFile = path } } };
    }

    public static List<string> Validate(ConsoleConfig config)
    {
        var errors = new List<string>();
        const string who = "Console";
        if (ListenProblem(config.Spec.Listen) is { } listenProblem)
        {
            errors.Add($"{who}: spec.listen '{config.Spec.Listen}' {listenProblem}; write it like '{ConsoleSpec.DefaultListen}'.");
        }
        else if (TlsProblem(config.Spec) is { } tlsProblem)
        {
            errors.Add(tlsProblem);
        }

        if (config.Spec.Tls is { } tls)
        {
            if (string.IsNullOrWhiteSpace(tls.CertificateFile))
            {
                errors.Add($"{who}: spec.tls.certificateFile is empty; give the path of a PEM certificate (with spec.tls.keyFile) or of a .pfx/.p12 file.");
            }
            else if (!IsPkcs12(tls.CertificateFile) && string.IsNullOrWhiteSpace(tls.KeyFile))
            {
                errors.Add($"{who}: spec.tls.keyFile is missing; a PEM certificate needs its PEM private key beside it (or give a .pfx/.p12 file as spec.tls.certificateFile).");
            }
            else if (IsPkcs12(tls.CertificateFile) && tls.KeyFile is not null)
            {
                errors.Add($"{who}: spec.tls.keyFile is given with a .pfx/.p12 certificate, which holds its key; remove keyFile.");
            }
        }

        for (var i = 0; i < config.Spec.TrustedProxies.Count; i++)
        {
            if (TrustedProxies.Problem(config.Spec.TrustedProxies[i]) is { } proxyProblem)
            {
                errors.Add($"{who}: spec.trustedProxies[{i}] '{config.Spec.TrustedProxies[i]}' {proxyProblem}; write the proxy's address like '10.0.0.5', or its network like '10.0.0.0/24'.");
            }
        }

        var sessions = config.Spec.Sessions;
        if (sessions.IdleMinutes is < 1 or > 24 * 60)
        {
            errors.Add($"{who}: spec.sessions.idleMinutes is {sessions.IdleMinutes}; give minutes between 1 and 1440 (default {SessionConfig.DefaultIdleMinutes}).");
        }

        if (sessions.LifetimeHours is < 1 or > 24 * 30)
        {
            errors.Add($"{who}: spec.sessions.lifetimeHours is {sessions.LifetimeHours}; give hours between 1 and 720 (default {SessionConfig.DefaultLifetimeHours}).");
        }

        var store = config.Spec.Store;
        if (store.Sqlite is not null && store.Postgres is not null)
        {
            errors.Add($"{who}: spec.store names both sqlite and postgres; keep one.");
        }
        else if (store.Sqlite is { } file && file.Trim().Length == 0)
        {
            errors.Add($"{who}: spec.store.sqlite is empty; give a file path, or leave it out for '{StoreConfig.DefaultSqliteFile}' beside this file.");
        }
        else if (store.Postgres is { } connectionString)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString);
                if (string.IsNullOrEmpty(builder.Host))
                {
                    errors.Add($"{who}: spec.store.postgres has no Host; write it like 'Host=127.0.0.1;Port=5432;Database=pz;Username=pz;Password=${{PZ_DB_PASSWORD}}'.");
                }
            }
            catch (ArgumentException e)
            {
                errors.Add($"{who}: spec.store.postgres is not a PostgreSQL connection string ({e.Message}); write it like 'Host=127.0.0.1;Database=pz;Username=pz'.");
            }
        }

        if (store.KeyFile is { } keyFile && keyFile.Trim().Length == 0)
        {
            errors.Add($"{who}: spec.store.keyFile is empty; give a file path, or leave it out for the default beside the database.");
        }

        if (config.Spec.Admins.Count == 0)
        {
            errors.Add($"{who}: spec.admins is empty; add an admin (name and passwordHash from 'pz console hash-password') so someone can create API keys.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < config.Spec.Admins.Count; i++)
        {
            var admin = config.Spec.Admins[i];
            if (string.IsNullOrWhiteSpace(admin.Name) || admin.Name.Contains(':', StringComparison.Ordinal))
            {
                errors.Add($"{who}: spec.admins[{i}].name '{admin.Name}' must be non-empty and without ':' (it is a login name).");
            }
            else if (!names.Add(admin.Name))
            {
                errors.Add($"{who}: spec.admins[{i}].name '{admin.Name}' is given twice; keep one.");
            }

            if (PasswordHash.Problem(admin.PasswordHash) is { } hashProblem)
            {
                errors.Add($"{who}: spec.admins[{i}].passwordHash {hashProblem}.");
            }
        }

        return errors;
    }

    /// <summary>Why the listen scheme and spec.tls do not go together, or null when they do (https needs tls, tls needs https).</summary>
    public static string? TlsProblem(ConsoleSpec spec)
    {
        var https = spec.Listen.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
        return (https, spec.Tls is not null) switch
        {
            (true, false) => $"Console: spec.listen '{spec.Listen}' is https but spec.tls is missing; add spec.tls with certificateFile and keyFile (PEM), or certificateFile (.pfx) and password.",
            (false, true) => $"Console: spec.tls is set but spec.listen '{spec.Listen}' is http; write spec.listen as https://ADDRESS:PORT to serve the certificate, or remove spec.tls.",
            _ => null,
        };
    }

    private static bool IsPkcs12(string file) =>
        Path.GetExtension(file).Equals(".pfx", StringComparison.OrdinalIgnoreCase) || Path.GetExtension(file).Equals(".p12", StringComparison.OrdinalIgnoreCase);

    /// <summary>The address and port <paramref name="listen"/> names, or a problem.</summary>
    public static string? ListenProblem(string listen) => TryParseListen(listen, out _, out var problem) ? null : problem;

    public static bool TryParseListen(string listen, out IPEndPoint? endpoint, out string? problem)
    {
        endpoint = null;
        if (!Uri.TryCreate(listen, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https") || uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            problem = "is not http://ADDRESS:PORT (or https://ADDRESS:PORT with spec.tls)";
            return false;
        }

        var host = uri.Host.Trim('[', ']');
        var address = host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host, out var parsed) ? parsed : null;
        if (address is null)
        {
            problem = "does not name an IP address (use 127.0.0.1, or the address of the interface to serve on)";
            return false;
        }

        endpoint = new IPEndPoint(address, uri.Port);
        problem = null;
        return true;
    }

    /// <summary>Expands <c>${NAME}</c> in every string value of the configuration.</summary>
    private static ConsoleConfig Expand(ConsoleConfig config, string path, List<string> errors)
    {
        string? Value(string? text) => text is null ? null : Reference().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                return value;
            }

            errors.Add($"{path}: ${{{name}}} is used but the environment variable {name} is not set; set it or write the value.");
            return match.Value;
        });

        var spec = config.Spec;
        return config with
        {
            Spec = spec with
            {
                Listen = Value(spec.Listen)!,
                Store = new StoreConfig { Sqlite = Value(spec.Store.Sqlite), Postgres = Value(spec.Store.Postgres), KeyFile = Value(spec.Store.KeyFile) },
                Admins = [.. spec.Admins.Select(a => new AdminUser { Name = Value(a.Name)!, PasswordHash = Value(a.PasswordHash)! })],
                Tls = spec.Tls is { } tls ? new TlsConfig { CertificateFile = Value(tls.CertificateFile)!, KeyFile = Value(tls.KeyFile), Password = Value(tls.Password) } : null,
                TrustedProxies = [.. spec.TrustedProxies.Select(p => Value(p)!)],
            },
        };
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();
}
