using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Versions;

/// <summary>The APIs whose old versions mean more than their fields say, each with its translation; every
/// other API is translated by the codecs alone.</summary>
internal static class VersionTranslations
{
    private static readonly IVersionTranslation FieldsOnly = new FieldsOnlyTranslation();

    private static readonly Dictionary<short, IVersionTranslation> Special = new()
    {
        [ProduceRequest.Key] = new ProduceTranslation(),
        [FetchRequest.Key] = new FetchTranslation(),
        [ListOffsetsRequest.Key] = new ListOffsetsTranslation(),
        [JoinGroupRequest.Key] = new JoinGroupTranslation(),
        [DescribeConfigsRequest.Key] = new DescribeConfigsTranslation(),
    };

    public static IVersionTranslation For(short apiKey) => Special.GetValueOrDefault(apiKey, FieldsOnly);

    private sealed class FieldsOnlyTranslation : IVersionTranslation
    {
        public object? Up(IKafkaRequest request, short clientVersion) => null;

        public void Down(IKafkaRequest request, IKafkaResponse response, short clientVersion, object? state)
        {
        }
    }
}
