using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;
using Xunit;

namespace PartnerZones.Testing.KafkaWire;

/// <summary>
/// A Kafka client at the byte level: one TCP (optionally TLS) connection, built on the project's codecs,
/// so a test decides exactly which API, version, header and body reach the server and sees every byte
/// that comes back — including nothing at all. Real clients negotiate versions, retry and hide refusals;
/// this one does none of that. Requests are answered one at a time with <see cref="SendAsync{TResponse}"/>;
/// <see cref="WriteRequestAsync"/> and <see cref="ReadResponseAsync{TResponse}"/> pipeline or walk away
/// from an answer; <see cref="WriteAsync"/> and <see cref="WriteFrameAsync"/> send what no codec would.
/// </summary>
public sealed class KafkaWireClient : IAsyncDisposable, IDisposable
{
    /// <summary>How long any single connect or read may take: generous, the CI machines are small and shared.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public const string DefaultClientId = "kafka-wire-client";

    /// <summary>SASL_AUTHENTICATION_FAILED, which a legacy (v0 handshake) exchange can only express by closing.</summary>
    private const short SaslAuthenticationFailed = 58;

    /// <summary>Far above anything a test server sends; a size past it means the stream is not Kafka.</summary>
    private const int MaxResponseBytes = 64 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private int _nextCorrelationId;

    private KafkaWireClient(Socket socket, Stream stream, string clientId)
    {
        _socket = socket;
        _stream = stream;
        ClientId = clientId;
    }

    /// <summary>The client id every request header carries (servers log and audit it).</summary>
    public string ClientId { get; }

    /// <summary>The TLS version the handshake settled on; null on a plain TCP connection.</summary>
    public SslProtocols? TlsProtocol => (_stream as SslStream)?.SslProtocol;

    public static async Task<KafkaWireClient> ConnectAsync(EndPoint endPoint, string clientId = DefaultClientId)
    {
        var socket = await OpenSocketAsync(endPoint);
        return new KafkaWireClient(socket, new NetworkStream(socket, ownsSocket: true), clientId);
    }

    /// <summary>Connects to a "host:port" address such as a bootstrap server.</summary>
    public static Task<KafkaWireClient> ConnectAsync(string hostPort, string clientId = DefaultClientId) =>
        ConnectAsync(ParseHostPort(hostPort), clientId);

