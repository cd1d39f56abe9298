using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.EmbeddedKafka.Network;

/// <summary>Serves one API. Returns null when no response is sent (Produce with acks=0).</summary>
internal interface IApiHandler
{
    short ApiKey { get; }

    /// <summary>Lowest version served; a request below it closes the connection.</summary>
    short LowestVersion { get; }

    /// <summary>Lowest version ApiVersions lists; the same as <see cref="LowestVersion"/> unless the cluster
    /// copies a Kafka release that advertises more than it serves (Kafka 4.0's Produce).</summary>
    short AdvertisedLowestVersion => LowestVersion;

    short HighestVersion { get; }

    ValueTask<IKafkaResponse?> HandleAsync(RequestContext context, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

/// <summary>Decodes the request into <typeparamref name="TRequest"/> and hands it to the typed handler.</summary>
internal abstract class ApiHandler<TRequest, TResponse> : IApiHandler
    where TRequest : IKafkaRequest, new()
    where TResponse : class, IKafkaResponse
{
    private static readonly TRequest Prototype = new();

    public short ApiKey => Prototype.ApiKey;

    /// <summary>Versions served; by default the codec's full range.</summary>
    public virtual short LowestVersion => Prototype.LowestVersion;

    public virtual short HighestVersion => Prototype.HighestVersion;

    public async ValueTask<IKafkaResponse?> HandleAsync(RequestContext context, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var request = Decode(body, context.Version);
        return await HandleAsync(context, request, cancellationToken).ConfigureAwait(false);
    }

    private static TRequest Decode(ReadOnlyMemory<byte> body, short version)
    {
        var request = new TRequest();
        var reader = new KafkaReader(body);
        request.Read(ref reader, version);
        return request;
    }

    protected abstract ValueTask<TResponse?> HandleAsync(RequestContext context, TRequest request, CancellationToken cancellationToken);
}
