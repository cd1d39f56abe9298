using System.CommandLine;
using System.Globalization;
using System.CommandLine.Parsing;
using System.Net;
using System.Net.Sockets;
using PartnerZones.EmbeddedKafka;
using PartnerZones.EmbeddedKafka.Security;

namespace PartnerZones.Cli;

/// <summary>
/// <c>pz kafka</c>: runs the embedded Kafka-compatible cluster until SIGINT or SIGTERM. When every node
/// listens it prints one <c>node I listening on HOST:PORT</c> line per node on standard output, which is
/// what scripts and tests wait for; diagnostics go to standard error.
/// </summary>
public static class KafkaCommand
{
    public const int MaxNodes = 100;
    public const int MaxDefaultPartitions = 10_000;

    public static Command Build()
    {
        var listen = new Option<IPEndPoint>("--listen")
        {
            Description = "HOST:PORT of node 0; node I listens on PORT+I. Port 0 picks free ports.",
            HelpName = "host:port",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens[^1].Value;
                if (ListenAddress.TryParse(text, out var endpoint, out var error))
                {
                    return endpoint;
                }

                result.AddError($"--listen: {error}.");
                return null;
            },
        };
        var nodes = new Option<int>("--nodes")
        {
            Description = $"Number of nodes (1-{MaxNodes}).",
            DefaultValueFactory = _ => 1,
            CustomParser = result => IntInRange(result, "--nodes", 1, MaxNodes),
        };
        var dataDir = new Option<string?>("--data-dir")
        {
            Description = "Directory to keep the cluster's data in across restarts; created when missing. Default: memory only.",
            HelpName = "dir",
        };
        var defaultPartitions = new Option<int>("--default-partitions")
        {
            Description = "Partitions of a topic created without a count (auto-created or num_partitions -1).",
            DefaultValueFactory = _ => 1,
            CustomParser = result => IntInRange(result, "--default-partitions", 1, MaxDefaultPartitions),
        };
        var autoCreate = new Option<bool>("--auto-create-topics")
        {
            Description = "Create a topic when a client asks for one that does not exist.",
        };
        var saslUsers = new Option<SaslUser[]>("--sasl-user")
        {
            Description = "MECHANISM:NAME:PASSWORD with MECHANISM one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512. Repeatable. "
                + "Any user turns on SASL_PLAINTEXT for every connection; without one the listeners are PLAINTEXT.",
            HelpName = "mechanism:name:password",
            Arity = ArgumentArity.OneOrMore,
            CustomParser = ParseUsers,
        };

        var apiGeneration = new Option<KafkaApiGeneration>("--api-generation")
        {
            Description = "Which Apache Kafka release's lowest API versions to offer and accept: 3.9 (every client API from v0) "
                + "or 4.0 (KIP-896: older versions close the connection, as on a Kafka 4.0.0 broker).",
            HelpName = "3.9|4.0",
            DefaultValueFactory = _ => KafkaApiGeneration.Kafka39,
            CustomParser = ParseApiGeneration,
        };

        var consumerGroupProtocol = new Option<bool>("--consumer-group-protocol")
        {
            Description = "Serve the KIP-848 consumer group protocol (ConsumerGroupHeartbeat, ConsumerGroupDescribe) as 3.9 too; "
                + "--api-generation 4.0 serves it anyway, as Kafka 4.0 does.",
        };

        var command = new Command("kafka", "Run an embedded Kafka-compatible cluster (for development and tests) until SIGINT or SIGTERM.")
        {
            listen, nodes, dataDir, defaultPartitions, autoCreate, saslUsers, apiGeneration, consumerGroupProtocol,
        };
        command.Validators.Add(result =>
        {
            // From the raw tokens: a validator must not ask for a value whose own parse failed (that throws).
            if (result.GetResult(listen)?.Tokens is [.., var listenToken] && ListenAddress.TryParse(listenToken.Value, out var endpoint, out _)
                && endpoint!.Port > 0
                && result.GetResult(nodes)?.Tokens is var nodeTokens
                && (nodeTokens is not [.., var nodeToken] ? 1 : int.TryParse(nodeToken.Value, CultureInfo.InvariantCulture, out var n) ? n : 1) is var count
                && endpoint.Port + count - 1 > IPEndPoint.MaxPort)
            {
                result.AddError($"--listen port {endpoint.Port} with --nodes {count} needs ports up to {endpoint.Port + count - 1}, past 65535; choose a lower port.");
            }
        });

