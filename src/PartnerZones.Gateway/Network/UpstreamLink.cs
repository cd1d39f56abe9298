namespace PartnerZones.Gateway.Network;

/// <summary>The upstream connection of one client connection, opened on first use to the broker the
/// client's port stands for (any broker for the bootstrap port).</summary>
internal sealed class UpstreamLink(GatewayRuntime runtime, int? nodeId) : IAsyncDisposable
{
    private UpstreamConnection? _connection;

    public async Task<UpstreamConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsClosed: false } open)
        {
            return open;
        }

        if (_connection is not null)
        {
            // The broker went away: the client must reconnect and re-discover, as it would with Kafka.
            throw new UpstreamException($"Upstream broker {_connection.Address} closed the connection.");
        }

        var (host, port) = nodeId is { } id
            ? runtime.Brokers.Upstream(id) ?? throw new UpstreamException($"No upstream broker with node id {id} is known.")
            : runtime.Brokers.AnyUpstream(Environment.TickCount);
        _connection = await UpstreamConnection.ConnectAsync(host, port, runtime.Spec.Upstream, runtime.Spec.Limits.MaxFrameBytes, cancellationToken).ConfigureAwait(false);
        return _connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
