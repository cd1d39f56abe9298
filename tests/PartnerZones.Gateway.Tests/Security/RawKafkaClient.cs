using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>One request and its answer, as bytes on the wire (size prefix included) and decoded.</summary>
internal sealed record Exchange(byte[] Request, byte[] Response, IKafkaResponse Decoded);

/// <summary>
/// A Kafka client at the byte level: one TCP connection, one request at a time, built on the project's
/// codecs so a test decides exactly which API, version, header and body reach the gateway, and sees
/// every byte that comes back. Real clients negotiate versions and hide refusals; this one does not.
/// </summary>
internal sealed class RawKafkaClient : IAsyncDisposable
{
    /// <summary>How long any single read may take: generous, the CI machines are small and shared.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private int _nextCorrelationId;

    private RawKafkaClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public string ClientId { get; init; } = "raw-security-test";

    public static async Task<RawKafkaClient> ConnectAsync(IPEndPoint endPoint, string clientId = "raw-security-test")
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(Patience);
            await socket.ConnectAsync(endPoint, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new RawKafkaClient(socket) { ClientId = clientId };
    }

    /// <summary>Connects to a "host:port" address such as a bootstrap server.</summary>
    public static Task<RawKafkaClient> ConnectAsync(string hostPort, string clientId = "raw-security-test") =>
        ConnectAsync(IPEndPoint.Parse(hostPort), clientId);

    /// <summary>A complete request frame: size prefix, header (version chosen as the gateway will read it), body.</summary>
    public byte[] Frame(IKafkaRequest request, short version, int correlationId)
    {
        using var writer = new KafkaWriter(512);
        FrameWriter.WriteRequest(writer, new RequestHeader { ApiVersion = version, CorrelationId = correlationId, ClientId = ClientId }, request);
        return writer.ToArray();
    }

    /// <summary>A frame for any API key and version, even ones no codec knows, with the given body bytes.</summary>
    public byte[] Frame(short apiKey, short version, int correlationId, ReadOnlySpan<byte> body)
    {
        using var writer = new KafkaWriter(512);
        var sizeAt = writer.ReserveInt32();
        new RequestHeader { ApiKey = apiKey, ApiVersion = version, CorrelationId = correlationId, ClientId = ClientId }.Write(writer);
        writer.WriteRaw(body);
        writer.PatchInt32(sizeAt, writer.Position - 4);
        return writer.ToArray();
    }

    public int NextCorrelationId() => Interlocked.Increment(ref _nextCorrelationId);

    /// <summary>Sends a request and decodes its response, checking the correlation id and that the body
    /// decodes completely.</summary>
    public async Task<Exchange> SendAsync(IKafkaRequest request, short version)
    {
        var correlationId = NextCorrelationId();
        var frame = Frame(request, version, correlationId);
        await WriteAsync(frame);
        var response = await ReadFrameAsync() ?? throw new IOException($"The gateway closed the connection instead of answering {Describe(request.ApiKey, version)}.");
        return new Exchange(frame, response, Decode(response, request.ApiKey, version, correlationId));
    }

    public async Task<TResponse> SendAsync<TResponse>(IKafkaRequest request, short version)
        where TResponse : IKafkaResponse => (TResponse)(await SendAsync(request, version)).Decoded;

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _stream.WriteAsync(bytes, timeout.Token);
        await _stream.FlushAsync(timeout.Token);
    }

    /// <summary>The next frame with its size prefix, or null when the peer closed the connection
    /// before sending one.</summary>
    public async Task<byte[]?> ReadFrameAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var prefix = new byte[4];
        var got = await ReadAtLeastAsync(prefix, timeout.Token);
        if (got == 0)
        {
            return null;
        }

        if (got < 4)
        {
            throw new IOException($"The connection closed inside a size prefix ({got} of 4 bytes).");
        }

        var size = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (size is < 0 or > 64 * 1024 * 1024)
        {
            throw new IOException($"Implausible response size {size}.");
        }

        var frame = new byte[4 + size];
        prefix.CopyTo(frame, 0);
        if (size > 0)
        {
            await _stream.ReadExactlyAsync(frame.AsMemory(4), timeout.Token);
        }

        return frame;
    }

    /// <summary>Waits for the gateway to close the connection and returns what it sent instead: nothing
    /// for a silent close (a reset counts as a close), or the first bytes that arrived, returned at once
    /// so a test expecting silence fails fast instead of waiting out the timeout.</summary>
    /// <exception cref="TimeoutException">The connection is still open after <paramref name="within"/>.</exception>
    public async Task<byte[]> WaitForCloseAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? Patience);
        var buffer = new byte[4096];
        try
        {
            var read = await _stream.ReadAsync(buffer, timeout.Token);
            return buffer[..read];
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The connection was still open after {(within ?? Patience).TotalSeconds:0.#} s.");
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>True when nothing arrives and the connection stays open for <paramref name="quiet"/>.</summary>
    public async Task<bool> StaysOpenAsync(TimeSpan quiet)
    {
        try
        {
            await WaitForCloseAsync(quiet);
            return false;
        }
        catch (TimeoutException)
        {
            return true;
        }
    }

    /// <summary>SASL PLAIN over SaslHandshake v1 and SaslAuthenticate; asserts success.</summary>
    public async Task LoginAsync(string user, string password, short authenticateVersion = 2)
    {
        var handshake = await SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        Assert.Equal(0, handshake.ErrorCode);
        var result = await AuthenticateAsync(PlainToken("", user, password), authenticateVersion);
        Assert.True(result.ErrorCode == 0, $"Login as {user} failed: {result.ErrorCode} {result.ErrorMessage}");
    }

    public Task<SaslAuthenticateResponse> AuthenticateAsync(byte[] token, short version = 2) =>
        SendAsync<SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = token }, version);

    /// <summary>An RFC 4616 PLAIN message: authzid NUL authcid NUL password.</summary>
    public static byte[] PlainToken(string authzid, string user, string password) =>
        Encoding.UTF8.GetBytes($"{authzid}\0{user}\0{password}");

    /// <summary>Decodes a response frame (size prefix included) to the response type of the API.</summary>
    public static IKafkaResponse Decode(byte[] frame, short apiKey, short version, int correlationId)
    {
        var reader = new KafkaReader(frame.AsMemory(4));
        var header = ResponseHeader.Read(ref reader, HeaderVersions.Response(apiKey, version));
        Assert.Equal(correlationId, header.CorrelationId);
        var response = ApiMessages.CreateResponse(apiKey) ?? throw new InvalidOperationException($"No codec for API key {apiKey}.");
        response.Read(ref reader, version);
        Assert.True(reader.End, $"{Describe(apiKey, version)} response has {reader.Remaining} bytes after its body.");
        return response;
    }

    public static string Describe(short apiKey, short version) =>
        ApiMessages.Find(apiKey) is { } api ? $"{api.Name} v{version}" : $"API key {apiKey} v{version}";

    /// <summary>Closes with a TCP reset instead of a FIN, as a crashed or killed client does.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();

    private async Task<int> ReadAtLeastAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await _stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
