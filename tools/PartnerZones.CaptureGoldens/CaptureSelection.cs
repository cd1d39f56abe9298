using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.CaptureGoldens;

/// <summary>An exchange chosen for the golden set; <see cref="Variant"/> tells apart shapes of one API version.</summary>
internal sealed record SelectedCapture(CapturedExchange Exchange, string Variant);

/// <summary>
/// Keeps the golden set small: per client, the first exchange of each API version and shape (a
/// consumer sends dozens of identical Fetch and Heartbeat requests). Produce, OffsetCommit and
/// CreateTopics are all kept: there are few, and each carries values the tests check.
/// </summary>
internal static class CaptureSelection
{
    /// <summary>APIs both clients must have sent for the golden set to be worth writing.</summary>
    public static readonly IReadOnlyList<short> RequiredApis =
    [
        ApiVersionsRequest.Key, MetadataRequest.Key, ProduceRequest.Key, FetchRequest.Key, FindCoordinatorRequest.Key,
        JoinGroupRequest.Key, SyncGroupRequest.Key, OffsetCommitRequest.Key,
    ];

    private static readonly HashSet<short> KeepEvery = [ProduceRequest.Key, OffsetCommitRequest.Key, CreateTopicsRequest.Key];

    public static List<SelectedCapture> Select(IEnumerable<CapturedExchange> exchanges)
    {
        var selected = new List<SelectedCapture>();
        var seen = new HashSet<(string Client, short ApiKey, short Version, string Variant)>();
        foreach (var exchange in exchanges)
        {
            var variant = Variant(exchange);
            if (KeepEvery.Contains(exchange.ApiKey) || seen.Add((exchange.Client, exchange.ApiKey, exchange.ApiVersion, variant)))
            {
                selected.Add(new SelectedCapture(exchange, variant));
            }
        }

        return selected;
    }

    /// <summary>Required APIs a client never sent, as "client: Api" lines.</summary>
    public static List<string> Missing(IReadOnlyList<SelectedCapture> selected, IEnumerable<string> clients) =>
    [
        .. from client in clients
           from key in RequiredApis
           where !selected.Any(s => s.Exchange.Client == client && s.Exchange.ApiKey == key)
           select $"{client}: {ApiMessages.Find(key)?.Name ?? key.ToString()}",
    ];

    private static string Variant(CapturedExchange exchange)
    {
        try
        {
            return exchange.ApiKey switch
            {
                MetadataRequest.Key => DecodeRequest<MetadataRequest>(exchange).Topics switch
                {
                    null => "all-topics",
                    { Count: 0 } => "no-topics",
                    _ => "topics",
                },
                JoinGroupRequest.Key => DecodeRequest<JoinGroupRequest>(exchange).MemberId.Length == 0 ? "new-member" : "member",
                FetchRequest.Key => DecodeResponse<FetchResponse>(exchange)?.Responses
                    .SelectMany(t => t.Partitions)
                    .Any(p => p.Records is { Length: > 0 }) == true ? "records" : "no-records",
                _ => "",
            };
        }
        catch (KafkaDecodeException e)
        {
            // A frame our codec cannot read is exactly what the golden tests should report; keep it.
            Console.Error.WriteLine($"warning: {exchange.Client} {exchange.ApiName} v{exchange.ApiVersion} does not decode: {e.Message}");
            return "undecodable";
        }
    }

    private static T DecodeRequest<T>(CapturedExchange exchange)
        where T : IKafkaRequest, new()
    {
        var reader = new KafkaReader(exchange.Request);
        RequestHeader.Read(ref reader);
        var body = new T();
        body.Read(ref reader, exchange.ApiVersion);
        return body;
    }

    private static T? DecodeResponse<T>(CapturedExchange exchange)
        where T : class, IKafkaResponse, new()
    {
        if (exchange.Response is null)
        {
            return null;
        }

        var reader = new KafkaReader(exchange.Response);
        ResponseHeader.Read(ref reader, HeaderVersions.Response(exchange.ApiKey, exchange.ApiVersion));
        var body = new T();
        body.Read(ref reader, exchange.ResponseBodyVersion);
        return body;
    }
}
