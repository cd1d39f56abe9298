using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Gateway.Security;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>
/// What a zone handler needs to serve one partner session: the runtime, the session's upstream link,
/// the principal and its zone, the links to coordinators the client never looked up itself, and the
/// ways to answer (send upstream, forward and rewrite, answer locally). One per session; handlers are
/// shared by every session and keep no state of their own.
/// </summary>
internal sealed class ZoneContext(GatewayRuntime runtime, UpstreamLink upstream, Principal principal, System.Net.IPAddress? clientAddress = null, Traffic.ConnectionMute? mute = null) : IAsyncDisposable
{
    /// <summary>The partner's address (the <c>{{userIp}}</c> header template).</summary>
    public System.Net.IPAddress? ClientAddress => clientAddress;

    public GatewayRuntime Runtime => runtime;

    public UpstreamLink Upstream => upstream;

    public Principal Principal => principal;

    public ZonePolicy Zone => principal.Zone!;

    /// <summary>Holds the session's read loop back after a throttled answer (trafficControlPolicies).</summary>
    public Traffic.ConnectionMute Mute { get; } = mute ?? new();

    /// <summary>Links to the coordinators of shadow groups (per-alias offsets), closed with the session.</summary>
    public CoordinatorLinks Coordinators { get; } = new(runtime, upstream);

    /// <summary>The zone topic for an alias the client named, or null when the zone has no such alias.</summary>
    public ZoneTopic? Alias(string? name) => name is not null && Zone.ByAlias.TryGetValue(name, out var topic) ? topic : null;

    /// <summary>Sends a typed request upstream at the client's version and returns the decoded response.
    /// The response's byte fields are slices of the returned frame, which the caller disposes after
    /// re-encoding.</summary>
    public async Task<(TResponse Response, KafkaFrame Frame)> SendAsync<TResponse>(RequestHeader header, IKafkaRequest request, CancellationToken cancellationToken)
        where TResponse : IKafkaResponse, new()
    {
        var connection = await upstream.GetAsync(cancellationToken).ConfigureAwait(false);
        var frame = await connection.SendAsync(request.ApiKey, header.ApiVersion, header.ClientId, w => request.Write(w, header.ApiVersion), true, cancellationToken).ConfigureAwait(false);
        try
        {
            return (UpstreamConnection.Decode<TResponse>(frame!, request.ApiKey, header.ApiVersion), frame!);
        }
        catch
        {
            frame!.Dispose();
            throw;
        }
    }

    /// <summary>Sends, rewrites the response with <paramref name="rewrite"/>, and hands it on for the client.</summary>
    public async Task<OutgoingFrame?> ForwardAsync<TResponse>(RequestHeader header, IKafkaRequest request, Action<TResponse> rewrite, CancellationToken cancellationToken)
        where TResponse : IKafkaResponse, new()
    {
        var (response, frame) = await SendAsync<TResponse>(header, request, cancellationToken).ConfigureAwait(false);
        try
        {
            rewrite(response);
        }
        catch
        {
            frame.Dispose();
            throw;
        }

        // The response's byte fields slice the frame, so the write loop releases it after encoding.
        return OutgoingFrame.Encode(header.CorrelationId, header.ApiVersion, response, frame);
    }

    /// <summary>A response that slices no upstream frame (built here, or from upstream answers whose
    /// fields were all copied out), encoded by the write loop.</summary>
    public static OutgoingFrame Local(RequestHeader header, IKafkaResponse response) =>
        OutgoingFrame.Encode(header.CorrelationId, header.ApiVersion, response);

    public ValueTask DisposeAsync() => Coordinators.DisposeAsync();
}
