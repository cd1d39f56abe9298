namespace PartnerZones.Cli.Dev;

/// <summary>
/// What <c>pz dev</c> tells its user: the addresses, the generated passwords and API key, and the
/// <c>export</c> line for the <c>pz</c> client. The same goes to <c>DATA_DIR/env</c> as shell variables, so
/// another terminal (or a script) picks them up with <c>. .pz-dev/env</c> whatever ports were chosen.
/// </summary>
internal sealed record DevEnvironment(DevOptions Options, DevSecrets Secrets)
{
    public const string FileName = "env";
    public const string AdminUser = "admin";

    /// <summary>The one line that points the <c>pz</c> client at this console.</summary>
    public string ExportLine => $"export PZ_BASE_URL={Options.ConsoleUrl} PZ_API_KEY={Secrets.ApiKey}";

    public IEnumerable<string> Summary(string envFile) =>
    [
        $"kafka (backing cluster)  {Options.KafkaBootstrap}  PLAINTEXT, topics created on first use",
        $"gateway (partners)       {Options.GatewayBootstrap}  SASL_PLAINTEXT (PLAIN, SCRAM); broker port {Options.GatewayBrokerPort}",
        $"gateway admin API        {Options.GatewayAdminUrl}  user {AdminUser}, password {Secrets.GatewayAdminPassword}",
        $"console (web UI and API) {Options.ConsoleUrl}  user {AdminUser}, password {Secrets.ConsoleAdminPassword}",
        $"console API key          {Secrets.ApiKey}",
        ExportLine,
        $"All of this is in {envFile}; load it in another shell with:  . {envFile}",
    ];

    /// <summary>Shell variables, one export per line; the values are generated from URL- and shell-safe characters.</summary>
    public string EnvFile() => $"""
        # Written by pz dev: the servers it runs and their generated secrets. Load with:  . {Path.Combine(Options.DataDir, FileName)}
        {ExportLine}
        # The console's admin, for pz token create|list|revoke.
        export PZ_ADMIN_USER={AdminUser} PZ_ADMIN_PASSWORD={Secrets.ConsoleAdminPassword}
        # The backing Kafka cluster (no authentication); partners never see it.
        export PZ_KAFKA_BOOTSTRAP={Options.KafkaBootstrap}
        # The gateway: partners bootstrap here.
        export PZ_GATEWAY_BOOTSTRAP={Options.GatewayBootstrap}
        # The gateway's admin API (docs/gateway-admin-api.md), HTTP Basic as this user.
        export PZ_GATEWAY_ADMIN_URL={Options.GatewayAdminUrl} PZ_GATEWAY_ADMIN_USER={AdminUser} PZ_GATEWAY_ADMIN_PASSWORD={Secrets.GatewayAdminPassword}

        """;
}
