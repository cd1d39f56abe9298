using System.CommandLine;
using Microsoft.Extensions.Logging;
using PartnerZones.Gateway;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Security;
using PartnerZones.Resources;

namespace PartnerZones.Cli;

/// <summary><c>pz gateway --config FILE</c> runs a gateway; <c>pz gateway hash-secret</c> hashes a secret
/// read from standard input for a Credential document.</summary>
internal static class GatewayCommand
{
    public static Command Build()
    {
        var config = new Option<FileInfo>("--config") { Description = "Gateway configuration file (YAML; see docs/gateway-configuration.md)", Required = true };
        var command = new Command("gateway", "Run the Kafka gateway that enforces partner zones") { config };
        command.SetAction(async (parse, cancellationToken) => await RunAsync(parse.GetValue(config)!, cancellationToken));

        var hash = new Command("hash-secret", "Read a secret from standard input and print the hash to put in a Credential's spec.secretHash");
        hash.SetAction(_ =>
        {
            var secret = Console.In.ReadToEnd().TrimEnd('\r', '\n');
            if (secret.Length == 0)
            {
                Console.Error.WriteLine("error: no secret on standard input; pipe one in, e.g. echo -n 'SECRET' | pz gateway hash-secret");
                return ExitCodes.Usage;
            }

            Console.WriteLine(SecretHash.Hash(secret));
            return 0;
        });
        command.Subcommands.Add(hash);
        return command;
    }

    private static async Task<int> RunAsync(FileInfo file, CancellationToken cancellationToken)
    {
        // System.CommandLine installs its SIGINT/SIGTERM handler only once this action has returned a task:
        // yield first, so it is in place before the gateway starts (see ConsoleCommand).
        await Task.Yield();
        GatewayConfig config;
        GatewayState state;
        try
        {
            (config, state) = GatewayConfigLoader.Load(file.FullName);
        }
        catch (ResourceException e)
        {
            foreach (var error in e.Errors)
            {
                Console.Error.WriteLine($"error: {error}");
            }

            return ExitCodes.Usage;
        }

        // Audit events and operational messages: one JSON object per line on standard error, so standard
        // output keeps the plain start-up lines scripts read.
        using var loggers = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Information)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddJsonConsole(json => json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ")
            .AddFilter("Microsoft", LogLevel.Warning));
        GatewayHost host;
        try
        {
            host = await GatewayHost.StartAsync(config, state, config.Spec.Http.Port == 0 ? null : config.Spec.Http.Port, new GatewayHostOptions { LoggerFactory = loggers }, cancellationToken);
        }
        catch (ResourceException e)
        {
            foreach (var error in e.Errors)
            {
                Console.Error.WriteLine($"error: {error}");
            }

            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or PartnerZones.Gateway.Network.UpstreamException
            or PartnerZones.Gateway.State.StateStoreException or Confluent.Kafka.KafkaException)
        {
            Console.Error.WriteLine($"error: the gateway could not start: {e.Message}");
            return ExitCodes.Usage;
        }

        await using (host)
        {
            var listener = config.Spec.Listener;
            Console.WriteLine($"gateway bootstrap listening on {listener.Host}:{listener.BootstrapPort}");
            foreach (var node in host.Runtime.Brokers.NodeIds)
            {
                Console.WriteLine($"gateway broker {node} listening on {listener.Host}:{host.Runtime.Brokers.GatewayPort(node)}");
            }

            if (config.Spec.Http.Port != 0)
            {
                Console.WriteLine($"gateway http (health, metrics, admin API) on http://{listener.Host}:{config.Spec.Http.Port}");
            }

            var shared = host.Runtime.State;
            Console.WriteLine($"{shared.Zones.Count} partner zone(s), {shared.Accounts.Count} service account(s) in state topic {config.Spec.State.Topic}");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return 0;
    }
}
