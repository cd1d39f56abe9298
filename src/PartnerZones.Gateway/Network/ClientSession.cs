using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using PartnerZones.Gateway.Routing;
using PartnerZones.Gateway.Routing.Zone;
using PartnerZones.Gateway.Security;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Gateway.Network;

/// <summary>
/// One client connection. A read loop takes requests in order and starts serving each at once (so a
/// client may pipeline); a write loop sends the responses strictly in request order, whatever order
/// they complete in. Before authentication only ApiVersions and SASL are served; anything else closes
/// the connection. When the upstream connection is lost or the gateway stops, reading stops, the
/// responses already owed are sent, and the connection closes so the client reconnects.
/// </summary>
internal sealed class ClientSession(ConnectionContext connection, GatewayRuntime runtime, int? nodeId)
{
    private const int MaxInFlight = 256;

    /// <summary>How long a connection may take, once the gateway stops, to answer the requests it already read.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(3);

    private readonly Channel<Task<OutgoingFrame?>> _responses = Channel.CreateBounded<Task<OutgoingFrame?>>(
        new BoundedChannelOptions(MaxInFlight) { SingleReader = true, SingleWriter = true });

    private readonly SaslServer _sasl = new(runtime, connection);
    private readonly Traffic.ConnectionMute _mute = new();
    private IRequestRouter? _router;
    private ZoneCounters _counters = runtime.Metrics.Zone("unauthenticated");
    private string? _clientId;
    private string? _software;

    /// <summary>When the last request arrived or the last response went out (Environment.TickCount64).</summary>
    private long _lastActivity = Environment.TickCount64;

    /// <summary>Requests read whose responses are not yet sent (a long-poll Fetch keeps this above 0).</summary>
    private int _owed;

    public Principal? Principal => _sasl.Principal;

