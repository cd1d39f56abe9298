using System.Net;
using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;

namespace PartnerZones.EmbeddedKafka;

/// <summary>One node of the embedded cluster: a listener and the handlers that serve its connections.</summary>
internal sealed class BrokerNode : IAsyncDisposable
{
    private readonly NodeListener _listener;
    private readonly CancellationTokenSource _stop = new();

    public BrokerNode(int id, EmbeddedCluster cluster, IPEndPoint endpoint, Func<BrokerNode, IEnumerable<IApiHandler>> handlers)
    {
        Id = id;
        Cluster = cluster;
        _listener = new NodeListener(endpoint, socket => new ClientConnection(socket, this).RunAsync(_stop.Token));
        Dispatcher = new RequestDispatcher(handlers(this));
    }

    public int Id { get; }

    public EmbeddedCluster Cluster { get; }

    public ClusterOptions Options => Cluster.Options;

    public ClusterState State => Cluster.State;

    public RequestDispatcher Dispatcher { get; }

    public IPEndPoint EndPoint => _listener.EndPoint;

    public void Start() => _listener.Start();

    public void Log(string message) => Cluster.Log($"node {Id}: {message}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _listener.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
