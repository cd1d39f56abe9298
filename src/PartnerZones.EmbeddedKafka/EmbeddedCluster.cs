using System.Net;
using PartnerZones.EmbeddedKafka.Groups;
using PartnerZones.EmbeddedKafka.Handlers;
using PartnerZones.EmbeddedKafka.Security;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.EmbeddedKafka.Transactions;

namespace PartnerZones.EmbeddedKafka;

/// <summary>
/// A Kafka-compatible cluster in this process: <see cref="ClusterOptions.Nodes"/> nodes on loopback
/// ports, sharing one in-memory state. Start it, point any Kafka client at <see cref="BootstrapServers"/>.
/// </summary>
public sealed class EmbeddedCluster : IAsyncDisposable
{
    private readonly List<BrokerNode> _nodes = [];
    private readonly Action<string>? _log;

    private EmbeddedCluster(ClusterOptions options, Action<string>? log)
    {
        Options = options;
        State = new ClusterState(options.Nodes);
        Groups = new GroupCoordinator(options.Nodes, options.InitialRebalanceDelayMs);
        Sasl = SaslCredentials.Create(options.SaslUsers);
        Transactions = new TransactionCoordinator(State, Groups, options.TransactionMaxTimeoutMs, options.TransactionTimeoutCheckIntervalMs);
        _log = log;
    }

    public ClusterOptions Options { get; }

    internal ClusterState State { get; }

    internal GroupCoordinator Groups { get; }

    /// <summary>The accounts connections authenticate against; null when the listeners are PLAINTEXT.</summary>
    internal SaslCredentials? Sasl { get; }

    internal TransactionCoordinator Transactions { get; }

    internal IReadOnlyList<BrokerNode> Nodes => _nodes;

    /// <summary>"host:port" of every node, comma-separated.</summary>
    public string BootstrapServers => string.Join(",", _nodes.Select(n => $"{Options.Host}:{n.EndPoint.Port}"));

    public IReadOnlyList<IPEndPoint> EndPoints => [.. _nodes.Select(n => n.EndPoint)];

    /// <summary>Binds every node's port and starts serving. Throws <see cref="System.Net.Sockets.SocketException"/>
    /// when a port is taken (nothing is left listening then).</summary>
    public static async Task<EmbeddedCluster> StartAsync(ClusterOptions options, Action<string>? log = null)
    {
        if (options.Nodes < 1)
        {
            throw new ArgumentException("A cluster needs at least one node.", nameof(options));
        }

        var cluster = new EmbeddedCluster(options, log);
        try
        {
            for (var i = 0; i < options.Nodes; i++)
            {
                var port = options.BasePort == 0 ? 0 : options.BasePort + i;
                var node = new BrokerNode(i, cluster, new IPEndPoint(IPAddress.Parse(options.Host), port), HandlerSet.For);
                node.Start();
                cluster._nodes.Add(node);
            }
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return cluster;
    }

    internal BrokerNode Node(int id) => _nodes[id];

    /// <summary>
    /// Restarts node <paramref name="nodeId"/> in place, like a broker restart with its disk intact: its port
    /// closes and every connection to it is dropped, and after <paramref name="downtime"/> (none by default)
    /// it listens on the same port again with the same logs, groups and producer state.
    /// </summary>
    public Task RestartNodeAsync(int nodeId, TimeSpan downtime = default, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(nodeId, _nodes.Count);
        Log($"node {nodeId}: restarting");
        return _nodes[nodeId].RestartAsync(downtime, cancellationToken);
    }

    internal void Log(string message) => _log?.Invoke(message);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }

        await Groups.DisposeAsync().ConfigureAwait(false);
        await Transactions.DisposeAsync().ConfigureAwait(false);
    }
}
