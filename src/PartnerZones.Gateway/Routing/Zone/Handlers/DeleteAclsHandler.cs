using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Partners cannot change ACLs: every filter gets CLUSTER_AUTHORIZATION_FAILED and matches nothing.</summary>
internal sealed class DeleteAclsHandler : RefusingHandler<DeleteAclsRequest>
{
    public override string Refusal => "every filter: CLUSTER_AUTHORIZATION_FAILED";

    protected override IKafkaResponse Refuse(ZoneContext context, short version, DeleteAclsRequest request) => new DeleteAclsResponse
    {
        FilterResults = [.. request.Filters.Select(_ => new DeleteAclsResponse.DeleteAclsFilterResult
        {
            ErrorCode = ErrorCodes.ClusterAuthorizationFailed,
            ErrorMessage = "Partner zones cannot change ACLs.",
        })],
    };
}
