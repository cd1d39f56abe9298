using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>
/// A bare Kafka connection for tests that need to see exactly what the gateway answers to a login
/// (error code, session lifetime) and when it closes the connection.
/// </summary>
internal sealed class RawKafkaClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private int _correlation;

    private RawKafkaClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawKafkaClient> ConnectAsync(string bootstrap)
    {
        var colon = bootstrap.LastIndexOf(':');
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(bootstrap[..colon], int.Parse(bootstrap[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        return new RawKafkaClient(tcp);
    }

    /// <summary>SaslHandshake v1 + SaslAuthenticate v2 with PLAIN.</summary>
    public async Task<SaslAuthenticateResponse> LoginPlainAsync(string user, string password)
    {
        var handshake = await SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        Assert.Equal(0, handshake.ErrorCode);
        return await SendAsync<SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = Encoding.UTF8.GetBytes($"\0{user}\0{password}") }, 2);
    }

    public async Task<TResponse> SendAsync<TResponse>(IKafkaRequest request, short version)
        where TResponse : IKafkaResponse, new()
    {
        using var writer = new KafkaWriter(256);
        var sizeAt = writer.ReserveInt32();
        new RequestHeader { ApiKey = request.ApiKey, ApiVersion = version, CorrelationId = ++_correlation, ClientId = "raw-test-client" }.Write(writer);
        request.Write(writer, version);
        writer.PatchInt32(sizeAt, writer.Position - 4);
        await _stream.WriteAsync(writer.WrittenMemory);

        var size = new byte[4];
        await _stream.ReadExactlyAsync(size);
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await _stream.ReadExactlyAsync(body);
        var reader = new KafkaReader(body);
        ResponseHeader.Read(ref reader, HeaderVersions.Response(request.ApiKey, version));
        var response = new TResponse();
        response.Read(ref reader, version);
        return response;
    }

    /// <summary>Metadata v1 for no topics: a cheap request that proves the connection still serves.</summary>
    public Task<MetadataResponse> PingAsync() => SendAsync<MetadataResponse>(new MetadataRequest { Topics = [] }, 1);

    /// <summary>True when the gateway closes the connection within <paramref name="within"/>.</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            var buffer = new byte[1];
            return await _stream.ReadAsync(buffer, timeout.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }
}
