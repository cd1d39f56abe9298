using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using PartnerZones.Cli.Client;
using PartnerZones.ControlPlane;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Security;
using PartnerZones.ControlPlane.Store;
using PartnerZones.EmbeddedKafka;
using PartnerZones.EmbeddedKafka.Storage;
using PartnerZones.Gateway;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Resources;
using ConsoleAdmin = PartnerZones.ControlPlane.Configuration.AdminUser;
using GatewayAdmin = PartnerZones.Gateway.Configuration.AdminUser;

namespace PartnerZones.Cli.Dev;

/// <summary>
/// Runs the whole product in one process for a developer: an embedded Kafka cluster (the backing cluster),
/// a gateway in front of it, and a console whose <c>KafkaCluster</c> named <c>gateway</c> points at that
/// gateway. Everything lives in the data directory: <c>kafka/</c> (topics, offsets and the gateway's state
/// topic, so zones and credentials survive a restart), <c>console.db</c> with its key file
/// <c>console.db.key</c>, <c>secrets.json</c> and <c>env</c>. Directories are 0700 and files 0600.
/// </summary>
internal static class DevRunner
{
    public const string ClusterName = "gateway";

    public static async Task<int> RunAsync(DevOptions options, CancellationToken cancellationToken)
    {
        // System.CommandLine installs its SIGINT/SIGTERM handler only once this action has returned a task:
        // yield first, so it is in place before anything starts (see ConsoleCommand).
        await Task.Yield();
        if (DataDirectory.Problem(options.DataDir, "--data-dir") is { } dirProblem)
        {
            return Fail(dirProblem);
        }

        if (DevPorts.Problem(options) is { } portProblem)
        {
            return Fail(portProblem);
        }

        var dataDir = Path.GetFullPath(options.DataDir);
        try
        {
            // It holds secrets.json, env, the console's store and key: owner-only even when an older pz dev made it.
            OwnerOnly.Tighten(dataDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"--data-dir '{options.DataDir}' cannot be made owner-only ({e.Message}); run pz dev as the directory's owner or choose another directory.");
        }

        var (secrets, generated) = DevSecrets.LoadOrCreate(dataDir);

        using var loggers = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("PartnerZones.Gateway.Audit", LogLevel.Information)
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));

        EmbeddedCluster cluster;
        try
        {
            cluster = await EmbeddedCluster.StartAsync(
                new ClusterOptions
                {
                    Host = DevOptions.Host,
                    BasePort = options.KafkaPort,
                    DataDir = Path.Combine(dataDir, "kafka"),
                    AutoCreateTopics = true,
                },
                message => Console.Error.WriteLine($"pz dev: kafka: {message}")).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return Fail(DevPorts.InUse(options.KafkaPort, "--kafka-port"));
        }
        catch (DataDirException e)
        {
            // Most often another pz dev on the same directory: the message says which and what to do.
            return Fail($"{e.Message} (--data-dir).");
        }

        await using (cluster.ConfigureAwait(false))
        {
            GatewayHost gateway;
            try
            {
                gateway = await GatewayHost.StartAsync(GatewayConfig(options, secrets, cluster.BootstrapServers), GatewayState.Empty,
                    options.GatewayAdminPort, new GatewayHostOptions { LoggerFactory = loggers }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                return Fail(DevPorts.FirstTaken(options, [options.GatewayPort, options.GatewayBrokerPort, options.GatewayAdminPort]) is { } taken
                    ? DevPorts.InUse(taken.Port, taken.Flag)
                    : $"the gateway could not start: {e.Message}");
            }
            catch (Exception e) when (e is ResourceException or Gateway.Network.UpstreamException or Gateway.State.StateStoreException or Confluent.Kafka.KafkaException)
            {
                return Fail($"the gateway could not start: {e.Message}");
            }

            await using (gateway.ConfigureAwait(false))
            {
                ConsoleHost console;
                try
                {
                    console = await ConsoleHost.StartAsync(ConsoleConfig(options, secrets, dataDir), cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (StoreException e)
                {
                    return Fail($"{e.Message.TrimEnd('.')}; or move {Path.Combine(dataDir, "console.db")} and its key file away to start with an empty console.");
                }
                catch (Exception e) when (e is IOException or SocketException)
                {
                    return Fail(DevPorts.FirstTaken(options, [options.ConsolePort]) is not null
                        ? DevPorts.InUse(options.ConsolePort, "--console-port")
                        : $"the console could not start: {e.Message}");
                }

                await using (console.ConfigureAwait(false))
                {
                    return await ServeAsync(options, dataDir, secrets, generated, console, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task<int> ServeAsync(DevOptions options, string dataDir, DevSecrets secrets, bool generated, ConsoleHost console, CancellationToken cancellationToken)
    {
        var notes = new List<string> { generated ? "new passwords and API key generated" : $"passwords and API key reused from {DevSecrets.FileName}" };
        if (await console.Store.FindActiveApiKeyAsync(ApiKeys.HashOf(secrets.ApiKey), cancellationToken).ConfigureAwait(false) is null)
        {
            if (!generated)
            {
                // The stored key was revoked, or the console's store was replaced: a new key keeps `pz` working.
                secrets = secrets with { ApiKey = ApiKeys.Generate() };
                secrets.Save(dataDir);
                notes.Add("the stored API key is no longer valid, so a new one was created");
            }

            await console.Store.CreateApiKeyAsync("pz-dev", ApiKeys.HashOf(secrets.ApiKey), DevEnvironment.AdminUser, cancellationToken).ConfigureAwait(false);
        }

        string registered;
        try
        {
            registered = await RegisterClusterAsync(options, secrets, cancellationToken).ConfigureAwait(false);
        }
        catch (CliFailure e)
        {
            return Fail($"registering KafkaCluster/{ClusterName} in the console failed: {e.Message}");
        }

        var environment = new DevEnvironment(options, secrets);
        var envFile = Path.Combine(options.DataDir, DevEnvironment.FileName);
        OwnerOnly.Write(Path.Combine(dataDir, DevEnvironment.FileName), environment.EnvFile());

        Console.WriteLine($"pz dev: data in {dataDir} ({string.Join("; ", notes)})");
        foreach (var line in environment.Summary(envFile))
        {
            Console.WriteLine(line);
        }

        Console.WriteLine($"KafkaCluster/{ClusterName}: {registered} (bootstrap {options.GatewayBootstrap}, admin API {options.GatewayAdminUrl})");
        Console.WriteLine("pz dev: ready; Ctrl-C stops everything.");
        await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // SIGINT or SIGTERM: leaving the callers' blocks stops the console, then the gateway, then Kafka.
        }

        await Console.Error.WriteLineAsync("pz dev: stopping").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>Upserts the KafkaCluster through the console's own API, with the ports and password of this
    /// run, so a restart with other ports or new secrets leaves the console pointing at the right gateway.</summary>
    private static async Task<string> RegisterClusterAsync(DevOptions options, DevSecrets secrets, CancellationToken cancellationToken)
    {
        var resource = new KafkaCluster
        {
            Metadata = new ResourceMetadata { Name = ClusterName },
            Spec = new KafkaClusterSpec
            {
                DisplayName = "pz dev gateway",
                BootstrapServers = options.GatewayBootstrap,
                AdminApi = new GatewayAdminApi { Url = options.GatewayAdminUrl, Username = DevEnvironment.AdminUser, Password = secrets.GatewayAdminPassword },
            },
        };
        using var client = ConsoleClient.WithApiKey(new Uri(options.ConsoleUrl), secrets.ApiKey);
        var response = await client.SendAsync(HttpMethod.Put, ControlPlane.Api.ApiRoutes.Resources(ResourceKinds.KafkaCluster.PathSegment),
            ResourceJson.Serialize(resource), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw new CliFailure(response.Message);
        }

        return response.Json().GetProperty("upsertResult").GetString() switch
        {
            "CREATED" => "Created",
            "UPDATED" => "Updated",
            _ => "NotChanged",
        };
    }

    private static GatewayConfig GatewayConfig(DevOptions options, DevSecrets secrets, string upstream) => new()
    {
        Metadata = new ResourceMetadata { Name = "pz-dev" },
        Spec = new GatewaySpec
        {
            Upstream = new UpstreamConfig { BootstrapServers = upstream },
            Listener = new ListenerConfig { Host = DevOptions.Host, BootstrapPort = options.GatewayPort, BrokerPortBase = options.GatewayBrokerPort },
            Http = new HttpConfig { Port = options.GatewayAdminPort },
            Admin = new AdminConfig { Users = [new GatewayAdmin { Name = DevEnvironment.AdminUser, Password = secrets.GatewayAdminPassword }] },
        },
    };

    private static ConsoleConfig ConsoleConfig(DevOptions options, DevSecrets secrets, string dataDir) => new()
    {
        Metadata = new ResourceMetadata { Name = "pz-dev" },
        Spec = new ConsoleSpec
        {
            Listen = options.ConsoleUrl,
            Store = new StoreConfig { Sqlite = Path.Combine(dataDir, "console.db") },
            Admins = [new ConsoleAdmin { Name = DevEnvironment.AdminUser, PasswordHash = PasswordHash.Hash(secrets.ConsoleAdminPassword) }],
        },
    };

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"pz dev: {message}");
        return ExitCodes.Usage;
    }
}
