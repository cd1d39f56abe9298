using PartnerZones.EmbeddedKafka.Groups;

namespace PartnerZones.EmbeddedKafka.Transactions;

/// <summary>A decided transaction whose markers are still to be written: everything the writer needs,
/// copied out of the metadata so the coordinator's lock is not held while partitions are appended to.</summary>
internal sealed record TransactionOutcome(
    string TransactionalId,
    long ProducerId,
    short ProducerEpoch,
    bool Committed,
    List<(string Topic, int Partition)> Partitions,
    List<(string GroupId, Dictionary<(string Topic, int Partition), CommittedOffset> Offsets)> Offsets);