    public async Task RunAsync()
    {
        runtime.Metrics.ConnectionOpened();
        // Two ways to end. "closing": the client is gone, so everything in flight is cancelled. "stopReading":
        // the gateway is stopping or the upstream connection is lost, so no further request is taken, the
        // responses already owed are still sent, and then the connection closes (the client reconnects).
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        var closeRequested = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(closing.Token, closeRequested);
        // A stopping gateway waits for what is in flight, but not for a long poll's whole max wait.
        using var drainLimit = closeRequested.Register(() => CancelAfter(closing, DrainTimeout));
        var upstreamLost = 0;
        var upstream = new UpstreamLink(runtime, nodeId, () =>
        {
            // A connection we abandoned because the client left is no upstream failure.
            if (!closing.IsCancellationRequested)
            {
                Volatile.Write(ref upstreamLost, 1);
            }

            StopReading(stopReading);
        });
        var writer = Task.Run(() => WriteLoopAsync(closing.Token));
        var watchdog = WatchAsync(stopReading, closing.Token);
        var frames = new KafkaFrameReader(connection.Transport.Input, runtime.Spec.Limits.PreAuthFrameBytes);
        try
        {
            while (!stopReading.IsCancellationRequested)
            {
                // A throttled zone's connection reads nothing more until its throttle time has passed.
                await _mute.WaitAsync(stopReading.Token).ConfigureAwait(false);
                var frame = await frames.ReadAsync(stopReading.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    break;
                }

                // The frame's pooled buffer is returned here, unless a routed request took it over (below).
                using var owned = new FrameOwner(frame);
                Interlocked.Increment(ref _owed);
                Volatile.Write(ref _lastActivity, Environment.TickCount64);

                if (_sasl.ExpectsRawToken)
                {
                    // After a v0 handshake the client sends the SASL token as a bare frame, no header.
                    var raw = await _sasl.AuthenticateRawAsync(frame.Memory.ToArray(), closing.Token).ConfigureAwait(false);
                    await _responses.Writer.WriteAsync(Task.FromResult<OutgoingFrame?>(OutgoingFrame.Prebuilt(raw.Frame)), stopReading.Token).ConfigureAwait(false);
                    if (raw.Close)
                    {
                        break;
                    }

                    AfterLogin(frames, upstream);
                    continue;
                }

                var reader = new KafkaReader(frame.Memory);
                var header = RequestHeader.Read(ref reader);
                _clientId = header.ClientId;
                _counters.Request(frame.Length + 4);
                var body = frame.Memory[reader.Position..];
                Task<OutgoingFrame?> response;
                if (header.ApiKey == ApiVersionsRequest.Key)
                {
                    response = Task.FromResult<OutgoingFrame?>(ApiVersionsResponder.Respond(runtime, header, body.ToArray(), out var software));
                    _software = software ?? _software;
                }
                else if (!_sasl.IsComplete || header.ApiKey is SaslHandshakeRequest.Key or SaslAuthenticateRequest.Key)
                {
                    // SASL after login is re-authentication (KIP-368), answered here and never forwarded.
                    if (header.ApiKey is not (SaslHandshakeRequest.Key or SaslAuthenticateRequest.Key))
                    {
                        throw new ClientProtocolException($"{Describe(header)} before authentication; only ApiVersions and SASL are allowed.");
                    }

                    var answer = await _sasl.HandleAsync(header, body.ToArray(), closing.Token).ConfigureAwait(false);
                    await _responses.Writer.WriteAsync(Task.FromResult<OutgoingFrame?>(OutgoingFrame.Prebuilt(answer.Frame)), stopReading.Token).ConfigureAwait(false);
                    if (answer.Close)
                    {
                        break;
                    }

                    AfterLogin(frames, upstream);
                    continue;
                }
                else
                {
                    // Responses are cancelled only when the client is gone: a stop lets them finish.
                    // The body is a slice of the frame, not a copy (a Produce body is up to a whole batch
                    // per partition): the frame stays rented until the response is done with it.
                    response = ReleaseWhenDone(_router!.RouteAsync(header, body, closing.Token), owned.Take());
                }

                await _responses.Writer.WriteAsync(response, stopReading.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is KafkaDecodeException or FrameTooLargeException or ClientProtocolException or UpstreamException)
        {
            // One bad or unlucky connection is closed; the gateway keeps serving everyone else, and says why.
            ClosedBecause(e);
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
            ReleaseUnsent();
            await watchdog.ConfigureAwait(false);
            // Only now, with the responses sent (or the client gone and whatever is left cancelled), may the
            // upstream connection go; a request still starting finds the link closed and fails.
            if (_router is IAsyncDisposable router)
            {
                // Extra upstream links a router opened (to other coordinators) go with the session.
                await router.DisposeAsync().ConfigureAwait(false);
            }

            await upstream.DisposeAsync().ConfigureAwait(false);
            if (Volatile.Read(ref upstreamLost) != 0)
            {
                runtime.Metrics.UpstreamFailed();
            }

            _sasl.Dispose();
            if (_router is not null)
            {
                _counters.Closed();
            }

            runtime.Metrics.ConnectionClosed();
        }
    }

    private static async Task<OutgoingFrame?> ReleaseWhenDone(Task<OutgoingFrame?> response, KafkaFrame frame)
    {
        using (frame)
        {
            return await response.ConfigureAwait(false);
        }
    }

    /// <summary>Disposes a frame at the end of a scope unless <see cref="Take"/> handed it on.</summary>
    private sealed class FrameOwner(KafkaFrame frame) : IDisposable
    {
        private KafkaFrame? _frame = frame;

        public KafkaFrame Take()
        {
            var taken = _frame!;
            _frame = null;
            return taken;
        }

        public void Dispose() => _frame?.Dispose();
    }

    private static void StopReading(CancellationTokenSource stopReading)
    {
        try
        {
            stopReading.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The session already ended.
        }
    }

    private static void CancelAfter(CancellationTokenSource source, TimeSpan delay)
    {
        try
        {
            source.CancelAfter(delay);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void AfterLogin(KafkaFrameReader frames, UpstreamLink upstream)
    {
        if (_sasl.Principal is { } principal && _router is null)
        {
            frames.MaxFrameSize = runtime.Spec.Limits.MaxFrameBytes;
            _counters = runtime.Metrics.Zone(principal.IsAdmin ? "passthrough" : principal.Zone!.Zone);
            _counters.Opened();
            IRequestRouter router = principal.IsAdmin ? new PassthroughRouter(runtime, upstream) : new ZoneRouter(runtime, upstream, principal, (connection.RemoteEndPoint as System.Net.IPEndPoint)?.Address, _mute);
            // Only an upstream without some old version needs the bridge; in front of Kafka 3.x it is not there at all.
            _router = runtime.Apis.TranslatesAny ? new Routing.Versions.VersionBridge(runtime.Apis, router) : router;
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
                Volatile.Write(ref _lastActivity, Environment.TickCount64);
                Interlocked.Decrement(ref _owed);
                if (frame is null)
                {
                    continue;
                }

                int length;
                using (frame)
                {
                    // Encoded or copied straight into the pipe; the upstream frames it sliced go back now.
                    length = frame.WriteTo(output);
                }

                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _lastActivity, Environment.TickCount64);
                _counters.Response(length);
            }
        }
        catch (Exception e)
        {
            // A failed response (upstream gone, client gone) ends the connection: Kafka clients then
            // reconnect and retry, which is the recovery path they are built for.
            if (e is KafkaDecodeException or ClientProtocolException or UpstreamException)
            {
                ClosedBecause(e);
            }

            connection.Abort();
        }
    }

    /// <summary>Closes a connection that has not logged in within limits.authenticationTimeoutMs (a failed
    /// login), or that has logged in but sent no request for limits.connectionsMaxIdleMs with nothing in
    /// flight (like Kafka's connections.max.idle.ms); a throttled connection's mute counts as activity, since
    /// its client is held back, not idle. Closing stops reading; what is owed is still sent.</summary>
    private async Task WatchAsync(CancellationTokenSource stopReading, CancellationToken closed)
    {
        var limits = runtime.Spec.Limits;
        var started = Environment.TickCount64;
        var every = Math.Clamp(Math.Min(limits.AuthenticationTimeoutMs, limits.ConnectionsMaxIdleMs) / 4, 10, 1000);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(every));
        try
        {
            while (await timer.WaitForNextTickAsync(closed).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                if (!_sasl.IsComplete)
                {
                    if (now - started >= limits.AuthenticationTimeoutMs)
                    {
                        _sasl.TimedOut(limits.AuthenticationTimeoutMs);
                        StopReading(stopReading);
                        return;
                    }
                }
                else if (Volatile.Read(ref _owed) == 0 && now - Math.Max(Volatile.Read(ref _lastActivity), _mute.UntilMs) >= limits.ConnectionsMaxIdleMs)
                {
                    StopReading(stopReading);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended first.
        }
    }

    /// <summary>Releases the responses the write loop never took (it stopped when the client left or a
    /// response failed): each is disposed when it completes. Not awaited: a response still waiting on its
    /// upstream connection may need the session to close that connection first.</summary>
    private void ReleaseUnsent()
    {
        while (_responses.Reader.TryRead(out var pending))
        {
            _ = pending.ContinueWith(
                static done =>
                {
                    if (done.IsCompletedSuccessfully)
                    {
                        done.Result?.Dispose();
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>Logs (rate-limited) and counts a close the gateway decided, naming who and why.</summary>
    private void ClosedBecause(Exception e)
    {
        var reason = e switch
        {
            UnsupportedRequestException => ConnectionCloseLog.Unsupported,
            ClientProtocolException => ConnectionCloseLog.ProtocolViolation,
            FrameTooLargeException => ConnectionCloseLog.FrameTooLarge,
            KafkaDecodeException => ConnectionCloseLog.Malformed,
            _ => ConnectionCloseLog.UpstreamFailed,
        };
        if (e is UnsupportedRequestException unsupported)
        {
            runtime.Metrics.UnsupportedRequest(unsupported.ApiKey, unsupported.ApiVersion);
        }

        var principal = _sasl.Principal is { } p ? (p.IsAdmin ? $"admin '{p.Name}'" : $"partner '{p.Name}' of zone '{p.Zone!.Zone}'") : "an unauthenticated client";
        ConnectionCloseLog.Closed(runtime, reason, principal, _clientId, _software, e.Message);
    }

    private static string Describe(RequestHeader header) =>
        ApiMessages.Find(header.ApiKey) is { } api ? $"{api.Name} v{header.ApiVersion}" : $"API key {header.ApiKey}";
}

/// <summary>The client broke a protocol rule; its connection is closed.</summary>
internal class ClientProtocolException(string message) : Exception(message);
