using PartnerZones.EmbeddedKafka.State;
using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>Idempotent-producer state is rebuilt from the log when a data directory is loaded, so a batch
/// retried after a restart is recognised as a duplicate and a sequence gap is still refused.</summary>
public sealed class ProducerStateReloadTests
{
    [Fact]
    public void A_retried_batch_after_reload_is_a_duplicate_and_a_gap_is_refused()
    {
        using var dir = new TempDirectory();
        using (var dataDir = DataDirectory.Open(dir.Path, FlushPolicy.Interval))
        using (var state = new ClusterState(1, dataDir))
        {
            var (code, _, topic) = state.Create("payments", 1, 1, new Dictionary<string, string>());
            Assert.Equal(0, code);
            var partition = topic!.Partitions[0];
            partition.Log.Append(TestBatches.Values("plain", 2, 1));
            var first = partition.Log.Append(TestBatches.Make([("k", "a"), ("k", "b"), ("k", "c")], 1, producerId: 42, producerEpoch: 1, baseSequence: 0));
            var second = partition.Log.Append(TestBatches.Make([("k", "d"), ("k", "e")], 1, producerId: 42, producerEpoch: 1, baseSequence: 3));
            Assert.Equal((2L, 5L), (first, second));
        }

        using var reopenedDir = DataDirectory.Open(dir.Path, FlushPolicy.Interval);
        using var reloaded = ClusterState.Load(1, reopenedDir, null);
        var producers = reloaded.Find("payments")!.Partitions[0].Producers;
        Assert.Equal(new ProducerStateTable.Check(ErrorCodes.None, 5), producers.Validate(42, 1, 3, 1, isTransactional: false));
        Assert.Equal(new ProducerStateTable.Check(ErrorCodes.None, 2), producers.Validate(42, 1, 0, 2, isTransactional: false));
        Assert.Equal(new ProducerStateTable.Check(ErrorCodes.None, null), producers.Validate(42, 1, 5, 0, isTransactional: false));
        Assert.Equal(ErrorCodes.OutOfOrderSequenceNumber, producers.Validate(42, 1, 9, 0, isTransactional: false).ErrorCode);
        Assert.Equal(ErrorCodes.InvalidProducerEpoch, producers.Validate(42, 0, 5, 0, isTransactional: false).ErrorCode);
    }
}
