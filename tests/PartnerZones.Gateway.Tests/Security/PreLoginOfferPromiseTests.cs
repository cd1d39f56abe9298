using PartnerZones.EmbeddedKafka;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>
/// The offer a client reads before it logs in is a promise (docs/compatibility.md): many clients send
/// ApiVersions once, before SASL, and then use the highest version both sides offer. So a partner that
/// asked before login sends every (API, version) of that offer, on one connection, and each one is
/// answered; none closes the connection. In front of a Kafka 3.9-like upstream, and in front of one that
/// serves only Kafka 4.0's versions (the oldest versions are then translated by the gateway).
/// </summary>
public sealed class PreLoginOfferPromiseTests
{
    [Theory]
    [InlineData(KafkaApiGeneration.Kafka39)]
    [InlineData(KafkaApiGeneration.Kafka40)]
    public async Task Every_api_and_version_offered_before_login_is_answered_after_it(KafkaApiGeneration upstream)
    {
        await using var gateway = await GatewayFixture.StartAsync(1, cluster: o => o with { ApiGeneration = upstream });
        await using var client = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers, "promise-test");
        var offer = await client.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "promise-test", ClientSoftwareVersion = "1" }, 3);
        Assert.Equal(0, offer.ErrorCode);
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);

        var answered = 0;
        foreach (var api in offer.ApiKeys.OrderBy(a => a.ApiKey))
        {
            // SASL after login is re-authentication: a handshake that is not KIP-368's (v1, the first login's
            // mechanism) and a failed exchange are answered and then end the connection, as with Kafka. Each
            // of those is sent on a connection of its own below.
            if (api.ApiKey is SaslHandshakeRequest.Key or SaslAuthenticateRequest.Key)
            {
                for (var version = api.MinVersion; version <= api.MaxVersion; version++)
                {
                    await using var own = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers, "promise-test");
                    await own.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 3);
                    await own.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
                    var exchange = await own.ExchangeAsync(Minimal(api.ApiKey), version);
                    Assert.Equal(api.ApiKey, exchange.Decoded.ApiKey);
                    answered++;
                }

                continue;
            }

            for (var version = api.MinVersion; version <= api.MaxVersion; version++)
            {
                var request = Minimal(api.ApiKey);
                var where = KafkaWireClient.Describe(api.ApiKey, version);
                var exchange = await client.ExchangeAsync(request, version).WaitAsync(KafkaWireClient.Patience)
                    .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : throw new Xunit.Sdk.XunitException($"{where}, offered before login, was not answered after it: {t.Exception?.InnerException?.Message}"), TaskScheduler.Default);
                Assert.Equal(api.ApiKey, exchange.Decoded.ApiKey);
                answered++;
            }
        }

        Assert.Equal(offer.ApiKeys.Sum(a => a.MaxVersion - a.MinVersion + 1), answered);
        // The offer reaches down to v0 for the APIs Kafka 4 cut, whatever the upstream serves.
        Assert.All(new[] { ProduceRequest.Key, FetchRequest.Key, ListOffsetsRequest.Key, OffsetCommitRequest.Key, OffsetFetchRequest.Key, JoinGroupRequest.Key },
            key => Assert.Equal(0, offer.ApiKeys.Single(a => a.ApiKey == key).MinVersion));
        Assert.True(await client.StaysOpenAsync(TimeSpan.FromMilliseconds(200)), "The connection closed after the last request.");
    }

    /// <summary>The smallest request of each API that needs an answer: every field at its default, except
    /// Produce's acks (the default, 0, asks for no answer at all).</summary>
    private static IKafkaRequest Minimal(short apiKey) => apiKey switch
    {
        ProduceRequest.Key => new ProduceRequest { Acks = -1, TimeoutMs = 1000 },
        _ => ApiMessages.CreateRequest(apiKey)!,
    };
}
