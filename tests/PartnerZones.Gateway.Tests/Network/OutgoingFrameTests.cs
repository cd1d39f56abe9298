using System.Buffers.Binary;
using System.IO.Pipelines;
using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Gateway.Tests.Network;

/// <summary>
/// Responses reach the client's pipe with the right bytes and give back the upstream frames they slice
/// exactly once, whether written or dropped unsent. A narrow unit test over a real <see cref="Pipe"/>;
/// the sessions that use these are covered end to end by the client and verification tests.
/// </summary>
public sealed class OutgoingFrameTests
{
    [Fact]
    public async Task A_relayed_frame_carries_the_clients_correlation_id_and_the_upstream_body_unchanged()
    {
        // Upstream frame: correlation id 7, then a body.
        var upstreamBytes = new byte[] { 0, 0, 0, 7, 1, 2, 3, 4, 5 };
        var upstream = KafkaFrame.FromArray(upstreamBytes);
        var pipe = new Pipe();
        int length;
        using (var frame = OutgoingFrame.Relay(42, upstream))
        {
            length = frame.WriteTo(pipe.Writer);
        }

        await pipe.Writer.FlushAsync();
        await pipe.Writer.CompleteAsync();
        var written = await ReadAllAsync(pipe.Reader);
        Assert.Equal(13, length);
        Assert.Equal(new byte[] { 0, 0, 0, 9, 0, 0, 0, 42, 1, 2, 3, 4, 5 }, written);
        Assert.Throws<ObjectDisposedException>(() => upstream.Memory);
    }

    [Fact]
    public async Task An_encoded_response_matches_the_codec_and_releases_every_frame_it_slices_once()
    {
        var slices = new[] { KafkaFrame.FromArray([1, 2, 3]), KafkaFrame.FromArray([4, 5, 6]) };
        var response = new HeartbeatResponse { ErrorCode = 27 };
        var pipe = new Pipe();
        var frame = OutgoingFrame.Encode(5, 4, response, slices);
        var length = frame.WriteTo(pipe.Writer);
        frame.Dispose();
        frame.Dispose();

        await pipe.Writer.FlushAsync();
        await pipe.Writer.CompleteAsync();
        var written = await ReadAllAsync(pipe.Reader);
        using var expected = new KafkaWriter();
        FrameWriter.WriteResponse(expected, 5, 4, response);
        Assert.Equal(expected.WrittenSpan.ToArray(), written);
        Assert.Equal(written.Length, length);
        Assert.Equal(written.Length - 4, BinaryPrimitives.ReadInt32BigEndian(written));
        Assert.All(slices, s => Assert.Throws<ObjectDisposedException>(() => s.Memory));
        Assert.Throws<ObjectDisposedException>(() => frame.WriteTo(pipe.Writer));
    }

    [Fact]
    public void A_response_dropped_unsent_still_releases_its_upstream_frame()
    {
        var upstream = KafkaFrame.FromArray([0, 0, 0, 1, 9]);
        var relayed = OutgoingFrame.Relay(3, upstream);
        relayed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => upstream.Memory);

        var sliced = KafkaFrame.FromArray([1]);
        OutgoingFrame.Encode(3, 0, new HeartbeatResponse(), sliced).Dispose();
        Assert.Throws<ObjectDisposedException>(() => sliced.Memory);
    }

    private static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        using var buffer = new MemoryStream();
        while (true)
        {
            var result = await reader.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                buffer.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return buffer.ToArray();
            }
        }
    }
}
