using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

/// <summary>
/// Admin principals (the <c>passthrough</c> virtual cluster) see the backing cluster unchanged: requests
/// go upstream as they are, and responses come back as they are, except that broker addresses are
/// rewritten to the gateway's (Metadata, FindCoordinator, DescribeCluster, Produce/Fetch node endpoints).
/// </summary>
internal sealed class PassthroughRouter(GatewayRuntime runtime, UpstreamLink upstream) : IRequestRouter
{
    /// <summary>Admins may use every version the codecs and the upstream share.</summary>
    public static (short Min, short Max)? Cap(short apiKey) => (0, short.MaxValue);

    public async Task<OutgoingFrame?> RouteAsync(RequestHeader header, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!runtime.Apis.Offers(header.ApiKey, header.ApiVersion))
        {
            throw new UnsupportedRequestException(header.ApiKey, header.ApiVersion, runtime.Apis.Describe(header.ApiKey));
        }

        var expectResponse = !(header.ApiKey == ProduceRequest.Key && AcksOf(body, header.ApiVersion) == 0);
        var connection = await upstream.GetAsync(cancellationToken).ConfigureAwait(false);
        var frame = await connection.SendAsync(header.ApiKey, header.ApiVersion, header.ClientId, w => w.WriteRaw(body.Span), expectResponse, cancellationToken).ConfigureAwait(false);
        if (frame is null)
        {
            return null;
        }

        try
        {
            return Answer(frame, header);
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>The client's answer, which takes over <paramref name="frame"/>.</summary>
    private OutgoingFrame Answer(Protocol.Framing.KafkaFrame frame, RequestHeader header)
    {
        var version = header.ApiVersion;
        switch (header.ApiKey)
        {
            case MetadataRequest.Key:
                return Rewritten<MetadataResponse>(frame, header, r => AddressRewriter.Rewrite(runtime, r));
            case FindCoordinatorRequest.Key:
                return Rewritten<FindCoordinatorResponse>(frame, header, r => AddressRewriter.Rewrite(runtime, r));
            case DescribeClusterRequest.Key:
                return Rewritten<DescribeClusterResponse>(frame, header, r => AddressRewriter.Rewrite(runtime, r));
            case ProduceRequest.Key when version >= 10:
                return Rewritten<ProduceResponse>(frame, header, r => AddressRewriter.Rewrite(runtime, r));
            case FetchRequest.Key when version >= 16:
                return Rewritten<FetchResponse>(frame, header, r => AddressRewriter.Rewrite(runtime, r));
            default:
                return OutgoingFrame.Relay(header.CorrelationId, frame);
        }
    }

    private static OutgoingFrame Rewritten<T>(Protocol.Framing.KafkaFrame frame, RequestHeader header, Action<T> rewrite)
        where T : IKafkaResponse, new()
    {
        var response = UpstreamConnection.Decode<T>(frame, header.ApiKey, header.ApiVersion);
        rewrite(response);
        return OutgoingFrame.Encode(header.CorrelationId, header.ApiVersion, response, frame);
    }

    /// <summary>Produce's acks without decoding the whole request: transactional id, then acks.</summary>
    internal static short AcksOf(ReadOnlyMemory<byte> body, short version)
    {
        var reader = new Protocol.Primitives.KafkaReader(body);
        if (version >= 3)
        {
            reader.ReadNullableString(compact: version >= 9);
        }

        return reader.ReadInt16();
    }
}
