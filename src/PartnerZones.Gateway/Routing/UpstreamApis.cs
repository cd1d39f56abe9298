using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

/// <summary>
/// The API versions clients are offered: what the upstream cluster serves, intersected with what our
/// codecs understand (an API we cannot parse could carry broker addresses past the rewriter, so it is
/// never offered), plus the gateway's own SASL APIs.
/// </summary>
public sealed class UpstreamApis(IReadOnlyDictionary<short, (short Min, short Max)> upstream)
{
    public IReadOnlyDictionary<short, (short Min, short Max)> Upstream { get; } = upstream;

    public IEnumerable<(short Key, short Min, short Max)> Offered(Func<short, (short Min, short Max)?> cap)
    {
        foreach (var api in ApiMessages.All)
        {
            (short Min, short Max)? range = api.Key switch
            {
                SaslHandshakeRequest.Key => (0, 1),
                SaslAuthenticateRequest.Key => (0, 2),
                ApiVersionsRequest.Key => (0, ApiVersionsRequest.HighestVersion),
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
}
