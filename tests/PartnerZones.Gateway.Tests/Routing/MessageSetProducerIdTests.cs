using System.Buffers.Binary;
using PartnerZones.Gateway.Routing.Zone.Handlers;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Gateway.Tests.Routing;

/// <summary>
/// Produce v0-2 carries message sets of magic 0 and 1, which have no producer id and are shorter than a
/// magic-2 batch header. The check for idempotent batches (two WRITE aliases of one topic) steps over
/// them by their length instead of taking them for broken batches, and still finds a producer id in a
/// magic-2 batch after them. The record bytes themselves are forwarded untouched either way.
/// </summary>
public sealed class MessageSetProducerIdTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Old_message_sets_have_no_producer_id(byte magic)
    {
        var records = Concat(OldMessage(magic, "a"), OldMessage(magic, "bb"), OldMessage(magic, ""));
        Assert.False(ProduceHandler.AnyProducerId(records));
    }

    [Fact]
    public void A_magic_2_batch_after_old_messages_is_still_read()
    {
        Assert.True(ProduceHandler.AnyProducerId(Concat(OldMessage(1, "a"), Batch(producerId: 42))));
        Assert.False(ProduceHandler.AnyProducerId(Concat(OldMessage(1, "a"), Batch(producerId: -1))));
    }

    [Fact]
    public void A_cut_off_entry_is_left_for_the_upstream_to_judge()
    {
        var records = OldMessage(1, "value");
        Assert.False(ProduceHandler.AnyProducerId(records.AsSpan(0, records.Length - 3)));
    }

    /// <summary>One message of a magic 0 or 1 message set: offset, size, CRC, magic, attributes, a
    /// timestamp (magic 1 only), a null key and the value. The CRC is not checked here.</summary>
    private static byte[] OldMessage(byte magic, string value)
    {
        var body = new List<byte>();
        body.AddRange(new byte[4]); // CRC
        body.Add(magic);
        body.Add(0); // attributes
        if (magic == 1)
        {
            body.AddRange(new byte[8]); // timestamp
        }

        body.AddRange(Int32(-1)); // null key
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        body.AddRange(Int32(bytes.Length));
        body.AddRange(bytes);
        return [.. new byte[8], .. Int32(body.Count), .. body];
    }

    private static byte[] Batch(long producerId)
    {
        var batch = new RecordBatch
        {
            ProducerId = producerId,
            ProducerEpoch = producerId >= 0 ? (short)0 : (short)-1,
            BaseSequence = producerId >= 0 ? 0 : -1,
            Records = [new Protocol.Records.Record { Value = "v"u8.ToArray() }],
        };
        batch.UpdateSummaryFields();
        return batch.ToArray();
    }

    private static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
