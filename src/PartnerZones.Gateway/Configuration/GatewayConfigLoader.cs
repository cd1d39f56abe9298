using System.Text.RegularExpressions;
using PartnerZones.Gateway.Admin;
using PartnerZones.Gateway.Security;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Configuration;

/// <summary>
/// Reads a gateway configuration file: one <c>kind: Gateway</c> document, and any number of PartnerZone,
/// ServiceAccount and Credential documents in it or in the files its <c>spec.stateFiles</c> name.
/// Values may reference environment variables as <c>${NAME}</c>. Every problem in every file is
/// reported at once in one <see cref="ResourceException"/>.
/// </summary>
public static partial class GatewayConfigLoader
{
    public static (GatewayConfig Config, GatewayState State) Load(string path)
    {
        var errors = new List<string>();
        var configs = new List<GatewayConfig>();
        var zones = new List<PartnerZone>();
        var accounts = new List<ServiceAccount>();
        var credentials = new List<Credential>();
        ReadFile(path, errors, configs, zones, accounts, credentials);
        if (configs.Count != 1)
        {
            errors.Add(configs.Count == 0
                ? $"{path}: no 'kind: Gateway' document; the file needs one that says where the upstream cluster is and where to listen."
                : $"{path}: {configs.Count} 'kind: Gateway' documents; keep exactly one.");
        }
        else
        {
            var baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            foreach (var stateFile in configs[0].Spec.StateFiles)
            {
                ReadFile(Path.Combine(baseDir, stateFile), errors, configs, zones, accounts, credentials, stateOnly: true);
            }

            errors.AddRange(ValidateConfig(configs[0]));
        }

        errors.AddRange(GatewayState.Validate(zones, accounts, credentials));
        if (configs.Count == 1)
        {
            errors.AddRange(GatewayState.ValidateBackingTopics(zones, configs[0].Spec.State));
        }

        return errors.Count > 0
            ? throw new ResourceException(errors)
            : (configs[0], new GatewayState(zones, accounts, credentials));
    }

