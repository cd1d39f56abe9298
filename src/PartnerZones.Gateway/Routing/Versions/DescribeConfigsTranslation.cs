using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Versions;

/// <summary>DescribeConfigs v0 says whether an entry is a default; v1 says where it comes from instead.</summary>
internal sealed class DescribeConfigsTranslation : VersionTranslation<DescribeConfigsRequest, DescribeConfigsResponse>
{
    private const sbyte DefaultConfig = 5;

    protected override void Down(DescribeConfigsRequest request, DescribeConfigsResponse response, short clientVersion, object? state)
    {
        foreach (var entry in response.Results.SelectMany(r => r.Configs))
        {
            entry.IsDefault = entry.ConfigSource == DefaultConfig;
        }
    }
}
