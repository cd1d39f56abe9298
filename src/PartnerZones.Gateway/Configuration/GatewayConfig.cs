namespace PartnerZones.Gateway.Configuration;

/// <summary>The <c>kind: Gateway</c> document of a gateway configuration file.</summary>
public sealed record GatewayConfig
{
    public const string KindName = "Gateway";

    public string ApiVersion { get; init; } = "v2";

    public string Kind { get; init; } = KindName;

    public Resources.ResourceMetadata Metadata { get; init; } = new();

    public GatewaySpec Spec { get; init; } = new();
}

public sealed record GatewaySpec
{
    public UpstreamConfig Upstream { get; init; } = new();

    public ListenerConfig Listener { get; init; } = new();

    public LimitsConfig Limits { get; init; } = new();

    public HttpConfig Http { get; init; } = new();

    /// <summary>Who may use the admin HTTP API.</summary>
    public AdminConfig Admin { get; init; } = new();

    /// <summary>Where the shared state and the audit trail live in the backing cluster.</summary>
    public StateConfig State { get; init; } = new();

    /// <summary>More YAML files of zones, service accounts and credentials, relative to this file.</summary>
    public List<string> StateFiles { get; init; } = [];
}

/// <summary>The backing Kafka cluster and how the gateway authenticates to it.</summary>
public sealed record UpstreamConfig
{
    /// <summary>Comma-separated host:port list.</summary>
    public string BootstrapServers { get; init; } = "";

    /// <summary>PLAINTEXT, SASL_PLAINTEXT, SSL or SASL_SSL.</summary>
    public string SecurityProtocol { get; init; } = "PLAINTEXT";

    /// <summary>PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.</summary>
    public string? SaslMechanism { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>PEM file of the certificate authorities that sign the brokers' certificates (SSL and
    /// SASL_SSL); null trusts the system's store.</summary>
    public string? SslCaFile { get; init; }

    public bool UsesTls => SecurityProtocol is "SSL" or "SASL_SSL";

    public bool UsesSasl => SecurityProtocol is "SASL_PLAINTEXT" or "SASL_SSL";
}

public sealed record ListenerConfig
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Where clients bootstrap.</summary>
    public int BootstrapPort { get; init; } = 9094;

    /// <summary>The upstream broker with node id N is reached on BrokerPortBase + N.</summary>
    public int BrokerPortBase { get; init; } = 9095;

    /// <summary>Host written into every broker address a client receives.</summary>
    public string? AdvertisedHost { get; init; }

    /// <summary>SASL_PLAINTEXT, or SASL_SSL with <see cref="Tls"/>.</summary>
    public string SecurityProtocol { get; init; } = "SASL_PLAINTEXT";

    /// <summary>Server certificate for SASL_SSL.</summary>
    public TlsConfig? Tls { get; init; }

    /// <summary>Mechanisms offered to clients; an account may narrow them further.</summary>
    public List<string> SaslMechanisms { get; init; } = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];
}

/// <summary>A PEM certificate chain and its private key.</summary>
public sealed record TlsConfig
{
    public string CertificateFile { get; init; } = "";

    public string KeyFile { get; init; } = "";
}

public sealed record LimitsConfig
{
    /// <summary>Largest frame accepted before authentication.</summary>
    public int PreAuthFrameBytes { get; init; } = 512 * 1024;

    /// <summary>Largest frame accepted after authentication.</summary>
    public int MaxFrameBytes { get; init; } = 100 * 1024 * 1024;

    /// <summary>Delay before answering a failed login, so guessing costs time and timing reveals nothing.</summary>
    public int FailedLoginDelayMs { get; init; } = 500;

    /// <summary>Longest a login lasts before the client must re-authenticate (KIP-368), like Kafka's
    /// connections.max.reauth.ms; 0 means only a credential's expiry limits it.</summary>
    public long MaxSessionLifetimeMs { get; init; }

    /// <summary>How long a new connection has to complete SASL; one that has not by then is closed and
    /// counted as a failed login, so silent or slow connections cannot hold the listener's sockets.</summary>
    public int AuthenticationTimeoutMs { get; init; } = 10_000;

    /// <summary>How long an authenticated connection may go without a request while nothing is in flight
    /// before it is closed, like Kafka's connections.max.idle.ms.</summary>
    public long ConnectionsMaxIdleMs { get; init; } = 600_000;
}

/// <summary>The HTTP port for health checks, metrics and the admin API.</summary>
public sealed record HttpConfig
{
    /// <summary>0 turns the HTTP endpoints off.</summary>
    public int Port { get; init; } = 8888;

    /// <summary>Largest admin request body accepted.</summary>
    public int MaxBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>The address the HTTP port binds; null binds the partner listener's host. Set it to an
    /// internal address (127.0.0.1) when partners must not reach the admin API at all.</summary>
    public string? Host { get; init; }

    /// <summary>A certificate and key (PEM) make the HTTP port serve https only, so admin passwords and
    /// tokens never cross the network in the clear.</summary>
    public TlsConfig? Tls { get; init; }

    /// <summary>How many failed admin logins a source address or a user name may have before it is locked out.</summary>
    public AdminLoginLimits AdminLogin { get; init; } = new();
}

/// <summary>The failure budget of admin logins (docs/gateway-security.md, "Admin API lockout").</summary>
public sealed record AdminLoginLimits
{
    /// <summary>Failed logins one source address may have before it is locked out.</summary>
    public int FailuresPerSource { get; init; } = 10;

    /// <summary>Failed logins for one user name, from any source, before the name is locked out.
    /// Larger than the per-source budget, so a single guesser locks itself out long before it locks out the user.</summary>
    public int FailuresPerUser { get; init; } = 30;

    /// <summary>A budget is forgotten once this long passes with no failure (and no lockout running).</summary>
    public long WindowMs { get; init; } = 15 * 60 * 1000;

    /// <summary>The first lockout; each further failure over the budget doubles it, up to maxLockoutMs.</summary>
    public long FirstLockoutMs { get; init; } = 1000;

    public long MaxLockoutMs { get; init; } = 15 * 60 * 1000;

    /// <summary>Password checks running at once; more wait, and are refused with 503 if they wait too long.</summary>
    public int ConcurrentChecks { get; init; } = 4;
}

/// <summary>Admin users of the HTTP API (HTTP Basic). There is no default user and no default password.</summary>
public sealed record AdminConfig
{
    public List<AdminUser> Users { get; init; } = [];
}

/// <summary>One admin user: a password (usually <c>${ENV_VAR}</c>) or the hash of one.</summary>
public sealed record AdminUser
{
    public string Name { get; init; } = "";

    public string? Password { get; init; }

    /// <summary>Output of <c>pz gateway hash-secret</c>.</summary>
    public string? PasswordHash { get; init; }
}

/// <summary>The compacted topic that holds zones, accounts and credentials for every gateway instance,
/// and the topic that receives audit events.</summary>
public sealed record StateConfig
{
    /// <summary>The cluster that holds the state and audit topics, when it is not the upstream one
    /// (null: the upstream cluster, the usual set-up).</summary>
    public UpstreamConfig? Cluster { get; init; }

    public string Topic { get; init; } = "__pz_gateway_state";

    public string AuditTopic { get; init; } = "__pz_gateway_audit";

    /// <summary>Replicas of both topics when the gateway creates them; null: the smaller of 3 and the broker count.</summary>
    public int? ReplicationFactor { get; init; }

    /// <summary>How long audit records are kept (retention.ms of the audit topic when the gateway creates it).</summary>
    public long AuditRetentionMs { get; init; } = 90L * 24 * 3600 * 1000;
}
