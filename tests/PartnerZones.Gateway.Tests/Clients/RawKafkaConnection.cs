using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>A bare Kafka connection for requests no client library here can send (an old version, an
/// admin API Confluent.Kafka lacks), built with the project's codecs and framed by hand.</summary>
internal sealed class RawKafkaConnection : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private int _correlationId;

    private RawKafkaConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawKafkaConnection> ConnectAsync(IPEndPoint endPoint)
    {
        var client = new TcpClient();
        using var cts = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(endPoint, cts.Token);
        return new RawKafkaConnection(client);
    }

    /// <summary>SASL PLAIN with the framed handshake (v1) and authenticate (v0) requests.</summary>
    public async Task LoginPlainAsync(string username, string password)
    {
        var handshake = await SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        Assert.Equal(0, handshake.ErrorCode);
        var token = Encoding.UTF8.GetBytes($"\0{username}\0{password}");
        var authenticate = await SendAsync<SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = token }, 0);
        Assert.Equal(0, authenticate.ErrorCode);
    }

    public async Task<TResponse> SendAsync<TResponse>(IKafkaRequest request, short version)
        where TResponse : IKafkaResponse, new()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var correlationId = ++_correlationId;
        using (var writer = new KafkaWriter(256))
        {
            FrameWriter.WriteRequest(writer, new RequestHeader { ApiVersion = version, CorrelationId = correlationId, ClientId = "raw-test" }, request);
            await _stream.WriteAsync(writer.WrittenMemory, cts.Token);
        }

        var size = new byte[4];
        await _stream.ReadExactlyAsync(size, cts.Token);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await _stream.ReadExactlyAsync(frame, cts.Token);
        return Decode<TResponse>(frame, request.ApiKey, version, correlationId);
    }

    public void Dispose() => _client.Dispose();

    private static TResponse Decode<TResponse>(byte[] frame, short apiKey, short version, int correlationId)
        where TResponse : IKafkaResponse, new()
    {
        var reader = new KafkaReader(frame);
        var header = ResponseHeader.Read(ref reader, HeaderVersions.Response(apiKey, version));
        Assert.Equal(correlationId, header.CorrelationId);
        var response = new TResponse();
        response.Read(ref reader, version);
        return response;
    }
}
