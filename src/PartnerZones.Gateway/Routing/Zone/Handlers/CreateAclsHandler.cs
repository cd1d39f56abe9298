using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Partners cannot change ACLs: every creation gets CLUSTER_AUTHORIZATION_FAILED.</summary>
internal sealed class CreateAclsHandler : RefusingHandler<CreateAclsRequest>
{
    public override string Refusal => "every creation: CLUSTER_AUTHORIZATION_FAILED";

    protected override IKafkaResponse Refuse(ZoneContext context, short version, CreateAclsRequest request) => new CreateAclsResponse
    {
        Results = [.. request.Creations.Select(_ => new CreateAclsResponse.AclCreationResult
        {
            ErrorCode = ErrorCodes.ClusterAuthorizationFailed,
            ErrorMessage = "Partner zones cannot change ACLs.",
        })],
    };
}
