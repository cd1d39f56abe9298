using System.IO.Pipelines;
using System.Net.Sockets;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.EmbeddedKafka.Network;

/// <summary>
/// One client connection. Requests are served one at a time, in order, as a Kafka broker does
/// (a broker reads no further request from a connection until it has answered the current one),
/// so responses always leave in request order.
/// </summary>
internal sealed class ClientConnection(Socket socket, BrokerNode node)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var input = PipeReader.Create(stream);
        var output = PipeWriter.Create(stream);
        var frames = new KafkaFrameReader(input, node.Options.MaxRequestSize);
        var connection = new ConnectionState { Remote = socket.RemoteEndPoint };
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

                var reader = new KafkaReader(frame.Memory);
                var header = RequestHeader.Read(ref reader);
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
            }
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
}

/// <summary>An API key or version this node does not serve; Kafka closes the connection for these.</summary>
internal sealed class UnsupportedRequestException(string message) : Exception(message);
