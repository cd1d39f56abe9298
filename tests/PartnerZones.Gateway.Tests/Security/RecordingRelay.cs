using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>Everything the gateway sent to a client over one relayed connection.</summary>
internal sealed class RelayedConnection
{
    private readonly MemoryStream _toClient = new();

    public required int ListenPort { get; init; }

    public byte[] ToClient()
    {
        lock (_toClient)
        {
            return _toClient.ToArray();
        }
    }

    public void Record(ReadOnlySpan<byte> bytes)
    {
        lock (_toClient)
        {
            _toClient.Write(bytes);
        }
    }
}

/// <summary>
/// A TCP relay between a client and the gateway that passes bytes through unchanged and records every
/// byte the gateway sends back, per connection. One relay stands for one gateway port.
/// </summary>
internal sealed class RecordingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<RelayedConnection> _connections = [];
    private readonly ConcurrentBag<Task> _pumps = [];
    private readonly Task _accepting;

    public RecordingRelay(IPEndPoint listen, IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(listen);
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyCollection<RelayedConnection> Connections => _connections;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var connection = new RelayedConnection { ListenPort = Port };
                _connections.Add(connection);
                _pumps.Add(Task.Run(() => RelayAsync(client, connection)));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task RelayAsync(TcpClient client, RelayedConnection connection)
    {
        using (client)
        using (var server = new TcpClient(_target.AddressFamily) { NoDelay = true })
        {
            client.NoDelay = true;
            try
            {
                await server.ConnectAsync(_target, _stop.Token);
                var toServer = PumpAsync(client.GetStream(), server.GetStream(), null, server.Client);
                var toClient = PumpAsync(server.GetStream(), client.GetStream(), connection, client.Client);
                await Task.WhenAll(toServer, toClient);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // One side went away; the other is closed with it.
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, RelayedConnection? record, Socket toSocket)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                record?.Record(buffer.AsSpan(0, read));
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }

            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            toSocket.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_pumps);
        _stop.Dispose();
    }
}
