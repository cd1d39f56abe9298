using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Network;

/// <summary>Routes each request to the handler of its API key.</summary>
internal sealed class RequestDispatcher
{
    private readonly IApiHandler?[] _handlers = new IApiHandler?[short.MaxValue + 1];

    public RequestDispatcher(IEnumerable<IApiHandler> handlers)
    {
        foreach (var handler in handlers)
        {
            _handlers[handler.ApiKey] = handler;
        }
    }

    public IEnumerable<IApiHandler> Handlers => _handlers.Where(h => h is not null)!;

    public ValueTask<IKafkaResponse?> DispatchAsync(RequestContext context, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var key = context.Header.ApiKey;
        var handler = key >= 0 ? _handlers[key] : null;
        if (handler is null)
        {
            throw new UnsupportedRequestException($"API key {key} is not supported");
        }

        // ApiVersions answers unsupported versions itself (KIP-511); every other API closes the connection.
        var version = context.Version;
        if (key != ApiVersionsRequest.Key && (version < handler.LowestVersion || version > handler.HighestVersion))
        {
            throw new UnsupportedRequestException(
                $"API key {key} version {version} is not supported (supported: {handler.LowestVersion}-{handler.HighestVersion})");
        }

        return handler.HandleAsync(context, body, cancellationToken);
    }
}
