using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>
/// ApiVersions through the gateway in front of an upstream that serves only Kafka 4.0's versions: the client
/// APIs whose oldest versions Kafka 4 removed are still offered from v0, as Kafka 3.9 offers them, up to what
/// the upstream serves; and the offer a client gets before login (where most clients ask, once) is exactly the
/// one it gets after, as a partner or as an admin.
/// </summary>
public sealed class TranslatedOfferTests(Kafka40GatewayFixture fixture) : IClassFixture<Kafka40GatewayFixture>
{
    private static readonly short[] OldClientApis =
    [
        ProduceRequest.Key, FetchRequest.Key, ListOffsetsRequest.Key, OffsetCommitRequest.Key, OffsetFetchRequest.Key, JoinGroupRequest.Key,
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task Before_login_the_client_apis_Kafka_4_cut_are_offered_from_v0(short version)
    {
        var upstream = await UpstreamRangesAsync();
        Assert.All(OldClientApis.Where(k => k != ProduceRequest.Key), k => Assert.True(upstream[k].Min > 0, $"the upstream serves {Name(k)} from v{upstream[k].Min}: nothing to translate"));

        await using var client = await KafkaWireClient.ConnectAsync(fixture.Gateway.BootstrapServers);
        var offer = await OfferAsync(client, version);
        Assert.Equal(
            OldClientApis.Select(k => $"{Name(k)} v0-{Math.Min(upstream[k].Max, ApiMessages.Find(k)!.HighestVersion)}"),
            OldClientApis.Select(k => offer.TryGetValue(k, out var range) ? $"{Name(k)} v{range.Min}-{range.Max}" : $"{Name(k)} not offered"));
    }

    [Theory]
    [InlineData(Principal.Partner)]
    [InlineData(Principal.Admin)]
    public async Task After_login_the_offer_is_the_one_made_before(Principal who)
    {
        await using var client = await KafkaWireClient.ConnectAsync(fixture.Gateway.BootstrapServers);
        var before = Describe(await OfferAsync(client, 3));
        await (who == Principal.Partner ? client.LoginAsync("johndoe", GatewayFixture.PartnerSecret) : client.LoginAsync("admin", GatewayFixture.AdminSecret));

        Assert.Equal(before, Describe(await OfferAsync(client, 3)));
        Assert.Equal(before, Describe(await OfferAsync(client, 0)));
        Assert.All(OldClientApis, k => Assert.Contains($"{Name(k)} v0-", before.Single(line => line.StartsWith($"{Name(k)} ", StringComparison.Ordinal)), StringComparison.Ordinal));
    }

    private static async Task<Dictionary<short, (short Min, short Max)>> OfferAsync(KafkaWireClient client, short version)
    {
        var response = await client.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "old-client", ClientSoftwareVersion = "0.10.2" }, version);
        Assert.Equal(0, response.ErrorCode);
        return response.ApiKeys.ToDictionary(k => k.ApiKey, k => (k.MinVersion, k.MaxVersion));
    }

    private async Task<Dictionary<short, (short Min, short Max)>> UpstreamRangesAsync()
    {
        await using var direct = await fixture.DirectAsync();
        return await OfferAsync(direct, 3);
    }

    private static List<string> Describe(Dictionary<short, (short Min, short Max)> offer) =>
        [.. offer.OrderBy(k => k.Key).Select(k => $"{Name(k.Key)} v{k.Value.Min}-{k.Value.Max}")];

    private static string Name(short apiKey) => ApiMessages.Find(apiKey)?.Name ?? $"API key {apiKey}";
}
