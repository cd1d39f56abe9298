using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

/// <summary>
/// The API versions clients are offered: what the upstream cluster serves, intersected with what our
/// codecs understand (an API we cannot parse could carry broker addresses past the rewriter, so it is
/// never offered), plus the gateway's own SASL APIs. Versions older than the upstream's oldest, down to
/// the codec's oldest (v0: every version Kafka 3.9 accepts), are offered too and translated
/// (<see cref="Versions.VersionBridge"/>), so a Kafka 4 upstream still serves 2.x-era clients.
/// </summary>
public sealed class UpstreamApis
{
    /// <summary>The upstream's oldest version of each API whose older versions are translated, by key.</summary>
    private readonly Dictionary<short, short> _translatedBelow;

    public UpstreamApis(IReadOnlyDictionary<short, (short Min, short Max)> upstream)
    {
        Upstream = upstream;
        _translatedBelow = ApiMessages.All
            .Where(api => Translates(api.Key) && upstream.ContainsKey(api.Key))
            .Select(api => (Api: api, Oldest: OldestServed(api.Key, upstream[api.Key])))
            .Where(x => x.Oldest > x.Api.LowestVersion && x.Oldest <= x.Api.HighestVersion)
            .ToDictionary(x => x.Api.Key, x => x.Oldest);
    }

    /// <summary>Produce's first version with record batches (magic 2).</summary>
    private const short FirstRecordBatchProduce = 3;

    /// <summary>The oldest version the upstream really serves. Kafka 4.0 lists Produce from v0 (librdkafka
    /// refused a broker that did not) yet closes the connection on v0-2, so old Produce versions are always
    /// up-converted here whenever the upstream takes record batches: a 3.x broker would convert them itself
    /// in the same way, and the zone router then only ever sees record batches.</summary>
    private static short OldestServed(short apiKey, (short Min, short Max) upstream) =>
        apiKey == ProduceRequest.Key && upstream.Max >= FirstRecordBatchProduce ? Math.Max(upstream.Min, FirstRecordBatchProduce) : upstream.Min;

    public IReadOnlyDictionary<short, (short Min, short Max)> Upstream { get; }

    /// <summary>The one offer, computed once: every principal gets it from ApiVersions before and after login,
    /// and every principal's router serves exactly it (many clients ask only once, before login, and then use
    /// the highest versions both sides offer). In key order.</summary>
    public IReadOnlyList<(short Key, short Min, short Max)> Offer => _offer ??= [.. Offered(_ => (0, short.MaxValue))];

    private IReadOnlyList<(short Key, short Min, short Max)>? _offer;

    private Dictionary<short, (short Min, short Max)>? _offerByKey;

    /// <summary>The offered range of an API, or null when it is not offered at all.</summary>
    public (short Min, short Max)? OfferFor(short apiKey) =>
        (_offerByKey ??= Offer.ToDictionary(a => a.Key, a => (a.Min, a.Max))).TryGetValue(apiKey, out var range) ? range : null;

    /// <summary>True when the (API, version) is in <see cref="Offer"/>.</summary>
    public bool Offers(short apiKey, short version) => OfferFor(apiKey) is { } range && version >= range.Min && version <= range.Max;

    /// <summary>How a refusal names what is offered of an API, for the log line and the error.</summary>
    public string Describe(short apiKey) => OfferFor(apiKey) is { } range ? $"v{range.Min}-{range.Max}" : "not at all";

    /// <summary>True when some offered version is served by translation.</summary>
    public bool TranslatesAny => _translatedBelow.Count > 0;

    /// <summary>The version a request at <paramref name="version"/> is sent upstream at, when the upstream
    /// does not serve it itself; null when it goes as it is.</summary>
    public short? TranslationTarget(short apiKey, short version) =>
        _translatedBelow.TryGetValue(apiKey, out var oldest) && version < oldest ? oldest : null;

    public IEnumerable<(short Key, short Min, short Max)> Offered(Func<short, (short Min, short Max)?> cap)
    {
        foreach (var api in ApiMessages.All)
        {
            (short Min, short Max)? range = api.Key switch
            {
                SaslHandshakeRequest.Key => (0, 1),
                SaslAuthenticateRequest.Key => (0, 2),
                ApiVersionsRequest.Key => (0, ApiVersionsRequest.HighestVersion),
                _ when _translatedBelow.ContainsKey(api.Key) => (Math.Min(api.LowestVersion, Upstream[api.Key].Min), Math.Min(Upstream[api.Key].Max, api.HighestVersion)),
                _ => Upstream.TryGetValue(api.Key, out var up) ? (Math.Max(up.Min, api.LowestVersion), Math.Min(up.Max, api.HighestVersion)) : null,
            };
            if (range is not { } r)
            {
                continue;
            }

            if (cap(api.Key) is not { } c)
            {
                continue;
            }

            var min = Math.Max(r.Min, c.Min);
            var max = Math.Min(r.Max, c.Max);
            if (min <= max)
            {
                yield return (api.Key, (short)min, (short)max);
            }
        }
    }

    /// <summary>The gateway's own APIs are answered locally at every version, never translated.</summary>
    private static bool Translates(short apiKey) =>
        apiKey is not (SaslHandshakeRequest.Key or SaslAuthenticateRequest.Key or ApiVersionsRequest.Key);
}
