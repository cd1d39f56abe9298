using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>
/// Serves an API over the versions Kafka 4.0.0 serves (<see cref="Kafka40Minimums"/>), for a cluster run with
/// <see cref="KafkaApiGeneration.Kafka40"/>. Only the low end moves; a request below it is refused as any
/// unsupported version is (the dispatcher closes the connection, as Kafka does).
/// </summary>
internal sealed class Kafka40Handler(IApiHandler inner) : IApiHandler
{
    public short ApiKey => inner.ApiKey;

    public short LowestVersion { get; } = Math.Max(inner.LowestVersion, Kafka40Minimums.Accepted(inner.ApiKey));

    // Where Kafka 4.0 advertises below what it accepts (Produce), the same, so clients see 4.0's list.
    public short AdvertisedLowestVersion { get; } = Kafka40Minimums.Advertised(inner.ApiKey) < Kafka40Minimums.Accepted(inner.ApiKey)
        ? Kafka40Minimums.Advertised(inner.ApiKey)
        : Math.Max(inner.LowestVersion, Kafka40Minimums.Accepted(inner.ApiKey));

    public short HighestVersion => inner.HighestVersion;

    public ValueTask<IKafkaResponse?> HandleAsync(RequestContext context, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        inner.HandleAsync(context, body, cancellationToken);
}
