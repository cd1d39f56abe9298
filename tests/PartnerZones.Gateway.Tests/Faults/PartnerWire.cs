using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Gateway.Tests.Faults;

/// <summary>
/// A bare connection to the gateway for clients that misbehave: it can log in, send a request and walk
/// away without reading the answer, send half a frame, or close abruptly.
/// </summary>
internal sealed class PartnerWire : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private int _correlationId;

    private PartnerWire(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<PartnerWire> ConnectAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        return new PartnerWire(socket);
    }

    /// <summary>SASL PLAIN as the example partner (SaslHandshake v1, SaslAuthenticate v2).</summary>
    public async Task LoginAsync()
    {
        var handshake = await RequestAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        Assert.Equal(0, handshake.ErrorCode);
        var token = Encoding.UTF8.GetBytes($"\0johndoe\0{GatewayFixture.PartnerSecret}");
        var login = await RequestAsync<SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = token }, 2);
        Assert.Equal(0, login.ErrorCode);
    }

    public async Task<TResponse> RequestAsync<TResponse>(IKafkaRequest request, short version)
        where TResponse : IKafkaResponse, new()
    {
        var correlationId = await SendAsync(request, version);
        using var cts = new CancellationTokenSource(Timeout);
        var size = new byte[4];
        await _stream.ReadExactlyAsync(size, cts.Token);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await _stream.ReadExactlyAsync(frame, cts.Token);
        var reader = new KafkaReader(frame);
        var header = ResponseHeader.Read(ref reader, HeaderVersions.Response(request.ApiKey, version));
        Assert.Equal(correlationId, header.CorrelationId);
        var response = new TResponse();
        response.Read(ref reader, version);
        return response;
    }

    /// <summary>Sends a request and does not wait for its answer; returns its correlation id.</summary>
    public async Task<int> SendAsync(IKafkaRequest request, short version)
    {
        var correlationId = ++_correlationId;
        using var writer = new KafkaWriter(1024);
        FrameWriter.WriteRequest(writer, new RequestHeader { ApiVersion = version, CorrelationId = correlationId, ClientId = "fault-test" }, request);
        using var cts = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(writer.WrittenMemory, cts.Token);
        return correlationId;
    }

    /// <summary>A size prefix announcing <paramref name="claimed"/> bytes followed by only part of them.</summary>
    public async Task SendHalfFrameAsync(int claimed)
    {
        var bytes = new byte[4 + (claimed / 2)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, claimed);
        using var cts = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, cts.Token);
    }

    /// <summary>True when the gateway closes the connection within <paramref name="within"/> (it may send
    /// responses first; they are read and dropped), false when it stays open.</summary>
    public async Task<bool> ClosedByPeerAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        var buffer = new byte[64 * 1024];
        try
        {
            while (await _stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Closes with a reset rather than an orderly shutdown, as a crashed client would.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    /// <summary>A small batch of plain records.</summary>
    public static byte[] Batch(string prefix, int count)
    {
        var batch = new RecordBatch { BaseTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        for (var i = 0; i < count; i++)
        {
            batch.Records.Add(new PartnerZones.Protocol.Records.Record { OffsetDelta = i, Value = Encoding.UTF8.GetBytes($"{prefix}-{i}") });
        }

        batch.UpdateSummaryFields();
        return batch.ToArray();
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();
}
