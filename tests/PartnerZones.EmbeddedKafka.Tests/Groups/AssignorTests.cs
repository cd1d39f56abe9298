using PartnerZones.EmbeddedKafka.Groups;
using PartnerZones.EmbeddedKafka.State;

namespace PartnerZones.EmbeddedKafka.Tests.Groups;

/// <summary>The server-side assignors on their own: balance, stickiness, contiguous ranges, heterogeneous subscriptions.</summary>
public sealed class AssignorTests
{
    [Fact]
    public void Uniform_balances_and_keeps_partitions_with_their_owners_when_a_member_joins()
    {
        using var state = new ClusterState(1);
        var t = state.Create("t", 6, 1, new Dictionary<string, string>()).Topic!;
        var assignor = new UniformAssignor();

        var first = assignor.Assign([("a", [t]), ("b", [t])], new Dictionary<string, HashSet<TopicPartitionId>>());
        Assert.Equal([3, 3], first.Values.Select(p => p.Count));

        var second = assignor.Assign([("a", [t]), ("b", [t]), ("c", [t])], first);
        Assert.Equal([2, 2, 2], second.Values.Select(p => p.Count));
        Assert.True(second["a"].IsSubsetOf(first["a"]), "a lost a partition it could keep");
        Assert.True(second["b"].IsSubsetOf(first["b"]), "b lost a partition it could keep");
        Assert.Equal(6, second.Values.SelectMany(p => p).Distinct().Count());
    }

    [Fact]
    public void Uniform_gives_each_topic_only_to_its_subscribers()
    {
        using var state = new ClusterState(1);
        var t1 = state.Create("t1", 2, 1, new Dictionary<string, string>()).Topic!;
        var t2 = state.Create("t2", 4, 1, new Dictionary<string, string>()).Topic!;

        var assignment = new UniformAssignor().Assign([("a", [t1]), ("b", [t1, t2])], new Dictionary<string, HashSet<TopicPartitionId>>());
        Assert.All(assignment["a"], p => Assert.Equal(t1.Id, p.TopicId));
        Assert.Equal(6, assignment.Values.Sum(p => p.Count));
    }

    [Fact]
    public void Range_gives_contiguous_ranges_the_first_members_one_more()
    {
        using var state = new ClusterState(1);
        var t = state.Create("t", 5, 1, new Dictionary<string, string>()).Topic!;

        var assignment = new RangeAssignor().Assign([("a", [t]), ("b", [t])], new Dictionary<string, HashSet<TopicPartitionId>>());
        Assert.Equal([0, 1, 2], assignment["a"].Select(p => p.Partition).Order());
        Assert.Equal([3, 4], assignment["b"].Select(p => p.Partition).Order());
    }
}
