using PartnerZones.Testing.KafkaWire;
using PartnerZones.EmbeddedKafka.Handlers;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Tests.Compatibility;

/// <summary>What a node advertises in ApiVersions, and the APIs the handler set serves (theory rows).</summary>
internal static class AdvertisedRanges
{
    public static async Task<Dictionary<short, (short Min, short Max)>> OfAsync(EmbeddedCluster cluster)
    {
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var response = await raw.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 3);
        Assert.Equal(0, response.ErrorCode);
        return response.ApiKeys.ToDictionary(k => k.ApiKey, k => (k.MinVersion, k.MaxVersion));
    }

    /// <summary>One row per API the embedded cluster has a handler for, named for readable test output.</summary>
    public static TheoryData<string, short> ServedApis(bool consumerGroupProtocol = true)
    {
        var rows = new TheoryData<string, short>();
        foreach (var handler in HandlerSet.All(consumerGroupProtocol).OrderBy(h => h.ApiKey))
        {
            rows.Add(ApiMessages.Find(handler.ApiKey)!.Name, handler.ApiKey);
        }

        return rows;
    }
}