    /// <summary>Connects and runs a TLS handshake; <paramref name="validateServer"/> decides whether the
    /// server's certificate is accepted, and <paramref name="protocols"/> limits the TLS versions offered
    /// (None: the system's choice).</summary>
    public static async Task<KafkaWireClient> ConnectTlsAsync(
        EndPoint endPoint, RemoteCertificateValidationCallback validateServer, SslProtocols protocols = SslProtocols.None,
        string targetHost = "127.0.0.1", string clientId = DefaultClientId)
    {
        var socket = await OpenSocketAsync(endPoint);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false, validateServer);
        try
        {
            using var timeout = new CancellationTokenSource(Patience);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = targetHost, EnabledSslProtocols = protocols }, timeout.Token);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        return new KafkaWireClient(socket, tls, clientId);
    }

    /// <summary>Connects to a "host:port" address with TLS (see the <see cref="EndPoint"/> overload).</summary>
    public static Task<KafkaWireClient> ConnectTlsAsync(
        string hostPort, RemoteCertificateValidationCallback validateServer, SslProtocols protocols = SslProtocols.None,
        string targetHost = "127.0.0.1", string clientId = DefaultClientId) =>
        ConnectTlsAsync(ParseHostPort(hostPort), validateServer, protocols, targetHost, clientId);

    public int NextCorrelationId() => Interlocked.Increment(ref _nextCorrelationId);

    /// <summary>A complete request frame: size prefix, header (its version derived from the API version
    /// as a server will read it), body.</summary>
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

    /// <summary>Sends a request and decodes its answer, checking the correlation id and that the body
    /// decodes completely; returns the bytes of both as well.</summary>
    public async Task<KafkaExchange> ExchangeAsync(IKafkaRequest request, short version)
    {
        var correlationId = NextCorrelationId();
        var frame = Frame(request, version, correlationId);
        await WriteAsync(frame);
        var response = await ReadFrameAsync() ?? throw new IOException($"The server closed the connection instead of answering {Describe(request.ApiKey, version)}.");
        return new KafkaExchange(frame, response, Decode(response, request.ApiKey, version, correlationId));
    }

    /// <summary>Sends a request and returns its decoded answer (see <see cref="ExchangeAsync"/>).</summary>
    public async Task<TResponse> SendAsync<TResponse>(IKafkaRequest request, short version)
        where TResponse : IKafkaResponse => (TResponse)(await ExchangeAsync(request, version)).Decoded;

    /// <summary>Writes a request without waiting for its answer and returns its correlation id: for
    /// pipelining (read the answers in order with <see cref="ReadResponseAsync{TResponse}"/>) and for
    /// clients that walk away from an answer.</summary>
    public async Task<int> WriteRequestAsync(IKafkaRequest request, short version)
    {
        var correlationId = NextCorrelationId();
        await WriteAsync(Frame(request, version, correlationId));
        return correlationId;
    }

    /// <summary>Reads and decodes the answer to a request written with <see cref="WriteRequestAsync"/>.</summary>
    public async Task<TResponse> ReadResponseAsync<TResponse>(int correlationId, short version)
        where TResponse : IKafkaResponse, new()
    {
        var apiKey = new TResponse().ApiKey;
        var frame = await ReadFrameAsync() ?? throw new IOException($"The server closed the connection instead of answering {Describe(apiKey, version)}.");
        return (TResponse)Decode(frame, apiKey, version, correlationId);
    }

    /// <summary>Produces one batch to partition 0 of <paramref name="topic"/> (acks=all) and returns that partition's answer.</summary>
    public async Task<ProduceResponse.PartitionProduceResponse> ProduceAsync(string topic, byte[] batch, string? transactionalId = null, short version = 9)
    {
        var request = new ProduceRequest
        {
            TransactionalId = transactionalId,
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new ProduceRequest.TopicProduceData { Name = topic, PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = batch }] }],
        };
        var response = await SendAsync<ProduceResponse>(request, version);
        return Assert.Single(Assert.Single(response.Responses).PartitionResponses);
    }

    /// <summary>Writes bytes exactly as given: half a frame, a bare size prefix, junk.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _stream.WriteAsync(bytes, timeout.Token);
        await _stream.FlushAsync(timeout.Token);
    }

    /// <summary>Writes a size prefix and <paramref name="body"/> as it is (a legacy SASL token, a header
    /// no codec would write); <paramref name="declaredSize"/> makes the prefix claim another size.</summary>
    public Task WriteFrameAsync(ReadOnlyMemory<byte> body, int? declaredSize = null)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, declaredSize ?? body.Length);
        body.CopyTo(frame.AsMemory(4));
        return WriteAsync(frame);
    }

    /// <summary>The next frame with its size prefix, or null when the peer closed the connection (a FIN
    /// or a reset) before sending one.</summary>
    /// <exception cref="TimeoutException">Nothing complete arrived within <paramref name="within"/> (default <see cref="Patience"/>).</exception>
    public async Task<byte[]?> ReadFrameAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? Patience);
        try
        {
            var prefix = new byte[4];
            var got = await _stream.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, timeout.Token);
            if (got == 0)
            {
                return null;
            }

            if (got < 4)
            {
                throw new IOException($"The connection closed inside a size prefix ({got} of 4 bytes).");
            }

            var size = BinaryPrimitives.ReadInt32BigEndian(prefix);
            if (size is < 0 or > MaxResponseBytes)
            {
                throw new IOException($"Implausible frame size {size}.");
            }

            var frame = new byte[4 + size];
            prefix.CopyTo(frame, 0);
            await _stream.ReadExactlyAsync(frame.AsMemory(4), timeout.Token);
            return frame;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No complete frame arrived within {(within ?? Patience).TotalSeconds:0.#} s.");
        }
        catch (IOException e) when (e.InnerException is SocketException)
        {
            return null; // reset by the peer: closed as well
        }
    }

    /// <summary>Waits for the peer to close the connection and returns what it sent instead: nothing for a
    /// silent close (a reset counts as a close), or the first bytes that arrived, returned at once so a
    /// test expecting silence fails fast instead of waiting out the timeout.</summary>
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

    /// <summary>True when the peer closes the connection within <paramref name="within"/>, false when it is
    /// still open then. Answers it sends first (to requests already written) are read and dropped: for
    /// tests where the close, not the silence, is the point.</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[64 * 1024];
        try
        {
            while (await _stream.ReadAsync(buffer, timeout.Token) > 0)
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

    /// <summary>SaslAuthenticate with a token as given, at <paramref name="version"/>.</summary>
    public Task<SaslAuthenticateResponse> AuthenticateAsync(byte[] token, short version = 2) =>
        SendAsync<SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = token }, version);

    /// <summary>An RFC 4616 PLAIN message: authzid NUL authcid NUL password.</summary>
    public static byte[] PlainToken(string authzid, string user, string password) =>
        Encoding.UTF8.GetBytes($"{authzid}\0{user}\0{password}");

    /// <summary>
    /// SASL PLAIN: SaslHandshake at <paramref name="handshakeVersion"/> (which must succeed), then the
    /// token in SaslAuthenticate at <paramref name="authenticateVersion"/>, whose answer is returned as it
    /// is. After a v0 handshake the token travels as a bare frame instead (the legacy exchange); the
    /// server's bare reply is returned as the answer's AuthBytes, and a close instead of a reply — the only
    /// way that exchange can refuse — as SASL_AUTHENTICATION_FAILED.
    /// </summary>
    public async Task<SaslAuthenticateResponse> LoginPlainAsync(string user, string password, short handshakeVersion = 1, short authenticateVersion = 2)
    {
        await HandshakeAsync("PLAIN", handshakeVersion);
        return await ExchangeTokenAsync(PlainToken("", user, password), handshakeVersion, authenticateVersion);
    }

    /// <summary>
    /// SASL SCRAM-SHA-256 or SCRAM-SHA-512 (see <see cref="LoginPlainAsync"/> for the versions and the
    /// legacy exchange): client-first, client-final; on success the server's signature is checked, so a
    /// server that does not hold the password's keys fails the test. Returns the last answer.
    /// </summary>
    public async Task<SaslAuthenticateResponse> LoginScramAsync(string mechanism, string user, string password, short handshakeVersion = 1, short authenticateVersion = 2)
    {
        var scram = new ScramTestClient(ScramTestClient.HashOf(mechanism), user, password);
        await HandshakeAsync(mechanism, handshakeVersion);
        var first = await ExchangeTokenAsync(Encoding.UTF8.GetBytes(scram.First), handshakeVersion, authenticateVersion);
        if (first.ErrorCode != 0)
        {
            return first;
        }

        var final = await ExchangeTokenAsync(Encoding.UTF8.GetBytes(scram.Final(Encoding.UTF8.GetString(first.AuthBytes.Span))), handshakeVersion, authenticateVersion);
        if (final.ErrorCode == 0)
        {
            Assert.Equal(scram.ExpectedServerFinal, Encoding.UTF8.GetString(final.AuthBytes.Span));
        }

        return final;
    }

    /// <summary>SASL PLAIN (handshake v1, authenticate v2) that must succeed: set-up for tests about
    /// something other than the login.</summary>
    public async Task LoginAsync(string user, string password)
    {
        var result = await LoginPlainAsync(user, password);
        Assert.True(result.ErrorCode == 0, $"Login as {user} failed: {result.ErrorCode} {result.ErrorMessage}");
    }

    /// <summary>A legacy SASL token (after a v0 handshake): a bare size-prefixed frame, no header.</summary>
    public Task SendSaslTokenAsync(ReadOnlyMemory<byte> token) => WriteFrameAsync(token);

    /// <summary>The server's bare reply in a legacy SASL exchange, or null when it closed the connection instead.</summary>
    public async Task<byte[]?> ReceiveSaslTokenAsync() => await ReadFrameAsync() is { } frame ? frame[4..] : null;

    /// <summary>Decodes a response frame (size prefix included) to the response type of the API, checking
    /// the correlation id and that no bytes are left after the body.</summary>
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

    /// <summary>"Metadata v12", or "API key 1000 v0" for keys no codec knows.</summary>
    public static string Describe(short apiKey, short version) =>
        ApiMessages.Find(apiKey) is { } api ? $"{api.Name} v{version}" : $"API key {apiKey} v{version}";

    /// <summary>Closes with a TCP reset instead of a FIN, as a crashed or killed client does.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();

    public void Dispose() => _stream.Dispose();

    private async Task HandshakeAsync(string mechanism, short version)
    {
        var handshake = await SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = mechanism }, version);
        Assert.True(handshake.ErrorCode == 0, $"SaslHandshake v{version} for {mechanism} was refused with {handshake.ErrorCode}; the server offers [{string.Join(", ", handshake.Mechanisms)}].");
    }

    private async Task<SaslAuthenticateResponse> ExchangeTokenAsync(byte[] token, short handshakeVersion, short authenticateVersion)
    {
        if (handshakeVersion > 0)
        {
            return await AuthenticateAsync(token, authenticateVersion);
        }

        await SendSaslTokenAsync(token);
        return await ReceiveSaslTokenAsync() is { } reply
            ? new SaslAuthenticateResponse { AuthBytes = reply }
            : new SaslAuthenticateResponse { ErrorCode = SaslAuthenticationFailed, ErrorMessage = "The server closed the connection instead of replying to the legacy (v0) SASL token." };
    }

    private static async Task<Socket> OpenSocketAsync(EndPoint endPoint)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(Patience);
            await socket.ConnectAsync(endPoint, timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static EndPoint ParseHostPort(string hostPort)
    {
        if (IPEndPoint.TryParse(hostPort, out var ip))
        {
            return ip;
        }

        var colon = hostPort.LastIndexOf(':');
        return new DnsEndPoint(hostPort[..colon], int.Parse(hostPort[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
