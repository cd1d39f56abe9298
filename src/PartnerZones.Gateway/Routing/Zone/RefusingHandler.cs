using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>A zone handler for an API partners may not use at all: the gateway answers every request
/// itself, with the error Kafka gives a client without the right, and never forwards it.</summary>
internal abstract class RefusingHandler<TRequest> : ZoneHandler<TRequest>
    where TRequest : IKafkaRequest, new()
{
    public sealed override string Served => "refused by the gateway, never forwarded";

    protected sealed override Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, TRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<OutgoingFrame?>(ZoneContext.Local(header, Refuse(context, header.ApiVersion, request)));

    /// <summary>The refusal for <paramref name="request"/>: an entry per resource it names, in its order.</summary>
    protected abstract IKafkaResponse Refuse(ZoneContext context, short version, TRequest request);
}
