using Microsoft.Extensions.Logging.Abstractions;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Routing;
using PartnerZones.Gateway.Security;
using PartnerZones.Gateway.State;

namespace PartnerZones.Gateway;

/// <summary>What every connection shares: configuration, the current state snapshot, the broker map and
/// the upstream's API versions. State is swapped whole; readers take the reference once per decision.
/// Each swap closes the live sessions the new state no longer allows.</summary>
public sealed class GatewayRuntime(GatewayConfig config, GatewayState state, BrokerMap brokers, UpstreamApis apis)
{
    private GatewayState _state = state;

    public GatewayConfig Config { get; } = config;

    public GatewaySpec Spec => Config.Spec;

    public BrokerMap Brokers { get; } = brokers;

    public UpstreamApis Apis { get; } = apis;

    /// <summary>Identifies the gateway as a cluster to clients, in place of the upstream cluster id.</summary>
    public string ClusterId => string.IsNullOrEmpty(Config.Metadata.Name) ? "partner-zones-gateway" : Config.Metadata.Name;

    public GatewayState State => Volatile.Read(ref _state);

    public GatewayMetrics Metrics { get; } = new();

    public TopicIdCatalog TopicIds { get; } = new();

    /// <summary>The alias subscriptions of the partners' consumer-protocol (KIP-848) group members.</summary>
    public Routing.Zone.ConsumerProtocol.ConsumerMembers ConsumerMembers { get; } = new();

    /// <summary>The zones' rate limits (trafficControlPolicies), measured on this instance.</summary>
    public Traffic.TrafficControl Traffic => _traffic ??= new(() => State, Metrics.Traffic);

    private Traffic.TrafficControl? _traffic;

    /// <summary>Authenticated connections of this instance.</summary>
    public SessionRegistry Sessions { get; } = new();

    public AuditLog Audit { get; init; } = new(NullLogger.Instance, "gateway");

    /// <summary>Where connections say why the gateway closed them (Network.ConnectionCloseLog).</summary>
    public Microsoft.Extensions.Logging.ILogger Log { get; init; } = NullLogger.Instance;

    public void Swap(GatewayState next)
    {
        Volatile.Write(ref _state, next);
        SweepSessions();
    }

    /// <summary>Closes every session the current state or the clock no longer allows (revoked credential,
    /// changed zone, lifetime over) and audits each.</summary>
    public void SweepSessions()
    {
        foreach (var (session, reason) in Sessions.Sweep(State, DateTimeOffset.UtcNow))
        {
            AuditClosed(session, reason);
        }
    }

    public void CloseSession(LiveSession session, string reason)
    {
        if (session.Close(reason))
        {
            Sessions.Remove(session);
            AuditClosed(session, reason);
        }
    }

    private void AuditClosed(LiveSession session, string reason) =>
        Audit.Emit(new AuditEvent
        {
            Action = "session.closed",
            User = session.Principal.Name,
            ClientAddress = session.ClientAddress,
            ClientId = session.ClientId,
            Mechanism = session.Mechanism,
            CredentialId = session.CredentialId,
            Detail = reason,
        });
}
