using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Tests.Generated;

namespace PartnerZones.Protocol.Tests.Messages;

/// <summary>
/// Every API, every version, request and response: random messages valid for the version encode,
/// decode without leftover bytes, and encode again to the identical bytes.
/// </summary>
public sealed class RoundTripTests
{
    private const int SamplesPerCase = 12;

    public static TheoryData<short, short, bool> EveryApiVersionAndDirection()
    {
        var data = new TheoryData<short, short, bool>();
        foreach (var api in ApiMessages.All)
        {
            for (var v = api.LowestVersion; v <= api.HighestVersion; v++)
            {
                data.Add(api.Key, v, true);
                data.Add(api.Key, v, false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryApiVersionAndDirection))]
    public void Random_message_survives_encode_decode_encode(short apiKey, short version, bool request)
    {
        for (var seed = 0; seed < SamplesPerCase; seed++)
        {
            var rng = new Random(HashCode.Combine(apiKey, version, request, seed));
            var original = RandomMessages.Create(apiKey, request, version, rng);
            var first = original.Encode(version);

            var decoded = request ? (IKafkaMessage)ApiMessages.CreateRequest(apiKey)! : ApiMessages.CreateResponse(apiKey)!;
            var reader = new KafkaReader(first);
            decoded.Read(ref reader, version);
            Assert.True(reader.End, $"{decoded.GetType().Name} v{version} left {reader.Remaining} bytes unread (seed {seed})");

            var second = decoded.Encode(version);
            Assert.Equal(first, second);
        }
    }

    [Fact]
    public void Every_api_has_a_request_and_a_response_codec()
    {
        foreach (var api in ApiMessages.All)
        {
            var request = ApiMessages.CreateRequest(api.Key);
            var response = ApiMessages.CreateResponse(api.Key);
            Assert.NotNull(request);
            Assert.NotNull(response);
            Assert.Equal(api.Key, request!.ApiKey);
            Assert.Equal(api.HighestVersion, request.HighestVersion);
            Assert.Equal(api.LowestVersion, response!.LowestVersion);
        }
    }
}
