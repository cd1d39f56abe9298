using System.Net;
using Microsoft.AspNetCore.Connections;

namespace PartnerZones.Gateway.Network;

/// <summary>Kestrel's entry point for Kafka listeners: the local port says which upstream broker the
/// connection stands for (none for the bootstrap port).</summary>
internal sealed class KafkaConnectionHandler(GatewayRuntime runtime) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        var port = (connection.LocalEndPoint as IPEndPoint)?.Port ?? runtime.Brokers.BootstrapPort;
        return new ClientSession(connection, runtime, runtime.Brokers.NodeForPort(port)).RunAsync();
    }
}
