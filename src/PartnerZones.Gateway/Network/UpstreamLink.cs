namespace PartnerZones.Gateway.Network;

/// <summary>
/// The upstream connection of one client connection, opened on first use to the broker the client's port
/// stands for (any broker for the bootstrap port). A client may pipeline, so several requests can ask for
/// it at once: they share one connection attempt. When the upstream connection fails or ends,
/// <paramref name="lost"/> is called once so the client connection closes and the client reconnects and
/// re-discovers, as it would if the broker itself had gone away; the link never reconnects by itself.
/// </summary>
internal sealed class UpstreamLink(GatewayRuntime runtime, int? nodeId, Action lost) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private Task<UpstreamConnection>? _connecting;
    private CancellationTokenRegistration _watch;
    private int _lost;

    /// <summary>The upstream node this link stands for, or null when it picks any broker (bootstrap port).</summary>
    public int? NodeId => nodeId;

    public async Task<UpstreamConnection> GetAsync(CancellationToken cancellationToken)
    {
        Task<UpstreamConnection> connecting;
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                throw new UpstreamException("The client connection is closing.");
            }

            connecting = _connecting ??= ConnectAsync();
        }

        var connection = await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (connection.IsClosed)
        {
            throw new UpstreamException($"Upstream broker {connection.Address} closed the connection.");
        }

        return connection;
    }

    private async Task<UpstreamConnection> ConnectAsync()
    {
        UpstreamConnection connection;
        try
        {
            var (host, port) = nodeId is { } id
                ? runtime.Brokers.Upstream(id) ?? throw new UpstreamException($"No upstream broker with node id {id} is known.")
                : runtime.Brokers.AnyUpstream(Environment.TickCount);
            connection = await UpstreamConnection.ConnectAsync(host, port, runtime.Spec.Upstream, runtime.Spec.Limits.MaxFrameBytes, _disposed.Token, runtime.Metrics).ConfigureAwait(false);
        }
        catch (UpstreamException)
        {
            Lose();
            throw;
        }

        runtime.Metrics.UpstreamConnectionOpened();
        // Disposal unregisters before closing the connection, so only an upstream failure gets here.
        _watch = connection.Closed.Register(Lose);
        return connection;
    }

    private void Lose()
    {
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            lost();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<UpstreamConnection>? connecting;
        lock (_gate)
        {
            _disposed.Cancel();
            connecting = _connecting;
        }

        if (connecting is not null)
        {
            UpstreamConnection? connection = null;
            try
            {
                connection = await connecting.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Never connected: nothing to close. The failure was the client's to see.
            }

            if (connection is not null)
            {
                await _watch.DisposeAsync().ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
                runtime.Metrics.UpstreamConnectionClosed();
            }
        }

        _disposed.Dispose();
    }
}
