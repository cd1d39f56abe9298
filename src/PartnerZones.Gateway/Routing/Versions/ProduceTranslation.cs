using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records.Legacy;

namespace PartnerZones.Gateway.Routing.Versions;

/// <summary>Produce v0-2 carries message sets (magic 0 and 1); v3 and later carry record batches (magic 2).
/// The message sets are up-converted as a Kafka 3.x broker converts them on append. A partition whose
/// message set is malformed is answered here with Kafka's error for it and not sent upstream.</summary>
internal sealed class ProduceTranslation : VersionTranslation<ProduceRequest, ProduceResponse>
{
    protected override object? Up(ProduceRequest request, short clientVersion)
    {
        List<(string Topic, int Partition, short Error)>? refused = null;
        foreach (var topic in request.TopicData)
        {
            topic.PartitionData.RemoveAll(partition =>
            {
                if (partition.Records is not { Length: > 0 } records || LegacyMessageSets.MagicOf(records.Span) >= 2)
                {
                    return false;
                }

                try
                {
                    partition.Records = LegacyMessageSets.ToRecordBatches(records.Span);
                    return false;
                }
                catch (LegacyRecordsException e)
                {
                    (refused ??= []).Add((topic.Name, partition.Index, e.ErrorCode));
                    return true;
                }
            });
        }

        request.TopicData.RemoveAll(t => t.PartitionData.Count == 0);
        return refused;
    }

    protected override void Down(ProduceRequest request, ProduceResponse response, short clientVersion, object? state)
    {
        if (state is not List<(string Topic, int Partition, short Error)> refused)
        {
            return;
        }

        foreach (var (topic, partition, error) in refused)
        {
            var answer = response.Responses.FirstOrDefault(r => r.Name == topic);
            if (answer is null)
            {
                answer = new ProduceResponse.TopicProduceResponse { Name = topic };
                response.Responses.Add(answer);
            }

            answer.PartitionResponses.Add(new ProduceResponse.PartitionProduceResponse { Index = partition, ErrorCode = error, BaseOffset = -1 });
        }
    }
}
