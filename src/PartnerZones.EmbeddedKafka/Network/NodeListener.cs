using System.Net;
using System.Net.Sockets;

namespace PartnerZones.EmbeddedKafka.Network;

/// <summary>Accepts connections for one node and runs each on its own task.</summary>
internal sealed class NodeListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<Socket, Task> _serve;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private Task? _acceptLoop;

    public NodeListener(IPEndPoint endpoint, Func<Socket, Task> serve)
    {
        _listener = new TcpListener(endpoint);
        _serve = serve;
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Binds the port; throws <see cref="SocketException"/> when it is taken.</summary>
    public void Start()
    {
        _listener.Start(backlog: 512);
        _acceptLoop = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            socket.NoDelay = true;
            var task = Task.Run(() => _serve(socket));
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(task);
            }
        }
    }

    /// <summary>Stops accepting and waits (briefly) for the connections to end; their owner cancels them.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        Task[] running;
        lock (_connections)
        {
            running = [.. _connections];
        }

        // A node restart must not return while old connections still serve requests.
        await Task.WhenAny(Task.WhenAll(running), Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        _stop.Dispose();
    }
}
