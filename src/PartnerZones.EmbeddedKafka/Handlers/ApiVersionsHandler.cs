using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Advertises every API the node has a handler for, over the versions the handler serves.</summary>
internal sealed class ApiVersionsHandler : IApiHandler
{
    public short ApiKey => ApiVersionsRequest.Key;

    public short LowestVersion => ApiVersionsRequest.LowestVersion;

    public short HighestVersion => ApiVersionsRequest.HighestVersion;

    public ValueTask<IKafkaResponse?> HandleAsync(RequestContext context, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var response = new ApiVersionsResponse();
        foreach (var handler in context.Node.Dispatcher.Handlers.OrderBy(h => h.ApiKey))
        {
            response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion
            {
                ApiKey = handler.ApiKey,
                MinVersion = handler.AdvertisedLowestVersion,
                MaxVersion = handler.HighestVersion,
            });
        }

        if (context.Version > HighestVersion)
        {
            // KIP-511: a too-new request gets a v0 response with UNSUPPORTED_VERSION and our ranges,
            // so the client can retry with a version we speak. The body is not decoded.
            response.ErrorCode = ErrorCodes.UnsupportedVersion;
            context.ResponseVersion = 0;
            return ValueTask.FromResult<IKafkaResponse?>(response);
        }

        _ = MessageCodec.Decode<ApiVersionsRequest>(body, context.Version);
        return ValueTask.FromResult<IKafkaResponse?>(response);
    }
}
