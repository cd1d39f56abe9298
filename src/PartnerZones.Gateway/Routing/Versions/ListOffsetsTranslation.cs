using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Versions;

/// <summary>ListOffsets v0 asks for up to MaxNumOffsets offsets and gets them as a list; v1 answers one offset.
/// The one offset is the first of the list Kafka 3.x gives for earliest, latest and timestamp lookups, and
/// clients ask for one; a request for none gets none.</summary>
internal sealed class ListOffsetsTranslation : VersionTranslation<ListOffsetsRequest, ListOffsetsResponse>
{
    protected override void Down(ListOffsetsRequest request, ListOffsetsResponse response, short clientVersion, object? state)
    {
        if (clientVersion > 0)
        {
            return;
        }

        var wanted = request.Topics
            .SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex, p.MaxNumOffsets)))
            .ToDictionary(p => (p.Name, p.PartitionIndex), p => p.MaxNumOffsets);
        foreach (var topic in response.Topics)
        {
            foreach (var partition in topic.Partitions)
            {
                var max = wanted.GetValueOrDefault((topic.Name, partition.PartitionIndex), 1);
                partition.OldStyleOffsets = partition.ErrorCode == 0 && partition.Offset >= 0 && max > 0 ? [partition.Offset] : [];
            }
        }
    }
}
