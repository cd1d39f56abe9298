using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records.Legacy;

namespace PartnerZones.Gateway.Routing.Versions;

/// <summary>Fetch v0-3 reads message sets: magic 0 for v0-1, magic 1 for v2-3. Record batches are
/// down-converted as a Kafka 3.x broker converts them (control batches and headers dropped, and the messages
/// of an uncompressed batch before the fetch offset left out: <see cref="MessageSetStart"/>); a batch that
/// cannot be represented (zstd) gives the partition Kafka's error for it. These versions have no isolation
/// level: they read uncommitted, as the codec's default for v4 asks.</summary>
internal sealed class FetchTranslation : VersionTranslation<FetchRequest, FetchResponse>
{
    protected override void Down(FetchRequest request, FetchResponse response, short clientVersion, object? state)
    {
        var magic = clientVersion <= 1 ? (byte)0 : (byte)1;
        var fetchOffsets = new Dictionary<(string Topic, int Partition), long>();
        foreach (var topic in request.Topics)
        {
            foreach (var partition in topic.Partitions)
            {
                fetchOffsets.TryAdd((topic.Topic, partition.Partition), partition.FetchOffset);
            }
        }

        foreach (var topic in response.Responses)
        {
            foreach (var partition in topic.Partitions)
            {
                if (partition.Records is not { Length: > 0 } records)
                {
                    continue;
                }

                try
                {
                    var messageSet = LegacyMessageSets.ToMessageSet(records.Span, magic);
                    partition.Records = fetchOffsets.TryGetValue((topic.Topic, partition.PartitionIndex), out var fetchOffset)
                        ? MessageSetStart.From(messageSet, fetchOffset)
                        : messageSet;
                }
                catch (LegacyRecordsException e)
                {
                    partition.ErrorCode = e.ErrorCode;
                    partition.Records = ReadOnlyMemory<byte>.Empty;
                }
            }
        }
    }
}
