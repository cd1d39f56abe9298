using PartnerZones.Gateway.Routing;
using PartnerZones.Gateway.Routing.Zone;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Tests.Routing;

/// <summary>
/// What the gateway offers before login is a promise to every principal (docs/architecture.md): the
/// partner registry must serve every API the codecs know, at every version they decode. Generated from
/// <see cref="ApiMessages.All"/>, so an API added to the codecs fails here until a partner handler
/// decides how to serve or refuse it.
/// </summary>
public sealed class ZoneHandlerRegistryTests
{
    public static TheoryData<string, short> CodecApis()
    {
        var rows = new TheoryData<string, short>();
        foreach (var api in ApiMessages.All)
        {
            rows.Add(api.Name, api.Key);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(CodecApis))]
    public void Every_codec_api_has_a_partner_handler_for_the_codecs_whole_version_range(string name, short key)
    {
        var api = ApiMessages.Find(key)!;
        var handler = ZoneHandlers.Find(key);
        Assert.True(handler is not null, $"{name} (API {key}) has a codec but no partner handler in ZoneHandlers.");
        Assert.Equal(key, handler.ApiKey);
        Assert.True(
            (handler.LowestVersion, handler.HighestVersion) == (api.LowestVersion, api.HighestVersion),
            $"{name} is decoded at v{api.LowestVersion}-{api.HighestVersion} but served to partners at v{handler.LowestVersion}-{handler.HighestVersion}.");
        Assert.Equal((api.LowestVersion, api.HighestVersion), ZoneHandlers.Cap(key));
        Assert.False(string.IsNullOrWhiteSpace(handler.Refusal), $"{name}'s handler does not say how it refuses.");
        Assert.False(string.IsNullOrWhiteSpace(handler.Served), $"{name}'s handler does not say how it serves a partner.");
    }

    [Fact]
    public void The_registry_lists_each_codec_api_once_in_key_order_and_nothing_else()
    {
        Assert.Equal(ApiMessages.All.Select(a => a.Key), ZoneHandlers.All.Select(h => h.ApiKey));
        Assert.Null(ZoneHandlers.Find(1000));
        Assert.Null(ZoneHandlers.Cap(-1));
    }

    [Fact]
    public void The_partner_offer_is_the_admin_offer_whatever_the_upstream_serves()
    {
        // An upstream that serves some APIs, some only in part and one the codecs do not know.
        var upstream = new UpstreamApis(new Dictionary<short, (short Min, short Max)>
        {
            [ProduceRequest.Key] = (3, 12),
            [FetchRequest.Key] = (4, 17),
            [OffsetCommitRequest.Key] = (0, 10),
            [DescribeConfigsRequest.Key] = (0, 4),
            [OffsetDeleteRequest.Key] = (0, 0),
            [ConsumerGroupHeartbeatRequest.Key] = (0, 1),
            [57] = (0, 3),
        });

        Assert.Equal(upstream.Offered(PassthroughRouter.Cap).ToList(), upstream.Offered(ZoneHandlers.Cap).ToList());
    }
}
