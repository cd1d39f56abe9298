namespace PartnerZones.Resources;

/// <summary>A gateway the console manages: where partners connect, and how the console reaches the
/// gateway's admin API to deploy zones and issue credentials.
/// Shape: <c>apiVersion: v2</c>, <c>kind: KafkaCluster</c>, metadata, spec.</summary>
public sealed record KafkaCluster
{
    public const string KindName = "KafkaCluster";
    public const string CurrentApiVersion = "v2";

    public string ApiVersion { get; init; } = CurrentApiVersion;

    public string Kind { get; init; } = KindName;

    public ResourceMetadata Metadata { get; init; } = new();

    public KafkaClusterSpec Spec { get; init; } = new();
}

public sealed record KafkaClusterSpec
{
    public string? DisplayName { get; init; }

    /// <summary>Comma-separated host:port list partners bootstrap from (the gateway's listener, as partners reach it).</summary>
    public string BootstrapServers { get; init; } = "";

    /// <summary>The gateway's admin HTTP API.</summary>
    public GatewayAdminApi AdminApi { get; init; } = new();
}

/// <summary>Where the gateway's admin API is and the admin user the console logs in as.</summary>
public sealed record GatewayAdminApi
{
    /// <summary>Base URL, e.g. <c>http://127.0.0.1:8888</c>.</summary>
    public string Url { get; init; } = "";

    public string Username { get; init; } = "";

    /// <summary>Write-only: the console stores it to call the gateway but never shows it back
    /// (a read leaves it out; an upsert without it keeps the stored one).</summary>
    public string? Password { get; init; }
}
