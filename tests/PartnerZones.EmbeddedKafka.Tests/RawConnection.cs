using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Records;

namespace PartnerZones.EmbeddedKafka.Tests;

/// <summary>
/// A bare Kafka connection for tests that must send what no well-behaved client sends (a batch twice,
/// a gap in sequences, a stale epoch): requests are built with the generated codecs and framed by hand.
/// </summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private int _correlationId;

    private RawConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawConnection> ConnectAsync(IPEndPoint endPoint)
    {
        var client = new TcpClient();
        using var cts = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(endPoint, cts.Token);
        return new RawConnection(client);
    }

    public async Task<TResponse> SendAsync<TResponse>(IKafkaRequest request, short version)
        where TResponse : IKafkaResponse, new()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var correlationId = ++_correlationId;
        using (var writer = new KafkaWriter(1024))
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

    /// <summary>Sends <paramref name="request"/> and returns true when the node closes the connection
    /// without answering (Kafka's reply to a version it does not serve).</summary>
    public async Task<bool> ClosesWithoutAnswerAsync(IKafkaRequest request, short version)
    {
        using var cts = new CancellationTokenSource(Timeout);
        using (var writer = new KafkaWriter(1024))
        {
            FrameWriter.WriteRequest(writer, new RequestHeader { ApiVersion = version, CorrelationId = ++_correlationId, ClientId = "raw-test" }, request);
            await _stream.WriteAsync(writer.WrittenMemory, cts.Token);
        }

        try
        {
            return await _stream.ReadAsync(new byte[1], cts.Token) == 0;
        }
        catch (IOException)
        {
            // A reset is a close too.
            return true;
        }
    }

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

    /// <summary>Produces one batch to partition 0 of <paramref name="topic"/> and returns that partition's answer.</summary>
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

    /// <summary>An idempotent (or transactional) batch of <paramref name="count"/> records.</summary>
    public static byte[] Batch(long producerId, short epoch, int firstSequence, int count, bool transactional = false, string prefix = "v")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var batch = new RecordBatch
        {
            BaseTimestamp = now,
            ProducerId = producerId,
            ProducerEpoch = epoch,
            BaseSequence = firstSequence,
            IsTransactional = transactional,
        };
        for (var i = 0; i < count; i++)
        {
            batch.Records.Add(new PartnerZones.Protocol.Records.Record { OffsetDelta = i, Value = Encoding.UTF8.GetBytes($"{prefix}{firstSequence + i}") });
        }

        batch.UpdateSummaryFields();
        return batch.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
