using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;

namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>Serves one API to partner principals (see <see cref="ZoneHandlers"/>).</summary>
internal interface IZoneHandler
{
    short ApiKey { get; }

    /// <summary>The lowest version served to partners.</summary>
    short LowestVersion { get; }

    /// <summary>The highest version served to partners.</summary>
    short HighestVersion { get; }

    /// <summary>How a partner's request is served, in a few words (forwarded with names mapped, answered
    /// locally, filtered to the zone): docs/compatibility.md's version table shows it beside
    /// <see cref="Refusal"/>, and a test renders that table from the handlers.</summary>
    string Served { get; }

    /// <summary>What a partner gets for what it may not do with this API, in Kafka's terms (the answer
    /// an unauthorized client gets from Kafka). The documentation's refusal table says the same.</summary>
    string Refusal { get; }

    /// <summary>Serves a request whose version the handler serves. Decoding happens before the first
    /// await, so a malformed body fails the call itself (the session then closes the connection).</summary>
    Task<OutgoingFrame?> HandleAsync(ZoneContext context, RequestHeader header, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}
