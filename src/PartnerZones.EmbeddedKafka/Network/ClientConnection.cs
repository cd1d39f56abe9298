using System.IO.Pipelines;
using System.Net.Sockets;
using PartnerZones.EmbeddedKafka.Security;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.EmbeddedKafka.Network;

/// <summary>
/// One client connection. Requests are served one at a time, in order, as a Kafka broker does
/// (a broker reads no further request from a connection until it has answered the current one),
/// so responses always leave in request order.
/// With SASL on, the connection is gated: until authentication succeeds only ApiVersions and the SASL
/// APIs are served, frames are capped at <see cref="PreAuthenticationFrameLimit"/>, and anything else
/// closes the connection.
/// </summary>
internal sealed class ClientConnection(Socket socket, BrokerNode node)
{
    /// <summary>Largest frame an unauthenticated client may send: enough for any SASL token, small enough
    /// that a stranger's length prefix cannot make the node buffer much.</summary>
    public const int PreAuthenticationFrameLimit = 512 * 1024;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var input = PipeReader.Create(stream);
        var output = PipeWriter.Create(stream);
        var credentials = node.Cluster.Sasl;
        var connection = new ConnectionState
        {
            Remote = socket.RemoteEndPoint,
            Sasl = credentials is null ? null : new SaslSession(credentials),
        };
        var frames = new KafkaFrameReader(input, FrameLimit(connection));
        using var writer = new KafkaWriter(64 * 1024);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var frame = await frames.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (frame is null)
                {
                    return;
                }

                if (connection.Sasl is { ExpectsRawTokens: true } session)
                {
                    await AnswerRawTokenAsync(session, frame.Memory, writer, output, cancellationToken).ConfigureAwait(false);
                    frames.MaxFrameSize = FrameLimit(connection);
                    continue;
                }

                var reader = new KafkaReader(frame.Memory);
                var header = RequestHeader.Read(ref reader);
                if (!connection.Authenticated && !connection.Sasl!.Permits(header.ApiKey))
                {
                    var api = ApiMessages.Find(header.ApiKey)?.Name ?? "unknown API";
                    node.Log($"closing connection from {connection.Remote}: {api} (key {header.ApiKey}) sent before SASL authentication completed");
                    return;
                }

                var context = new RequestContext { Node = node, Header = header, Connection = connection, ResponseVersion = header.ApiVersion };
                var response = await node.Dispatcher.DispatchAsync(context, frame.Memory[reader.Position..], cancellationToken).ConfigureAwait(false);
                if (response is null)
                {
                    node.Options.FrameObserver?.Invoke(node.Id, frame.Memory, null);
                    continue;
                }

                writer.Reset();
                FrameWriter.WriteResponse(writer, header.CorrelationId, context.ResponseVersion, response);
                node.Options.FrameObserver?.Invoke(node.Id, frame.Memory, writer.WrittenMemory[4..]);
                await output.WriteAsync(writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                if (connection.CloseAfterResponse)
                {
                    return;
                }

                frames.MaxFrameSize = FrameLimit(connection);
            }
        }
        catch (SaslAuthenticationException e)
        {
            // Only raw-token (handshake v0) exchanges get here: that mode has no error response.
            var user = e.User is { } name ? $" as '{name}'" : "";
            node.Log($"closing connection from {connection.Remote}: SASL login{user} failed: {e.Message}");
        }
        catch (Exception e) when (e is KafkaDecodeException or FrameTooLargeException or UnsupportedRequestException)
        {
            // A malformed or unsupported request ends this connection only; the node keeps serving others.
            node.Log($"closing connection from {connection.Remote}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or EndOfStreamException)
        {
            // The client went away or the node is stopping.
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    private int FrameLimit(ConnectionState connection) =>
        connection.Authenticated ? node.Options.MaxRequestSize : Math.Min(PreAuthenticationFrameLimit, node.Options.MaxRequestSize);

    /// <summary>After a v0 handshake a frame is a bare SASL token and so is the reply (size-prefixed, no
    /// Kafka header). Such frames are not Kafka requests, so the frame observer does not see them.</summary>
    private static async ValueTask AnswerRawTokenAsync(SaslSession session, ReadOnlyMemory<byte> token, KafkaWriter writer, PipeWriter output, CancellationToken cancellationToken)
    {
        var reply = session.AuthenticateRaw(token.Span);
        writer.Reset();
        writer.WriteInt32(reply.Length);
        writer.WriteRaw(reply);
        await output.WriteAsync(writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>An API key or version this node does not serve; Kafka closes the connection for these.</summary>
internal sealed class UnsupportedRequestException(string message) : Exception(message);
