using System.Globalization;
using Xunit;

namespace PartnerZones.Testing.ProcessClients;

/// <summary>What every test expects of the records that went through the cluster.</summary>
public static class RecordChecks
{
    /// <summary>Keys every producer in these tests uses: enough distinct keys that every partition, and
    /// so every node, gets records.</summary>
    public const int KeyCount = 20;

    public static string Key(int i) => $"k{i % KeyCount}";

    public static string Value(string prefix, int i) => $"{prefix}-{i}";

    /// <summary>Exactly <paramref name="prefix"/>-0 .. -(count-1), each once; each partition read from
    /// offset 0 without gaps; each key in one partition, in produce order.</summary>
    public static void AssertComplete(IReadOnlyCollection<ClientRecord> records, string prefix, int count)
    {
        var expected = Enumerable.Range(0, count).Select(i => Value(prefix, i)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, records.Select(r => r.Value).Order(StringComparer.Ordinal));

        foreach (var partition in records.GroupBy(r => r.Partition))
        {
            var offsets = partition.Select(r => r.Offset).ToList();
            Assert.Equal(Enumerable.Range(0, offsets.Count).Select(o => (long)o), offsets);
        }

        foreach (var key in records.GroupBy(r => r.Key))
        {
            Assert.Single(key.Select(r => r.Partition).Distinct());
            var sequence = key.Select(r => int.Parse(r.Value[(prefix.Length + 1)..], CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(sequence.Order(), sequence);
            Assert.All(key, r => Assert.Equal(key.Key, Key(int.Parse(r.Value[(prefix.Length + 1)..], CultureInfo.InvariantCulture))));
        }
    }

    /// <summary>The records landed on partitions led by every node: the client sent each batch to
    /// the partition's leader (a node refuses partitions it does not lead).</summary>
    public static void AssertEveryNodeLed(IReadOnlyCollection<ClientRecord> records, IReadOnlyDictionary<int, int> leaders, int nodes)
    {
        var nodesUsed = records.Select(r => leaders[r.Partition]).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(0, nodes), nodesUsed);
    }
}
