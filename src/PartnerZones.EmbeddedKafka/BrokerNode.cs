using System.Net;
using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;

namespace PartnerZones.EmbeddedKafka;

/// <summary>One node of the embedded cluster: a listener and the handlers that serve its connections.</summary>
internal sealed class BrokerNode : IAsyncDisposable
{
    private NodeListener _listener;
    private CancellationTokenSource _stop = new();

    public BrokerNode(int id, EmbeddedCluster cluster, IPEndPoint endpoint, Func<BrokerNode, IEnumerable<IApiHandler>> handlers)
    {
        Id = id;
        Cluster = cluster;
        _listener = Listen(endpoint);
        Dispatcher = new RequestDispatcher(handlers(this));
    }

    public int Id { get; }

    public EmbeddedCluster Cluster { get; }

    public ClusterOptions Options => Cluster.Options;

    public ClusterState State => Cluster.State;

    public RequestDispatcher Dispatcher { get; }

    public IPEndPoint EndPoint => _listener.EndPoint;

    public void Start() => _listener.Start();

    /// <summary>
    /// Restarts the node in place, as a broker restarts with its disk intact: the port is closed and every
    /// connection to it dropped, then after <paramref name="downtime"/> the same port is bound again. The
    /// node's share of the cluster state (logs, groups, producer state) is untouched.
    /// </summary>
    public async Task RestartAsync(TimeSpan downtime, CancellationToken cancellationToken)
    {
        var endpoint = EndPoint;
        var stop = _stop;
        await stop.CancelAsync().ConfigureAwait(false);
        await _listener.DisposeAsync().ConfigureAwait(false);
        stop.Dispose();
        await Task.Delay(downtime, cancellationToken).ConfigureAwait(false);

        _stop = new CancellationTokenSource();
        _listener = Listen(endpoint);
        _listener.Start();
    }

    private NodeListener Listen(IPEndPoint endpoint)
    {
        // Each listener serves its connections under the token of its own life, so a restart ends them all.
        var token = _stop.Token;
        return new NodeListener(endpoint, socket => new ClientConnection(socket, this).RunAsync(token));
    }

    public void Log(string message) => Cluster.Log($"node {Id}: {message}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _listener.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
