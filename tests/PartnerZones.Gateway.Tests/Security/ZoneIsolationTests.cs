using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>
/// Generated over every API key and version the protocol library knows (plus keys it does not): what the
/// gateway offers the authenticated partner (the same offer as before login) is probed with requests that
/// name resources outside the zone, and whatever it does not offer must close the connection unanswered. After every row the backing
/// cluster's groups, offsets, topics and records are checked unchanged.
/// </summary>
public sealed class ZoneIsolationTests(IsolationFixture fixture) : IClassFixture<IsolationFixture>
{
    /// <summary>API keys without a codec here: broker-internal, telemetry, share groups, nonsense.</summary>
    private static readonly short[] UnknownKeys = [4, 5, 6, 7, 27, 50, 57, 71, 72, 76, 1000, -1];

    public static TheoryData<string, short, short> Rows()
    {
        var rows = new TheoryData<string, short, short>();
        foreach (var api in ApiMessages.All)
        {
            // One past the codec's highest version too: new versions must never slip through.
            for (var version = (short)0; version <= api.HighestVersion + 1; version++)
            {
                rows.Add(api.Name, api.Key, version);
            }
        }

        foreach (var key in UnknownKeys)
        {
            rows.Add($"unknown key {key}", key, 0);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Outside_resources_are_errors_and_unoffered_apis_close_the_connection(string api, short key, short version)
    {
        var where = $"{api} v{version}";
        await fixture.Backing.ResetZoneGroupsAsync();
        await using var client = await fixture.PartnerAsync();
        if (!fixture.IsOffered(key, version))
        {
            await NotOfferedAsync(client, key, version, where);
        }
        else
        {
            var probes = IsolationProbes.For(key, version, Context());
            Assert.True(probes is not null, $"{where} is offered to partners but has no isolation probe; add one to IsolationProbes.");
            foreach (var probe in probes)
            {
                if (probe.ExpectClose)
                {
                    await client.WriteAsync(client.Frame(probe.Request, probe.Version, client.NextCorrelationId()));
                    Assert.Empty(await client.WaitForCloseAsync());
                    break;
                }

                var exchange = await client.ExchangeAsync(probe.Request, probe.Version);
                probe.Check(exchange.Decoded);
                fixture.Scanner.AssertNoLeak(exchange.Request, exchange.Response, $"{where}, {probe.What}");
            }
        }

        await fixture.Backing.AssertUnchangedAsync();
    }

    [Fact]
    public void Every_offered_api_version_has_a_row_and_every_api_the_upstream_serves_is_offered()
    {
        var rows = Rows().Select(r => ((short)r[1], (short)r[2])).ToHashSet();
        foreach (var (key, (min, max)) in fixture.PartnerOffer)
        {
            for (var version = min; version <= max; version++)
            {
                Assert.Contains((key, version), rows);
            }
        }

        // The data path is offered, and so are the administrative reads the embedded cluster serves: the
        // partner gets them answered in zone terms or refused as Kafka refuses, never a closed connection.
        foreach (var key in new short[] { ProduceRequest.Key, FetchRequest.Key, MetadataRequest.Key, JoinGroupRequest.Key, OffsetCommitRequest.Key, 32, 47, 61, 65, 66 })
        {
            Assert.True(fixture.PartnerOffer.ContainsKey(key), $"API key {key} should be offered to partners.");
        }
    }

    /// <summary>Many clients ask ApiVersions once, before SASL, and then use the highest versions both sides
    /// offer: the offer after login is the offer before it, for partners as for admins (DESIGN, §11).</summary>
    [Fact]
    public async Task The_partner_offer_after_login_equals_the_offer_before_it()
    {
        await using var client = await KafkaWireClient.ConnectAsync(fixture.Bootstrap);
        var before = await client.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 3);
        Assert.Equal(0, before.ErrorCode);
        Assert.Equal(
            fixture.PartnerOffer.OrderBy(k => k.Key),
            before.ApiKeys.Select(k => new KeyValuePair<short, (short, short)>(k.ApiKey, (k.MinVersion, k.MaxVersion))).OrderBy(k => k.Key));
        Assert.Contains((short)32, fixture.PartnerOffer.Keys);
    }

    private async Task NotOfferedAsync(KafkaWireClient client, short key, short version, string where)
    {
        if (key == ApiVersionsRequest.Key)
        {
            // Kafka's rule for a too-new ApiVersions: UNSUPPORTED_VERSION with the supported ranges, in v0.
            var correlationId = client.NextCorrelationId();
            await client.WriteAsync(client.Frame(key, version, correlationId, []));
            var frame = await client.ReadFrameAsync();
            Assert.NotNull(frame);
            var response = (ApiVersionsResponse)KafkaWireClient.Decode(frame, key, 0, correlationId);
            Assert.Equal(35, response.ErrorCode);
            Assert.Equal(fixture.PartnerOffer.Keys.Order(), response.ApiKeys.Select(k => k.ApiKey).Order());
            return;
        }

        await client.WriteAsync(client.Frame(key, version, client.NextCorrelationId(), DefaultBody(key, version)));
        var answer = await client.WaitForCloseAsync();
        Assert.True(answer.Length == 0, $"{where} is not offered to partners but was answered ({answer.Length} bytes) instead of closing the connection.");
    }

    /// <summary>A well-formed body where the codec can write one, so a close is the gateway's refusal and
    /// not a decoding failure.</summary>
    private static byte[] DefaultBody(short key, short version)
    {
        if (ApiMessages.Find(key) is { } api && api.Supports(version) && ApiMessages.CreateRequest(key) is { } request)
        {
            try
            {
                return request.Encode(version);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                return [];
            }
        }

        return [];
    }

    private ProbeContext Context()
    {
        var brokers = fixture.Gateway.Gateway.Runtime.Brokers;
        return new ProbeContext(
            fixture.Backing,
            brokers.AdvertisedHost,
            brokers.NodeIds.Select(brokers.GatewayPort).Append(brokers.BootstrapPort).ToHashSet(),
            fixture.Gateway.Gateway.Runtime.ClusterId,
            fixture.PartnerOffer);
    }
}
