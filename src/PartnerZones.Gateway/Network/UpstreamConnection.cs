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
    private Task? _readLoop;
    private int _nextCorrelationId;

    private UpstreamConnection(Socket socket, Stream stream, int maxFrameBytes)
    {
        _socket = socket;
        _stream = stream;
        _output = PipeWriter.Create(_stream);
        _frames = new KafkaFrameReader(PipeReader.Create(_stream), maxFrameBytes);
    }

    public string Address { get; private init; } = "";

    public bool IsClosed => _closed.IsCancellationRequested;

    public static async Task<UpstreamConnection> ConnectAsync(string host, int port, UpstreamConfig config, int maxFrameBytes, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (config.UsesTls)
        {
            stream = await Security.UpstreamTls.WrapAsync(stream, host, config, cancellationToken).ConfigureAwait(false);
        }

        var connection = new UpstreamConnection(socket, stream, maxFrameBytes) { Address = $"{host}:{port}" };
        connection._readLoop = Task.Run(connection.ReadLoopAsync);
        if (config.UsesSasl)
        {
            await UpstreamSasl.AuthenticateAsync(connection, config, cancellationToken).ConfigureAwait(false);
        }

        return connection;
    }

    /// <summary>Sends one request whose body <paramref name="writeBody"/> writes. Returns the response frame
    /// positioned after the correlation id (null when no response is expected: Produce with acks=0).</summary>
    public async Task<KafkaFrame?> SendAsync(short apiKey, short version, string? clientId, Action<KafkaWriter> writeBody, bool expectResponse, CancellationToken cancellationToken)
    {
        using var writer = new KafkaWriter(4096);
        var correlationId = Interlocked.Increment(ref _nextCorrelationId);
        var sizeAt = writer.ReserveInt32();
        new RequestHeader { ApiKey = apiKey, ApiVersion = version, CorrelationId = correlationId, ClientId = clientId }.Write(writer);
        writeBody(writer);
        writer.PatchInt32(sizeAt, writer.Position - 4);

        TaskCompletionSource<KafkaFrame>? response = null;
        if (expectResponse)
        {
            response = new TaskCompletionSource<KafkaFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[correlationId] = response;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            await _output.WriteAsync(writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _pending.TryRemove(correlationId, out _);
            throw new UpstreamException($"Upstream broker {Address} closed the connection.", e);
        }
        finally
        {
            _writeLock.Release();
        }

        return response is null ? null : await response.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
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
            foreach (var (_, waiter) in _pending)
            {
                waiter.TrySetException(new UpstreamException($"Upstream broker {Address} closed the connection."));
            }

            _pending.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        if (_readLoop is not null)
        {
            await _readLoop.ConfigureAwait(false);
        }

        _writeLock.Dispose();
    }
}

/// <summary>The upstream cluster failed or went away; the client's connection is closed so it reconnects.</summary>
public sealed class UpstreamException(string message, Exception? inner = null) : Exception(message, inner);
