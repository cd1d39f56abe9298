using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Versions;

/// <summary>JoinGroup v0 has no rebalance timeout: Kafka gives such a member its session timeout instead.</summary>
internal sealed class JoinGroupTranslation : VersionTranslation<JoinGroupRequest, JoinGroupResponse>
{
    protected override object? Up(JoinGroupRequest request, short clientVersion)
    {
        if (clientVersion == 0)
        {
            request.RebalanceTimeoutMs = request.SessionTimeoutMs;
        }

        return null;
    }
}
