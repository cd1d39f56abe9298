using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Tests.Golden;

/// <summary>The walker behind the tagged-field golden test must see tags at any depth, or that test proves nothing.</summary>
public sealed class UnknownTaggedFieldsTests
{
    [Fact]
    public void Finds_unknown_tags_at_the_top_and_inside_nested_arrays()
    {
        var request = new FetchRequest
        {
            UnknownTaggedFields = [new TaggedField(7, new byte[] { 1 })],
            Topics =
            [
                new FetchRequest.FetchTopic { Topic = "a" },
                new FetchRequest.FetchTopic
                {
                    Topic = "b",
                    Partitions = [new FetchRequest.FetchPartition { UnknownTaggedFields = [new TaggedField(9, ReadOnlyMemory<byte>.Empty)] }],
                },
            ],
        };

        Assert.Equal(["FetchRequest.Topics[1].Partitions[0]: tags 9", "FetchRequest: tags 7"], UnknownTaggedFields.In(request).Order(StringComparer.Ordinal));
        Assert.Empty(UnknownTaggedFields.In(new FetchRequest { Topics = [new FetchRequest.FetchTopic()] }));
    }
}
