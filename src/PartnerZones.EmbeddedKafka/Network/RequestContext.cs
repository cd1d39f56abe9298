using System.Net;
using PartnerZones.Protocol.Framing;

namespace PartnerZones.EmbeddedKafka.Network;

/// <summary>What a handler knows about the request it serves: which node, which connection, which header.</summary>
internal sealed class RequestContext
{
    public required BrokerNode Node { get; init; }

    public required RequestHeader Header { get; init; }

    public required ConnectionState Connection { get; init; }

    public short Version => Header.ApiVersion;

    /// <summary>Version to encode the response with; a handler lowers it only for ApiVersions' fallback.</summary>
    public short ResponseVersion { get; set; }
}

/// <summary>Per-connection state that outlives one request (authentication, client address).</summary>
internal sealed class ConnectionState
{
    public required EndPoint? Remote { get; init; }

    public bool Authenticated { get; set; }

    public string? Principal { get; set; }
}
