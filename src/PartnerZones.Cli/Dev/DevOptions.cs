namespace PartnerZones.Cli.Dev;

/// <summary>What <c>pz dev</c> runs on: its data directory and the four ports (the gateway also takes the
/// port after <see cref="GatewayPort"/> for its one broker).</summary>
internal sealed record DevOptions
{
    public const string DefaultDataDir = ".pz-dev";
    public const int DefaultKafkaPort = 19092;
    public const int DefaultGatewayPort = 9094;
    public const int DefaultGatewayAdminPort = 8888;
    public const int DefaultConsolePort = 8080;

    /// <summary>Servers bind here only: <c>pz dev</c> is for one machine.</summary>
    public const string Host = "127.0.0.1";

    public string DataDir { get; init; } = DefaultDataDir;

    public int KafkaPort { get; init; } = DefaultKafkaPort;

    public int GatewayPort { get; init; } = DefaultGatewayPort;

    public int GatewayAdminPort { get; init; } = DefaultGatewayAdminPort;

    public int ConsolePort { get; init; } = DefaultConsolePort;

    /// <summary>The gateway's broker port for the embedded cluster's node 0.</summary>
    public int GatewayBrokerPort => GatewayPort + 1;

    public string KafkaBootstrap => $"{Host}:{KafkaPort}";

    public string GatewayBootstrap => $"{Host}:{GatewayPort}";

    public string GatewayAdminUrl => $"http://{Host}:{GatewayAdminPort}";

    public string ConsoleUrl => $"http://{Host}:{ConsolePort}";

    /// <summary>Every port with the flag that sets it, in the order the servers start.</summary>
    public IReadOnlyList<(int Port, string Flag)> Ports =>
    [
        (KafkaPort, "--kafka-port"),
        (GatewayPort, "--gateway-port"),
        (GatewayBrokerPort, "--gateway-port (its broker port is the next one)"),
        (GatewayAdminPort, "--gateway-admin-port"),
        (ConsolePort, "--console-port"),
    ];
}
