using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using PartnerZones.Gateway.Routing;
using PartnerZones.Gateway.Security;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Gateway.Network;

/// <summary>
/// One client connection. A read loop takes requests in order and starts serving each at once (so a
/// client may pipeline); a write loop sends the responses strictly in request order, whatever order
/// they complete in. Before authentication only ApiVersions and SASL are served; anything else closes
/// the connection.
/// </summary>
internal sealed class ClientSession(ConnectionContext connection, GatewayRuntime runtime, int? nodeId)
{
    private const int MaxInFlight = 256;

    private readonly Channel<Task<byte[]?>> _responses = Channel.CreateBounded<Task<byte[]?>>(
        new BoundedChannelOptions(MaxInFlight) { SingleReader = true, SingleWriter = true });

    private readonly SaslServer _sasl = new(runtime, connection);
    private IRequestRouter? _router;
    private ZoneCounters _counters = runtime.Metrics.Zone("unauthenticated");

    public Principal? Principal => _sasl.Principal;

    public async Task RunAsync()
    {
        runtime.Metrics.ConnectionOpened();
        var closing = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        await using var upstream = new UpstreamLink(runtime, nodeId);
        var writer = Task.Run(() => WriteLoopAsync(closing.Token));
        var frames = new KafkaFrameReader(connection.Transport.Input, runtime.Spec.Limits.PreAuthFrameBytes);
        try
        {
            while (!closing.IsCancellationRequested)
            {
                using var frame = await frames.ReadAsync(closing.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    break;
                }

                if (_sasl.ExpectsRawToken)
                {
                    // After a v0 handshake the client sends the SASL token as a bare frame, no header.
                    var raw = await _sasl.AuthenticateRawAsync(frame.Memory.ToArray(), closing.Token).ConfigureAwait(false);
                    await _responses.Writer.WriteAsync(Task.FromResult<byte[]?>(raw.Frame), closing.Token).ConfigureAwait(false);
                    if (raw.Close)
                    {
                        break;
                    }

                    AfterLogin(frames, upstream);
                    continue;
                }

                var reader = new KafkaReader(frame.Memory);
                var header = RequestHeader.Read(ref reader);
                _counters.Request(frame.Length + 4);
                // The body must outlive this frame (responses complete later): copy it out once.
                var body = frame.Memory[reader.Position..].ToArray();
                Task<byte[]?> response;
                if (header.ApiKey == ApiVersionsRequest.Key)
                {
                    response = Task.FromResult<byte[]?>(ApiVersionsResponder.Respond(runtime, header, body, _sasl.Principal));
                }
                else if (!_sasl.IsComplete || header.ApiKey is SaslHandshakeRequest.Key or SaslAuthenticateRequest.Key)
                {
                    // SASL after login is re-authentication (KIP-368), answered here and never forwarded.
                    if (header.ApiKey is not (SaslHandshakeRequest.Key or SaslAuthenticateRequest.Key))
                    {
                        throw new ClientProtocolException($"{Describe(header)} before authentication; only ApiVersions and SASL are allowed.");
                    }

                    var answer = await _sasl.HandleAsync(header, body, closing.Token).ConfigureAwait(false);
                    await _responses.Writer.WriteAsync(Task.FromResult<byte[]?>(answer.Frame), closing.Token).ConfigureAwait(false);
                    if (answer.Close)
                    {
                        break;
                    }

                    AfterLogin(frames, upstream);
                    continue;
                }
                else
                {
                    response = _router!.RouteAsync(header, body, closing.Token);
                }

                await _responses.Writer.WriteAsync(response, closing.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is KafkaDecodeException or FrameTooLargeException or ClientProtocolException or UpstreamException)
        {
            if (e is UpstreamException)
            {
                runtime.Metrics.UpstreamFailed();
            }

            // One bad or unlucky connection is closed; the gateway keeps serving everyone else.
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or EndOfStreamException or ConnectionResetException)
        {
        }
        finally
        {
            _responses.Writer.TryComplete();
            try
            {
                await writer.ConfigureAwait(false);
            }
            catch (Exception)
            {
            }

            await closing.CancelAsync().ConfigureAwait(false);
            closing.Dispose();
            _sasl.Dispose();
            if (_router is not null)
            {
                _counters.Closed();
            }

            runtime.Metrics.ConnectionClosed();
        }
    }

    private void AfterLogin(KafkaFrameReader frames, UpstreamLink upstream)
    {
        if (_sasl.Principal is { } principal && _router is null)
        {
            frames.MaxFrameSize = runtime.Spec.Limits.MaxFrameBytes;
            _counters = runtime.Metrics.Zone(principal.IsAdmin ? "passthrough" : principal.Zone!.Zone);
            _counters.Opened();
            _router = principal.IsAdmin ? new PassthroughRouter(runtime, upstream) : new ZoneRouter(runtime, upstream, principal);
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        var output = connection.Transport.Output;
        try
        {
            await foreach (var pending in _responses.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                var frame = await pending.ConfigureAwait(false);
                if (frame is null)
                {
                    continue;
                }

                await output.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                _counters.Response(frame.Length);
            }
        }
        catch (Exception)
        {
            // A failed response (upstream gone, client gone) ends the connection: Kafka clients then
            // reconnect and retry, which is the recovery path they are built for.
            connection.Abort();
        }
    }

    private static string Describe(RequestHeader header) =>
        ApiMessages.Find(header.ApiKey) is { } api ? $"{api.Name} v{header.ApiVersion}" : $"API key {header.ApiKey}";
}

/// <summary>The client broke a protocol rule; its connection is closed.</summary>
internal sealed class ClientProtocolException(string message) : Exception(message);
