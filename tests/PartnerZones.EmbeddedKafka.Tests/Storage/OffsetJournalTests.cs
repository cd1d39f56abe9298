using PartnerZones.EmbeddedKafka.Groups;
using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>The committed-offsets journal replays commits, removals and group deletions, cuts a torn
/// tail, and stays small when the same offsets are committed over and over.</summary>
public sealed class OffsetJournalTests
{
    [Fact]
    public void Commits_removals_and_group_deletions_replay_after_reopening()
    {
        using var dir = new TempDirectory();
        var path = dir.Sub("offsets.log");
        using (var journal = OffsetJournal.Open(path, FlushPolicy.EveryAppend, null))
        {
            journal.Record("g1", ("orders", 0), new CommittedOffset(10, 3, "meta", 111));
            journal.Record("g1", ("orders", 1), new CommittedOffset(20, -1, null, 222));
            journal.Record("g1", ("orders", 0), new CommittedOffset(15, 4, "", 333));
            journal.Record("g2", ("orders", 0), new CommittedOffset(5, 0, null, 444));
            journal.Record("gone", ("x", 0), new CommittedOffset(1, 0, null, 555));
            journal.Remove("g1", ("orders", 1));
            journal.RemoveGroup("gone");
        }

        using var reopened = OffsetJournal.Open(path, FlushPolicy.EveryAppend, null);
        var groups = reopened.Snapshot().ToDictionary(g => g.Group, g => g.Offsets);
        Assert.Equal(["g1", "g2"], groups.Keys.Order());
        Assert.Equal(new CommittedOffset(15, 4, "", 333), Assert.Single(groups["g1"]).Value);
        Assert.Equal(new CommittedOffset(5, 0, null, 444), groups["g2"][("orders", 0)]);
    }

    [Fact]
    public void A_torn_last_record_is_cut_and_earlier_commits_survive()
    {
        using var dir = new TempDirectory();
        var path = dir.Sub("offsets.log");
        using (var journal = OffsetJournal.Open(path, FlushPolicy.Interval, null))
        {
            journal.Record("g", ("t", 0), new CommittedOffset(1, 0, null, 1));
            journal.Record("g", ("t", 1), new CommittedOffset(2, 0, null, 2));
        }

        var whole = new FileInfo(path).Length;
        using (var file = File.OpenWrite(path))
        {
            file.SetLength(whole - 3);
        }

        var reports = new List<string>();
        using (var reopened = OffsetJournal.Open(path, FlushPolicy.Interval, reports.Add))
        {
            var offsets = Assert.Single(reopened.Snapshot()).Offsets;
            Assert.Equal(new CommittedOffset(1, 0, null, 1), Assert.Single(offsets).Value);
            reopened.Record("g", ("t", 1), new CommittedOffset(3, 0, null, 3));
        }

        Assert.Contains(reports, r => r.Contains("cut off", StringComparison.Ordinal));
        using var again = OffsetJournal.Open(path, FlushPolicy.Interval, null);
        Assert.Equal(new CommittedOffset(3, 0, null, 3), Assert.Single(again.Snapshot()).Offsets[("t", 1)]);
    }

    [Fact]
    public void Repeated_commits_of_the_same_offsets_keep_the_file_small()
    {
        using var dir = new TempDirectory();
        var path = dir.Sub("offsets.log");
        using var journal = OffsetJournal.Open(path, FlushPolicy.Interval, null);
        for (var i = 0; i < 20_000; i++)
        {
            journal.Record("g", ("t", i % 4), new CommittedOffset(i, 0, null, i));
        }

        Assert.True(new FileInfo(path).Length < 200 * 1024, $"journal is {new FileInfo(path).Length} bytes");
        Assert.Equal(19_999, journal.Snapshot()[0].Offsets[("t", 3)].Offset);
    }

    [Fact]
    public void A_file_that_is_not_a_journal_is_refused_with_its_path()
    {
        using var dir = new TempDirectory();
        var path = dir.Sub("offsets.log");
        File.WriteAllText(path, "hello, world");
        var error = Assert.Throws<DataDirException>(() => OffsetJournal.Open(path, FlushPolicy.Interval, null));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
