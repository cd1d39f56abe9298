using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>A zone handler that decodes the body at the header's version and serves the typed request.
/// By default it serves the codec's whole version range.</summary>
internal abstract class ZoneHandler<TRequest> : IZoneHandler
    where TRequest : IKafkaRequest, new()
{
    private static readonly TRequest Prototype = new();

    public short ApiKey => Prototype.ApiKey;

    public virtual short LowestVersion => Prototype.LowestVersion;

    public virtual short HighestVersion => Prototype.HighestVersion;

    public abstract string Served { get; }

    public abstract string Refusal { get; }

    // Not async: decoding throws here, synchronously, before any upstream work starts.
    public Task<OutgoingFrame?> HandleAsync(ZoneContext context, RequestHeader header, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        ServeAsync(context, header, MessageCodec.Decode<TRequest>(body, header.ApiVersion), cancellationToken);

    protected abstract Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, TRequest request, CancellationToken cancellationToken);
}
