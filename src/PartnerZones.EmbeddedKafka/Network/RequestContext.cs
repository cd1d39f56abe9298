using System.Net;
using PartnerZones.EmbeddedKafka.Security;
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

    /// <summary>The SASL exchange of this connection; null when the listener is PLAINTEXT.</summary>
    public SaslSession? Sasl { get; init; }

    /// <summary>True from the start on a PLAINTEXT listener, after a successful SASL exchange otherwise.</summary>
    public bool Authenticated => Sasl is null || Sasl.IsAuthenticated;

    /// <summary>Kafka's principal string: User:ANONYMOUS without SASL, User:name after it.</summary>
    public string? Principal => Sasl is null ? "User:ANONYMOUS" : Sasl.User is { } user ? "User:" + user : null;

    /// <summary>Set by a handler whose response must be the last one on this connection (a failed login).</summary>
    public bool CloseAfterResponse { get; set; }
}
