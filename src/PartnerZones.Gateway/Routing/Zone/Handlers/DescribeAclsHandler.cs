using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>The backing cluster's ACLs are not the partner's to read: CLUSTER_AUTHORIZATION_FAILED.</summary>
internal sealed class DescribeAclsHandler : RefusingHandler<DescribeAclsRequest>
{
    public override string Refusal => "CLUSTER_AUTHORIZATION_FAILED";

    protected override IKafkaResponse Refuse(ZoneContext context, short version, DescribeAclsRequest request) =>
        new DescribeAclsResponse { ErrorCode = ErrorCodes.ClusterAuthorizationFailed, ErrorMessage = "Partner zones cannot read ACLs." };
}
