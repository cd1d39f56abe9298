using System.Buffers.Binary;
using System.IO.Pipelines;
using PartnerZones.Protocol.Framing;

namespace PartnerZones.Protocol.Tests.Framing;

public sealed class KafkaFrameReaderTests
{
    private static byte[] Frame(byte[] body)
    {
        var frame = new byte[body.Length + 4];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    [Fact]
    public async Task Reads_consecutive_frames_and_null_at_clean_end()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frame([1, 2, 3]).Concat(Frame([4])).ToArray());
        await pipe.Writer.CompleteAsync();
        var reader = new KafkaFrameReader(pipe.Reader, 1024);

        using (var first = await reader.ReadAsync())
        {
            Assert.Equal([1, 2, 3], first!.Memory.ToArray());
        }

        using (var second = await reader.ReadAsync())
        {
            Assert.Equal([4], second!.Memory.ToArray());
        }

        Assert.Null(await reader.ReadAsync());
    }

    [Fact]
    public async Task Frame_arriving_in_small_pieces_is_assembled()
    {
        var body = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        var bytes = Frame(body);
        // A pipe that pauses its writer at 1 KiB: a reader that waited for the whole frame would deadlock.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512));
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < bytes.Length; i += 333)
            {
                await pipe.Writer.WriteAsync(bytes.AsMemory(i, Math.Min(333, bytes.Length - i)));
            }

            await pipe.Writer.CompleteAsync();
        });
        var reader = new KafkaFrameReader(pipe.Reader, 1 << 20);

        using var frame = await reader.ReadAsync();
        Assert.Equal(body, frame!.Memory.ToArray());
        await writing;
    }

    [Fact]
    public async Task Oversized_frame_is_refused_from_its_size_prefix_alone()
    {
        var pipe = new Pipe();
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(prefix, 350_000_000);
        await pipe.Writer.WriteAsync(prefix); // no body follows: the refusal must not wait for it
        var reader = new KafkaFrameReader(pipe.Reader, 512 * 1024);

        var error = await Assert.ThrowsAsync<FrameTooLargeException>(async () => await reader.ReadAsync());
        Assert.Equal(350_000_000, error.DeclaredSize);
        Assert.Contains("over the limit of 524288 bytes", error.Message);
    }

    [Fact]
    public async Task Negative_size_is_refused()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0xFF, 0xFF, 0xFF, 0xFE });
        var reader = new KafkaFrameReader(pipe.Reader, 1024);
        var error = await Assert.ThrowsAsync<FrameTooLargeException>(async () => await reader.ReadAsync());
        Assert.Contains("negative", error.Message);
    }

    [Fact]
    public async Task Stream_closed_inside_a_frame_is_an_end_of_stream_error()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frame([1, 2, 3, 4, 5]).AsMemory(0, 6));
        await pipe.Writer.CompleteAsync();
        var reader = new KafkaFrameReader(pipe.Reader, 1024);
        await Assert.ThrowsAsync<EndOfStreamException>(async () => await reader.ReadAsync());
    }

    [Fact]
    public async Task Limit_can_be_raised_after_authentication()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frame(new byte[2000]));
        var reader = new KafkaFrameReader(pipe.Reader, 1000) { MaxFrameSize = 4000 };
        using var frame = await reader.ReadAsync();
        Assert.Equal(2000, frame!.Length);
    }
}
