using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Testing.KafkaWire;

/// <summary>One client connection to a <see cref="ScriptedBroker"/> and, in relay mode, its own
/// connection to the real node that the broker port stands for (opened on the first forwarded request,
/// closed with the client's, so the real node sees one client per scripted one, as a proxy would).</summary>
internal sealed class ScriptedConnection(int id, Socket socket, int listenPort, EndPoint? upstream) : IAsyncDisposable
{
    /// <summary>Far above anything a test sends; keeps a junk size prefix from allocating.</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    private Stream _stream = new NetworkStream(socket, ownsSocket: true);
    private Socket? _upstreamSocket;
    private NetworkStream? _upstreamStream;
    private KafkaFrameReader? _upstreamFrames;

    public int Id { get; } = id;

    public int ListenPort { get; } = listenPort;

    public bool Relays => upstream is not null;

    /// <summary>The client's byte stream (TLS once <see cref="StartAsync"/> ran with a certificate).</summary>
    public Stream Stream => _stream;

    public async Task StartAsync(X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        if (certificate is not null)
        {
            var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
            _stream = tls;
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken);
        }
    }

    /// <summary>Writes a reply; false when the reply is to close the connection.</summary>
    public async Task<bool> ReplyAsync(ScriptedCall call, ScriptedReply reply, CancellationToken cancellationToken)
    {
        switch (reply.Kind)
        {
            case ScriptedReply.ReplyKind.Close:
                return false;
            case ScriptedReply.ReplyKind.Silence:
                return true;
            case ScriptedReply.ReplyKind.Bytes:
                await _stream.WriteAsync(reply.Bytes, cancellationToken);
                break;
            case ScriptedReply.ReplyKind.Body:
                using (var writer = new KafkaWriter(reply.Bytes.Length + 64))
                {
                    var sizeAt = writer.ReserveInt32();
                    new ResponseHeader { CorrelationId = call.CorrelationId }.Write(writer, HeaderVersions.Response(call.ApiKey, call.ApiVersion));
                    writer.WriteRaw(reply.Bytes.Span);
                    writer.PatchInt32(sizeAt, writer.Position - 4);
                    await _stream.WriteAsync(writer.WrittenMemory, cancellationToken);
                }

                break;
            case ScriptedReply.ReplyKind.Response:
                using (var writer = new KafkaWriter(1024))
                {
                    FrameWriter.WriteResponse(writer, call.CorrelationId, call.ApiVersion, reply.Response!);
                    await _stream.WriteAsync(writer.WrittenMemory, cancellationToken);
                }

                break;
            default:
                throw new InvalidOperationException($"A {reply.Kind} reply cannot be written.");
        }

        await _stream.FlushAsync(cancellationToken);
        return true;
    }

    /// <summary>Sends the request frame (without size prefix) to the real node and returns its answer as a
    /// whole wire frame (size prefix included), or null when <paramref name="expectAnswer"/> is false.</summary>
    /// <exception cref="IOException">The real node closed the connection instead of answering: so does the scripted one.</exception>
    public async Task<byte[]?> ForwardAsync(ReadOnlyMemory<byte> frame, bool expectAnswer, CancellationToken cancellationToken)
    {
        if (upstream is null)
        {
            throw new InvalidOperationException("This scripted broker does not relay: there is no real cluster to forward to.");
        }

        if (_upstreamStream is null)
        {
            _upstreamSocket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await _upstreamSocket.ConnectAsync(upstream, cancellationToken);
            _upstreamStream = new NetworkStream(_upstreamSocket, ownsSocket: true);
            _upstreamFrames = new KafkaFrameReader(PipeReader.Create(_upstreamStream), MaxFrameBytes);
        }

        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(prefix, frame.Length);
        await _upstreamStream.WriteAsync(prefix, cancellationToken);
        await _upstreamStream.WriteAsync(frame, cancellationToken);
        if (!expectAnswer)
        {
            return null;
        }

        using var answer = await _upstreamFrames!.ReadAsync(cancellationToken) ?? throw new IOException($"The real node at {upstream} closed the connection instead of answering.");
        var wire = new byte[4 + answer.Length];
        BinaryPrimitives.WriteInt32BigEndian(wire, answer.Length);
        answer.Memory.CopyTo(wire.AsMemory(4));
        return wire;
    }

    /// <summary>Ends the client's connection (and its relayed one) from outside the serving loop.</summary>
    public void Abort(bool reset)
    {
        if (reset)
        {
            socket.LingerState = new LingerOption(true, 0);
        }

        socket.Close();
        _upstreamSocket?.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        if (_upstreamStream is not null)
        {
            await _upstreamStream.DisposeAsync();
        }

        _upstreamSocket?.Dispose();
    }
}
