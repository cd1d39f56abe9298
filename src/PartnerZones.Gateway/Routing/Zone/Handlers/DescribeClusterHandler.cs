using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Upstream, the authorized operations would be the gateway's own rights on the backing
/// cluster, not the partner's: they are neither asked for nor passed on. Broker addresses are the gateway's.</summary>
internal sealed class DescribeClusterHandler : ZoneHandler<DescribeClusterRequest>
{
    public override string Served => "forwarded; brokers and cluster id are the gateway's";

    public override string Refusal => "nothing refused; authorized operations are never reported";

    protected override Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, DescribeClusterRequest request, CancellationToken cancellationToken)
    {
        request.IncludeClusterAuthorizedOperations = false;
        var runtime = context.Runtime;
        return context.ForwardAsync<DescribeClusterResponse>(header, request, r =>
        {
            AddressRewriter.Rewrite(runtime, r);
            r.ClusterAuthorizedOperations = int.MinValue;
        }, cancellationToken);
    }
}
