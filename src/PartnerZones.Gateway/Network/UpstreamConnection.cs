using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Gateway.Network;

/// <summary>
/// One connection from the gateway to one upstream broker, authenticated with the gateway's own
/// credentials. Requests are written in call order with the gateway's correlation ids; a reader loop
/// completes each request's task when its response arrives. Many requests may be in flight.
/// </summary>
internal sealed class UpstreamConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeWriter _output;
    private readonly KafkaFrameReader _frames;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<KafkaFrame>> _pending = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly GatewayMetrics? _metrics;
    private Task? _readLoop;
    private int _nextCorrelationId;

    /// <summary>Size of the last request sent: the next one's writer starts that big. Produce requests of one
    /// client tend to be alike, and a writer that doubles its way up from 4 KB to a 1 MB batch copies it
    /// about once more on the way.</summary>
    private int _lastRequestBytes;

    /// <summary>One unusually large request must not make every later small one rent a huge buffer.</summary>
    private const int MaxInitialRequestBytes = 4 * 1024 * 1024;

    private UpstreamConnection(Socket socket, Stream stream, int maxFrameBytes, GatewayMetrics? metrics)
    {
        _socket = socket;
        _stream = stream;
        _metrics = metrics;
        _output = PipeWriter.Create(_stream);
        _frames = new KafkaFrameReader(PipeReader.Create(_stream), maxFrameBytes);
    }

    public string Address { get; private init; } = "";

    public bool IsClosed => _closed.IsCancellationRequested;

    /// <summary>How long connecting and authenticating to an upstream broker may take, as Kafka clients'
    /// socket.connection.setup.timeout.ms: an address that swallows packets fails instead of hanging.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Cancelled when the connection ends, whether the broker closed it or it was disposed.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <param name="metrics">Counts this connection's requests in flight; null for the gateway's own connections.</param>
    public static async Task<UpstreamConnection> ConnectAsync(string host, int port, UpstreamConfig config, int maxFrameBytes, CancellationToken cancellationToken, GatewayMetrics? metrics = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        UpstreamConnection? connection = null;
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (config.UsesTls)
            {
                stream = await Security.UpstreamTls.WrapAsync(stream, host, config, timeout.Token).ConfigureAwait(false);
            }

            connection = new UpstreamConnection(socket, stream, maxFrameBytes, metrics) { Address = $"{host}:{port}" };
            connection._readLoop = Task.Run(connection.ReadLoopAsync, CancellationToken.None);
            if (config.UsesSasl)
            {
                await UpstreamSasl.AuthenticateAsync(connection, config, timeout.Token).ConfigureAwait(false);
            }

            return connection;
        }
        catch (Exception e)
        {
            // Whatever failed, nothing of this attempt may stay open: not the socket, not the read loop.
            if (connection is null)
            {
                socket.Dispose();
            }
            else
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new UpstreamException($"Upstream broker {host}:{port} did not accept and authenticate a connection within {ConnectTimeout.TotalSeconds:0} s.", e);
            }

            if (e is SocketException or IOException)
            {
                throw new UpstreamException($"Upstream broker {host}:{port} is unreachable: {e.Message}", e);
            }

            throw;
        }
    }

    /// <summary>Sends one request whose body <paramref name="writeBody"/> writes. Returns the response frame
    /// positioned after the correlation id (null when no response is expected: Produce with acks=0).</summary>
    public async Task<KafkaFrame?> SendAsync(short apiKey, short version, string? clientId, Action<KafkaWriter> writeBody, bool expectResponse, CancellationToken cancellationToken)
    {
        using var writer = new KafkaWriter(Math.Clamp(Volatile.Read(ref _lastRequestBytes), 4096, MaxInitialRequestBytes));
        var correlationId = Interlocked.Increment(ref _nextCorrelationId);
        var sizeAt = writer.ReserveInt32();
        new RequestHeader { ApiKey = apiKey, ApiVersion = version, CorrelationId = correlationId, ClientId = clientId }.Write(writer);
        writeBody(writer);
        writer.PatchInt32(sizeAt, writer.Position - 4);
        Volatile.Write(ref _lastRequestBytes, writer.Position);

        TaskCompletionSource<KafkaFrame>? response = null;
        if (expectResponse)
        {
            response = new TaskCompletionSource<KafkaFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
            // Counted before it can be answered, so the gauge never dips below zero.
            _metrics?.UpstreamRequestStarted();
            _pending[correlationId] = response;
        }

        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Forget(correlationId);
            throw;
        }

        try
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            await _output.WriteAsync(writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Forget(correlationId);
            throw new UpstreamException($"Upstream broker {Address} closed the connection.", e);
        }
        catch (OperationCanceledException)
        {
            // Part of the frame may be on the wire: nothing more can be framed on this connection.
            Forget(correlationId);
            Abort();
            throw;
        }
        finally
        {
            _writeLock.Release();
        }

        if (response is null)
        {
            return null;
        }

        try
        {
            return await response.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client gave up (it disconnected): forget the request, and return its frame to the pool
            // should the response still arrive.
            Forget(correlationId);
            _ = response.Task.ContinueWith(
                static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>Sends a typed request and decodes the typed response.</summary>
    public async Task<TResponse> SendAsync<TResponse>(IKafkaRequest request, short version, string? clientId, CancellationToken cancellationToken)
        where TResponse : IKafkaResponse, new()
    {
        using var frame = await SendAsync(request.ApiKey, version, clientId, w => request.Write(w, version), true, cancellationToken).ConfigureAwait(false);
        return Decode<TResponse>(frame!, request.ApiKey, version);
    }

    /// <summary>Decodes a response frame (as returned by <see cref="SendAsync(short, short, string?, Action{KafkaWriter}, bool, CancellationToken)"/>).</summary>
    public static TResponse Decode<TResponse>(KafkaFrame frame, short apiKey, short version)
        where TResponse : IKafkaResponse, new()
    {
        var reader = new KafkaReader(frame.Memory);
        ResponseHeader.Read(ref reader, HeaderVersions.Response(apiKey, version));
        var response = new TResponse();
        response.Read(ref reader, version);
        // Byte fields (records) are slices of the frame: copy them out before the frame goes back to the pool.
        return response;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var frame = await _frames.ReadAsync(_closed.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    break;
                }

                var correlationId = BinaryPrimitives.ReadInt32BigEndian(frame.Memory.Span);
                if (_pending.TryRemove(correlationId, out var waiter))
                {
                    _metrics?.UpstreamRequestEnded();
                    waiter.TrySetResult(frame);
                }
                else
                {
                    frame.Dispose();
                }
            }
        }
        catch (Exception)
        {
            // Closed or broken: fail everything in flight below.
        }
        finally
        {
            await _closed.CancelAsync().ConfigureAwait(false);
            foreach (var (correlationId, _) in _pending)
            {
                if (_pending.TryRemove(correlationId, out var waiter))
                {
                    _metrics?.UpstreamRequestEnded();
                    waiter.TrySetException(new UpstreamException($"Upstream broker {Address} closed the connection."));
                }
            }
        }
    }

    /// <summary>Drops a request whose answer will not be handed back (its sender gave up or the write failed).</summary>
    private void Forget(int correlationId)
    {
        if (_pending.TryRemove(correlationId, out _))
        {
            _metrics?.UpstreamRequestEnded();
        }
    }

    /// <summary>Ends the connection now: the read loop stops and fails whatever is in flight.</summary>
    private void Abort()
    {
        _closed.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        await _stream.DisposeAsync().ConfigureAwait(false);
        if (_readLoop is not null)
        {
            await _readLoop.ConfigureAwait(false);
        }

        // The write lock is not disposed: a request racing with disposal must see IsClosed, not a disposed lock.
    }
}

/// <summary>The upstream cluster failed or went away; the client's connection is closed so it reconnects.</summary>
public sealed class UpstreamException(string message, Exception? inner = null) : Exception(message, inner);
