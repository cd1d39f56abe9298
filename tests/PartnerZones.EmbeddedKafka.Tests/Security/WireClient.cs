using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.EmbeddedKafka.Tests.Security;

/// <summary>A bare Kafka connection for tests that must see exactly what the node sends, including
/// nothing at all: requests are written with the project's codecs, responses read frame by frame.</summary>
internal sealed class WireClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TcpClient _tcp = new();
    private NetworkStream? _stream;
    private int _correlation;

    public static async Task<WireClient> ConnectAsync(IPEndPoint endpoint)
    {
        var client = new WireClient();
        await client._tcp.ConnectAsync(endpoint);
        client._stream = client._tcp.GetStream();
        return client;
    }

    public async Task<TResponse> CallAsync<TResponse>(IKafkaRequest request, short version)
        where TResponse : IKafkaResponse, new()
    {
        await SendAsync(request, version);
        var frame = await ReadFrameAsync() ?? throw new IOException($"the node closed the connection instead of answering API {request.ApiKey}");
        var reader = new KafkaReader(frame);
        var header = ResponseHeader.Read(ref reader, HeaderVersions.Response(request.ApiKey, version));
        Assert.Equal(_correlation, header.CorrelationId);
        return MessageCodec.Decode<TResponse>(frame.AsMemory(reader.Position), version);
    }

    public async Task SendAsync(IKafkaRequest request, short version)
    {
        using var writer = new KafkaWriter();
        FrameWriter.WriteRequest(writer, new RequestHeader { ApiVersion = version, CorrelationId = ++_correlation, ClientId = "wire-test" }, request);
        await _stream!.WriteAsync(writer.WrittenMemory);
    }

    /// <summary>Writes a size prefix and <paramref name="body"/> as they are (a raw SASL token, or junk).</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> body, int? declaredSize = null)
    {
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(prefix, declaredSize ?? body.Length);
        await _stream!.WriteAsync(prefix);
        await _stream.WriteAsync(body);
    }

    /// <summary>The next frame without its size prefix, or null when the node closed the connection.</summary>
    public async Task<byte[]?> ReadFrameAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var prefix = new byte[4];
        try
        {
            if (!await FillAsync(prefix, timeout.Token))
            {
                return null;
            }

            var body = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
            return await FillAsync(body, timeout.Token) ? body : throw new EndOfStreamException("closed inside a frame");
        }
        catch (IOException)
        {
            return null; // reset by the node: closed as well
        }
    }

    /// <summary>True when the node closes the connection (within the timeout) without sending anything more.</summary>
    public async Task<bool> IsClosedByNodeAsync() => await ReadFrameAsync() is null;

    private async Task<bool> FillAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await _stream!.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                return filled == 0 && buffer.Length > 0 ? false : throw new EndOfStreamException("closed inside a frame");
            }

            filled += read;
        }

        return true;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
