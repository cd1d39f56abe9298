namespace PartnerZones.EmbeddedKafka.Groups;

/// <summary>A partition as the consumer group protocol names it: by topic id, so a topic deleted and created
/// again under the same name is a different partition.</summary>
internal readonly record struct TopicPartitionId(Guid TopicId, int Partition);
