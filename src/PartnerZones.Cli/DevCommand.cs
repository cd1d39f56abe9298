using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using PartnerZones.Cli.Dev;

namespace PartnerZones.Cli;

/// <summary>
/// <c>pz dev</c>: Kafka, a gateway and a console in one process, wired together, for trying Partner Zones
/// on one machine (see <see cref="DevRunner"/>). Prints the addresses, the generated passwords, an API key
/// and an <c>export</c> line, writes the same to <c>DATA_DIR/env</c>, and runs until SIGINT or SIGTERM.
/// </summary>
internal static class DevCommand
{
    public static Command Build()
    {
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Directory for everything pz dev keeps (topics, zones, the console store, secrets); created when missing",
            HelpName = "dir",
            DefaultValueFactory = _ => DevOptions.DefaultDataDir,
        };
        var kafkaPort = Port("--kafka-port", "Port of the embedded Kafka cluster (the backing cluster, no authentication)", DevOptions.DefaultKafkaPort);
        var gatewayPort = Port("--gateway-port", "Port partners bootstrap from; the gateway's broker listens on the next port", DevOptions.DefaultGatewayPort);
        var gatewayAdminPort = Port("--gateway-admin-port", "Port of the gateway's HTTP admin API, health and metrics", DevOptions.DefaultGatewayAdminPort);
        var consolePort = Port("--console-port", "Port of the console's REST API", DevOptions.DefaultConsolePort);
        var command = new Command("dev", "Run Kafka, a gateway and a console in one process for local use, until SIGINT or SIGTERM")
        {
            dataDir, kafkaPort, gatewayPort, gatewayAdminPort, consolePort,
        };
        command.SetAction((parse, cancellationToken) => DevRunner.RunAsync(
            new DevOptions
            {
                DataDir = parse.GetValue(dataDir)!,
                KafkaPort = parse.GetValue(kafkaPort),
                GatewayPort = parse.GetValue(gatewayPort),
                GatewayAdminPort = parse.GetValue(gatewayAdminPort),
                ConsolePort = parse.GetValue(consolePort),
            },
            cancellationToken));
        return command;
    }

    private static Option<int> Port(string name, string description, int defaultPort) => new(name)
    {
        Description = description,
        HelpName = "port",
        DefaultValueFactory = _ => defaultPort,
        CustomParser = result =>
        {
            if (result.Tokens is not [.., var token])
            {
                return defaultPort;
            }

            // 1024 and up: pz dev runs as a normal user. The gateway also needs the port after --gateway-port.
            if (!int.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port < 1024 || port > 65534)
            {
                result.AddError($"{name} '{token.Value}' is not a port from 1024 to 65534.");
            }

            return port;
        },
    };
}