        command.SetAction((parse, cancellationToken) => RunAsync(
            new ClusterOptions
            {
                Host = parse.GetRequiredValue(listen).Address.ToString(),
                BasePort = parse.GetRequiredValue(listen).Port,
                Nodes = parse.GetValue(nodes),
                DataDir = parse.GetValue(dataDir),
                DefaultPartitions = parse.GetValue(defaultPartitions),
                AutoCreateTopics = parse.GetValue(autoCreate),
                SaslUsers = parse.GetValue(saslUsers) ?? [],
                ApiGeneration = parse.GetValue(apiGeneration),

                // Without the flag the generation decides (Kafka 3.9 leaves the protocol out, 4.0 serves it).
                ConsumerGroupProtocol = parse.GetValue(consumerGroupProtocol) ? true : null,
            },
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ClusterOptions options, CancellationToken cancellationToken)
    {
        // System.CommandLine installs its SIGINT/SIGTERM handler only once this action has returned a task:
        // yield first, so it is in place before anything starts (see ConsoleCommand).
        await Task.Yield();
        if (options.DataDir is { } dir && DataDirectory.Problem(dir, "--data-dir") is { } problem)
        {
            return Fail(problem);
        }

        EmbeddedCluster cluster;
        try
        {
            cluster = await EmbeddedCluster.StartAsync(options, message => Console.Error.WriteLine($"pz kafka: {message}")).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return Fail(BindProblem(options, e));
        }
        catch (Exception e) when (options.DataDir is not null && e is IOException or UnauthorizedAccessException)
        {
            return Fail($"--data-dir '{options.DataDir}' cannot be used ({e.Message}); fix its permissions or choose another directory.");
        }
        catch (ArgumentException e)
        {
            return Fail(e.Message);
        }

        await using (cluster.ConfigureAwait(false))
        {
            var endpoints = cluster.EndPoints;
            for (var i = 0; i < endpoints.Count; i++)
            {
                Console.Out.WriteLine($"node {i} listening on {endpoints[i]}");
            }

            await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGINT or SIGTERM: leaving this block disposes the cluster, closing every connection.
            }
        }

        return ExitCodes.Ok;
    }

    private static SaslUser[] ParseUsers(ArgumentResult result)
    {
        var users = new List<SaslUser>();
        foreach (var token in result.Tokens)
        {
            if (!SaslUser.TryParse(token.Value, out var user, out var error))
            {
                result.AddError($"--sasl-user: {error}.");
                return [];
            }

            if (users.Any(u => u.Mechanism == user!.Mechanism && u.Name == user.Name))
            {
                result.AddError($"--sasl-user: {user!.Mechanism.Name()} user '{user.Name}' is given twice; keep one.");
                return [];
            }

            users.Add(user!);
        }

        return [.. users];
    }

    private static KafkaApiGeneration ParseApiGeneration(ArgumentResult result)
    {
        switch (result.Tokens is [.., var token] ? token.Value : "3.9")
        {
            case "3.9":
                return KafkaApiGeneration.Kafka39;
            case "4.0":
                return KafkaApiGeneration.Kafka40;
            case var other:
                result.AddError($"--api-generation '{other}' is not a Kafka release this cluster can act as; give 3.9 or 4.0.");
                return KafkaApiGeneration.Kafka39;
        }
    }

    private static int IntInRange(ArgumentResult result, string flag, int low, int high)
    {
        if (result.Tokens is not [.., var token])
        {
            return low;
        }

        if (!int.TryParse(token.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < low || value > high)
        {
            result.AddError($"{flag} '{token.Value}' is not a number from {low} to {high}.");
        }

        return value;
    }

    /// <summary>Names the port that could not be bound: the cluster releases every port when one fails, so each
    /// is tried again alone to find the culprit.</summary>
    private static string BindProblem(ClusterOptions options, SocketException e)
    {
        var address = IPAddress.Parse(options.Host);
        var first = new IPEndPoint(address, options.BasePort);
        switch (e.SocketErrorCode)
        {
            case SocketError.AddressAlreadyInUse:
                var taken = options.BasePort == 0 ? null : Enumerable.Range(0, options.Nodes).Select(i => new IPEndPoint(address, options.BasePort + i)).FirstOrDefault(IsTaken);
                return taken is not null
                    ? $"{taken} is already in use; stop what listens there or choose another --listen port."
                    : $"a port from {first} on (one per node) is already in use; stop what listens there or choose another --listen port.";
            case SocketError.AddressNotAvailable:
                return $"{options.Host} is not an address of this machine; --listen on a local address such as 127.0.0.1.";
            case SocketError.AccessDenied:
                return $"binding {first} was refused (ports below 1024 need privileges); choose a port above 1023.";
            default:
                return $"cannot listen on {first}: {e.Message}; check --listen.";
        }
    }

    private static bool IsTaken(IPEndPoint endpoint)
    {
        try
        {
            using var probe = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(endpoint);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"pz kafka: {message}");
        return ExitCodes.Usage;
    }
}