    private static void ReadFile(
        string path, List<string> errors, List<GatewayConfig> configs, List<PartnerZone> zones,
        List<ServiceAccount> accounts, List<Credential> credentials, bool stateOnly = false)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot be read ({e.Message}).");
            return;
        }

        text = Substitute(text, path, errors);
        IReadOnlyList<ResourceDocument> documents;
        try
        {
            documents = ResourceDocument.ReadAll(text, path);
        }
        catch (ResourceException e)
        {
            errors.AddRange(e.Errors);
            return;
        }

        foreach (var document in documents)
        {
            switch (document.Kind)
            {
                case GatewayConfig.KindName when !stateOnly:
                    configs.Add(YamlBinder.Bind<GatewayConfig>(document, errors));
                    break;
                case PartnerZone.KindName:
                    zones.Add(PartnerZoneReader.Bind(document, errors));
                    break;
                case ServiceAccount.KindName:
                    accounts.Add(YamlBinder.Bind<ServiceAccount>(document, errors));
                    break;
                case Credential.KindName:
                    credentials.Add(YamlBinder.Bind<Credential>(document, errors));
                    break;
                default:
                    errors.Add($"{document.Describe()} in {path}: kind '{document.Kind}' is not known here; use Gateway, PartnerZone, ServiceAccount or Credential.");
                    break;
            }
        }
    }

    private static string Substitute(string text, string path, List<string> errors) =>
        Variable().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            var value = Environment.GetEnvironmentVariable(name);
            if (value is null)
            {
                errors.Add($"{path}: environment variable {name} is not set; set it or replace ${{{name}}} with a value.");
                return "";
            }

            return value;
        });

    /// <summary>Every problem of a Gateway document, each naming the field and the fix.</summary>
    public static IEnumerable<string> ValidateConfig(GatewayConfig config)
    {
        var spec = config.Spec;
        var upstream = spec.Upstream;
        if (string.IsNullOrWhiteSpace(upstream.BootstrapServers))
        {
            yield return "Gateway: spec.upstream.bootstrapServers is empty; set it to the backing cluster, e.g. 127.0.0.1:19092.";
        }

        if (upstream.SecurityProtocol is not ("PLAINTEXT" or "SASL_PLAINTEXT" or "SSL" or "SASL_SSL"))
        {
            yield return $"Gateway: spec.upstream.securityProtocol '{upstream.SecurityProtocol}' is not supported; use PLAINTEXT, SASL_PLAINTEXT, SSL or SASL_SSL.";
        }

        if (upstream.UsesSasl && (!SaslMechanisms.IsKnown(upstream.SaslMechanism ?? "") || upstream.Username is null || upstream.Password is null))
        {
            yield return $"Gateway: {upstream.SecurityProtocol} upstream needs saslMechanism (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512), username and password.";
        }

        if (upstream.SslCaFile is { } ca && !File.Exists(ca))
        {
            yield return $"Gateway: spec.upstream.sslCaFile '{ca}' does not exist; set it to the PEM file of the authority that signed the brokers' certificates.";
        }

        var listener = spec.Listener;
        if (listener.BootstrapPort is < 0 or > 65535 || listener.BrokerPortBase is < 0 or > 65535)
        {
            yield return "Gateway: listener ports must be between 0 and 65535.";
        }

        if (listener.SecurityProtocol is not ("SASL_PLAINTEXT" or "SASL_SSL"))
        {
            yield return $"Gateway: spec.listener.securityProtocol '{listener.SecurityProtocol}' is not supported; use SASL_PLAINTEXT or SASL_SSL.";
        }

        if (listener.SecurityProtocol == "SASL_SSL")
        {
            if (listener.Tls is null || string.IsNullOrWhiteSpace(listener.Tls.CertificateFile) || string.IsNullOrWhiteSpace(listener.Tls.KeyFile))
            {
                yield return "Gateway: a SASL_SSL listener needs spec.listener.tls.certificateFile and keyFile (PEM).";
            }
            else if (ListenerCertificate.Problem(listener.Tls) is { } problem)
            {
                yield return $"Gateway: spec.listener.tls {problem}.";
            }
        }

        if (listener.SaslMechanisms.Count == 0 || listener.SaslMechanisms.Any(m => !SaslMechanisms.IsKnown(m)))
        {
            yield return $"Gateway: spec.listener.saslMechanisms [{string.Join(", ", listener.SaslMechanisms)}] must list one or more of {string.Join(", ", SaslMechanisms.All)}.";
        }

        if (spec.Limits.PreAuthFrameBytes < 1024 || spec.Limits.MaxFrameBytes < spec.Limits.PreAuthFrameBytes)
        {
            yield return "Gateway: limits.preAuthFrameBytes must be at least 1024 and no larger than limits.maxFrameBytes.";
        }

        if (spec.Limits.FailedLoginDelayMs is < 0 or > 60_000 || spec.Limits.MaxSessionLifetimeMs < 0)
        {
            yield return "Gateway: limits.failedLoginDelayMs must be between 0 and 60000 and limits.maxSessionLifetimeMs 0 or more.";
        }

        if (spec.Limits.AuthenticationTimeoutMs is < 100 or > 3_600_000 || spec.Limits.AuthenticationTimeoutMs <= spec.Limits.FailedLoginDelayMs)
        {
            yield return $"Gateway: limits.authenticationTimeoutMs ({spec.Limits.AuthenticationTimeoutMs}) must be between 100 and 3600000 and larger than limits.failedLoginDelayMs ({spec.Limits.FailedLoginDelayMs}).";
        }

        if (spec.Limits.ConnectionsMaxIdleMs is < 100 or > 86_400_000)
        {
            yield return $"Gateway: limits.connectionsMaxIdleMs ({spec.Limits.ConnectionsMaxIdleMs}) must be between 100 and 86400000 (one day).";
        }

        if (spec.Http.Port != 0)
        {
            foreach (var problem in AdminUsers.Problems(spec.Admin))
            {
                yield return problem;
            }

            foreach (var problem in HttpProblems(spec.Http))
            {
                yield return problem;
            }
        }

        foreach (var (field, topic) in new[] { ("topic", spec.State.Topic), ("auditTopic", spec.State.AuditTopic) })
        {
            if (KafkaNames.TopicProblem(topic) is { } problem)
            {
                yield return $"Gateway: spec.state.{field} {problem}; set it to a Kafka topic name.";
            }
        }

        if (spec.State.Topic == spec.State.AuditTopic)
        {
            yield return "Gateway: spec.state.topic and spec.state.auditTopic are the same; the state topic is compacted and the audit topic is not, so give them different names.";
        }

        if (spec.State.ReplicationFactor is < 1)
        {
            yield return "Gateway: spec.state.replicationFactor must be 1 or more (or left out: the smaller of 3 and the broker count).";
        }
    }

    private static IEnumerable<string> HttpProblems(HttpConfig http)
    {
        if (http.Host is { } host && !System.Net.IPAddress.TryParse(host, out _))
        {
            yield return $"Gateway: spec.http.host '{host}' is not an IP address; set it to the address the admin API binds (127.0.0.1 keeps it off the network partners reach).";
        }

        if (http.Tls is { } tls && ListenerCertificate.Problem(tls) is { } tlsProblem)
        {
            yield return $"Gateway: spec.http.tls: {tlsProblem}.";
        }

        var login = http.AdminLogin;
        if (login.FailuresPerSource < 1 || login.FailuresPerUser < 1)
        {
            yield return $"Gateway: spec.http.adminLogin.failuresPerSource ({login.FailuresPerSource}) and failuresPerUser ({login.FailuresPerUser}) must be 1 or more.";
        }

        if (login.WindowMs < 1000 || login.FirstLockoutMs < 1 || login.MaxLockoutMs < login.FirstLockoutMs)
        {
            yield return $"Gateway: spec.http.adminLogin needs windowMs of at least 1000 and 1 <= firstLockoutMs <= maxLockoutMs (now {login.WindowMs}, {login.FirstLockoutMs}, {login.MaxLockoutMs}).";
        }

        if (login.ConcurrentChecks is < 1 or > 256)
        {
            yield return $"Gateway: spec.http.adminLogin.concurrentChecks ({login.ConcurrentChecks}) must be between 1 and 256.";
        }
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
