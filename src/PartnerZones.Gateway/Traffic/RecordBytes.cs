using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Traffic;

/// <summary>The record bytes a zone's rates count: what a Produce request carries to its topics and what a
/// Fetch response carries back, as Kafka's produce and fetch quotas count them. Lengths only; records are
/// never decoded.</summary>
internal static class RecordBytes
{
    public static long Of(IEnumerable<ProduceRequest.TopicProduceData> topics)
    {
        long bytes = 0;
        foreach (var topic in topics)
        {
            foreach (var partition in topic.PartitionData)
            {
                bytes += partition.Records?.Length ?? 0;
            }
        }

        return bytes;
    }

    public static long Of(FetchResponse response)
    {
        long bytes = 0;
        foreach (var topic in response.Responses)
        {
            foreach (var partition in topic.Partitions)
            {
                bytes += partition.Records?.Length ?? 0;
            }
        }

        return bytes;
    }
}
