using System.Collections;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Tests.Malformed;

namespace PartnerZones.Protocol.Tests.Primitives;

/// <summary>
/// Tagged fields the codec does not know (KIP-482) are kept as raw bytes in <c>UnknownTaggedFields</c> and
/// written back unchanged, so a newer client's extension passes through the gateway byte for byte.
/// </summary>
public sealed class UnknownTaggedFieldTests
{
    [Fact]
    public void ApiVersionsRequest_v3_keeps_an_unknown_tag_7()
    {
        // ClientSoftwareName "pz", ClientSoftwareVersion "1.0", one tagged field: tag 7, 3 bytes.
        var frame = Convert.FromHexString("03707A" + "04312E30" + "01" + "0703AABBCC");
        var reader = new KafkaReader(frame);
        var message = new ApiVersionsRequest();
        message.Read(ref reader, 3);
        Assert.True(reader.End);

        Assert.Equal("pz", message.ClientSoftwareName);
        Assert.Equal("1.0", message.ClientSoftwareVersion);
        var field = Assert.Single(message.UnknownTaggedFields!);
        Assert.Equal(7, field.Tag);
        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC }, field.Data.ToArray());
        Assert.Equal(frame, message.Encode(3));
    }

    [Fact]
    public void Several_unknown_tags_with_multi_byte_numbers_and_empty_data_survive_in_order()
    {
        // Tag 7 with one byte, tag 40000 (varint C0 B8 02) with no data, tag 2^31-1 with two bytes.
        var frame = Convert.FromHexString("0261" + "0262" + "03" + "0701AA" + "C0B80200" + "FFFFFFFF07020102");
        var message = MessageCodec.Decode<ApiVersionsRequest>(frame, 4);
        Assert.Equal([7, 40000, int.MaxValue], message.UnknownTaggedFields!.Select(f => f.Tag));
        Assert.Equal(0, message.UnknownTaggedFields![1].Data.Length);
        Assert.Equal(frame, message.Encode(4));
    }

    [Fact]
    public void Unknown_tags_sit_between_known_tags_and_survive_byte_for_byte()
    {
        // ApiVersionsResponse v3: ErrorCode 0, no ApiKeys, ThrottleTimeMs 0, then tags 1 (known, int64 5),
        // 3 (known, bool true) and 9 (unknown, DE AD).
        var frame = Convert.FromHexString("0000" + "01" + "00000000" + "03" + "01080000000000000005" + "030101" + "0902DEAD");
        var message = MessageCodec.Decode<ApiVersionsResponse>(frame, 3);
        Assert.Equal(5, message.FinalizedFeaturesEpoch);
        Assert.True(message.ZkMigrationReady);
        var unknown = Assert.Single(message.UnknownTaggedFields!);
        Assert.Equal(9, unknown.Tag);
        Assert.Equal(new byte[] { 0xDE, 0xAD }, unknown.Data.ToArray());
        Assert.Equal(frame, message.Encode(3));
    }

    [Fact]
    public void Unknown_tags_on_nested_structs_survive()
    {
        // ApiVersionsResponse v3 with one ApiVersion (key 18, 0-4) that carries unknown tag 5.
        var frame = Convert.FromHexString("0000" + "02" + "001200000004" + "010501FF" + "00000000" + "00");
        var message = MessageCodec.Decode<ApiVersionsResponse>(frame, 3);
        var key = Assert.Single(message.ApiKeys);
        var unknown = Assert.Single(key.UnknownTaggedFields!);
        Assert.Equal(5, unknown.Tag);
        Assert.Equal(new byte[] { 0xFF }, unknown.Data.ToArray());
        Assert.Null(message.UnknownTaggedFields);
        Assert.Equal(frame, message.Encode(3));
    }

    [Fact]
    public void Unknown_tagged_data_is_a_slice_of_the_frame()
    {
        var frame = Convert.FromHexString("0261" + "0262" + "01" + "0703AABBCC");
        var message = MessageCodec.Decode<ApiVersionsRequest>(frame, 3);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(message.UnknownTaggedFields![0].Data, out var segment));
        Assert.Same(frame, segment.Array);
        Assert.Equal(7, segment.Offset);
    }

    [Theory]
    [MemberData(nameof(Decoding.EveryApiVersionAndDirection), MemberType = typeof(Decoding))]
    public void Unknown_tags_on_every_struct_of_every_message_survive_decode_and_encode(short apiKey, short version, bool request)
    {
        var c = Decoding.CaseOf(apiKey, version, request);
        for (var seed = 0; seed < 4; seed++)
        {
            var message = c.Random(seed, out var plain);
            var structs = Structs(message);
            for (var i = 0; i < structs.Count; i++)
            {
                SetUnknown(structs[i], [new TaggedField(10_000 + i, new byte[] { (byte)i, 0x5A }), new TaggedField(20_000 + i, ReadOnlyMemory<byte>.Empty)]);
            }

            var frame = message.Encode(version);
            if (!c.Flexible)
            {
                Assert.Equal(plain, frame); // classic versions have no tagged fields: nothing is written
                continue;
            }

            Assert.True(frame.Length > plain.Length);
            var reader = new KafkaReader(frame);
            var decoded = c.NewMessage();
            decoded.Read(ref reader, version);
            Assert.True(reader.End);

            var decodedStructs = Structs(decoded);
            Assert.Equal(structs.Count, decodedStructs.Count);
            for (var i = 0; i < structs.Count; i++)
            {
                var unknown = GetUnknown(decodedStructs[i]);
                Assert.True(unknown is { Count: 2 }, $"{c} seed {seed}: {decodedStructs[i].GetType().Name} #{i} lost its unknown tagged fields");
                Assert.Equal(10_000 + i, unknown![0].Tag);
                Assert.Equal(new byte[] { (byte)i, 0x5A }, unknown[0].Data.ToArray());
                Assert.Equal(20_000 + i, unknown[1].Tag);
                Assert.True(unknown[1].Data.IsEmpty);
            }

            Assert.Equal(frame, decoded.Encode(version));
        }
    }

    /// <summary>The message and every struct below it, in a fixed order.</summary>
    private static List<object> Structs(object root)
    {
        var result = new List<object> { root };
        foreach (var (owner, prop) in FieldLocator.Slots(root))
        {
            var value = prop.GetValue(owner);
            if (value is null)
            {
                continue;
            }

            if (FieldLocator.IsStruct(prop.PropertyType))
            {
                result.Add(value);
            }
            else if (FieldLocator.ListElement(prop.PropertyType) is { } element && FieldLocator.IsStruct(element))
            {
                result.AddRange(((IList)value).Cast<object>());
            }
        }

        return result;
    }

    private static void SetUnknown(object node, List<TaggedField> fields) =>
        node.GetType().GetProperty("UnknownTaggedFields")!.SetValue(node, fields);

    private static List<TaggedField>? GetUnknown(object node) =>
        (List<TaggedField>?)node.GetType().GetProperty("UnknownTaggedFields")!.GetValue(node);
}
