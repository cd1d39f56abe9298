using System.Net;
using PartnerZones.EmbeddedKafka.Groups;
using PartnerZones.EmbeddedKafka.Handlers;
using PartnerZones.EmbeddedKafka.Security;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.EmbeddedKafka.Transactions;
using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka;

/// <summary>
/// A Kafka-compatible cluster in this process: <see cref="ClusterOptions.Nodes"/> nodes on loopback
/// ports, sharing one state, in memory or in <see cref="ClusterOptions.DataDir"/>. Start it, point any
/// Kafka client at <see cref="BootstrapServers"/>.
/// </summary>
public sealed class EmbeddedCluster : IAsyncDisposable
{
    private readonly List<BrokerNode> _nodes = [];
    private readonly Action<string>? _log;
    private readonly DataDirectory? _dataDir;
    private readonly OffsetJournal? _journal;
    private readonly StorageMaintenance _maintenance;

    private EmbeddedCluster(ClusterOptions options, Action<string>? log, DataDirectory? dataDir, ClusterState state, OffsetJournal? journal)
    {
        Options = options;
        Sasl = SaslCredentials.Create(options.SaslUsers);
        _log = log;
        _dataDir = dataDir;
        _journal = journal;
        State = state;
        Groups = new GroupCoordinator(options.Nodes, options.InitialRebalanceDelayMs, journal);
        ConsumerGroups = new ConsumerProtocolCoordinator(Groups, state, options, dataDir?.ConsumerGroupsPath);
        var producerIds = dataDir is null ? ProducerIdBlocks.InMemory() : ProducerIdBlocks.Open(dataDir.Root, state.HighestLoadedProducerId);
        Transactions = new TransactionCoordinator(State, Groups, options.TransactionMaxTimeoutMs, options.TransactionTimeoutCheckIntervalMs, producerIds);
        _maintenance = new StorageMaintenance(state, journal, options, log);
    }

    public ClusterOptions Options { get; }

    internal ClusterState State { get; }

    internal GroupCoordinator Groups { get; }

    /// <summary>The consumer group protocol (KIP-848) over the same groups.</summary>
    internal ConsumerProtocolCoordinator ConsumerGroups { get; }

    /// <summary>The accounts connections authenticate against; null when the listeners are PLAINTEXT.</summary>
    internal SaslCredentials? Sasl { get; }

    internal TransactionCoordinator Transactions { get; }

    internal IReadOnlyList<BrokerNode> Nodes => _nodes;

    /// <summary>"host:port" of every node, comma-separated.</summary>
    public string BootstrapServers => string.Join(",", _nodes.Select(n => $"{Options.Host}:{n.EndPoint.Port}"));

    public IReadOnlyList<IPEndPoint> EndPoints => [.. _nodes.Select(n => n.EndPoint)];

    /// <summary>Loads the data directory (when there is one), binds every node's port and starts serving.
    /// Throws <see cref="DataDirException"/> when the data directory cannot be used (the message names the
    /// path and the problem) and <see cref="System.Net.Sockets.SocketException"/> when a port is taken
    /// (nothing is left listening or locked then).</summary>
    public static async Task<EmbeddedCluster> StartAsync(ClusterOptions options, Action<string>? log = null)
    {
        if (options.Nodes < 1)
        {
            throw new ArgumentException("A cluster needs at least one node.", nameof(options));
        }

        var cluster = options.DataDir is null
            ? new EmbeddedCluster(options, log, null, new ClusterState(options.Nodes, null, log), null)
            : Load(options, log);
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

    /// <summary>Opens the data directory and everything in it; any failure leaves nothing open.</summary>
    private static EmbeddedCluster Load(ClusterOptions options, Action<string>? log)
    {
        var dataDir = DataDirectory.Open(options.DataDir!, options.FlushPolicy);
        ClusterState? state = null;
        OffsetJournal? journal = null;
        try
        {
            state = ClusterState.Load(options.Nodes, dataDir, log);
            journal = OffsetJournal.Open(dataDir.OffsetsPath, options.FlushPolicy, log);
            return new EmbeddedCluster(options, log, dataDir, state, journal);
        }
        catch (Exception e)
        {
            journal?.Dispose();
            state?.Dispose();
            dataDir.Dispose();
            if (e is not DataDirException && e is IOException or UnauthorizedAccessException or Protocol.Primitives.KafkaDecodeException)
            {
                throw new DataDirException(dataDir.Root, $"cannot be loaded ({e.Message})", e);
            }

            throw;
        }
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

        // Nothing writes once the nodes are gone: stop the timers, then flush and close the files.
        await _maintenance.DisposeAsync().ConfigureAwait(false);
        await ConsumerGroups.DisposeAsync().ConfigureAwait(false);
        await Groups.DisposeAsync().ConfigureAwait(false);
        await Transactions.DisposeAsync().ConfigureAwait(false);
        State.Dispose();
        _journal?.Dispose();
        _dataDir?.Dispose();
    }
}
