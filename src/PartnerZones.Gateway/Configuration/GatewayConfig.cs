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

    /// <summary>More YAML files of zones, service accounts and credentials, relative to this file.</summary>
    public List<string> StateFiles { get; init; } = [];
}

/// <summary>The backing Kafka cluster and how the gateway authenticates to it.</summary>
public sealed record UpstreamConfig
{
    /// <summary>Comma-separated host:port list.</summary>
    public string BootstrapServers { get; init; } = "";

    /// <summary>PLAINTEXT or SASL_PLAINTEXT.</summary>
    public string SecurityProtocol { get; init; } = "PLAINTEXT";

    /// <summary>PLAIN (SCRAM-SHA-256/512 later).</summary>
    public string? SaslMechanism { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }
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
}

public sealed record LimitsConfig
{
    /// <summary>Largest frame accepted before authentication.</summary>
    public int PreAuthFrameBytes { get; init; } = 512 * 1024;

    /// <summary>Largest frame accepted after authentication.</summary>
    public int MaxFrameBytes { get; init; } = 100 * 1024 * 1024;

    /// <summary>Delay before answering a failed login, so guessing costs time and timing reveals nothing.</summary>
    public int FailedLoginDelayMs { get; init; } = 500;
}

/// <summary>The HTTP port for health checks and metrics (and the admin API later).</summary>
public sealed record HttpConfig
{
    /// <summary>0 turns the HTTP endpoints off.</summary>
    public int Port { get; init; } = 8888;
}
