using System.Text.RegularExpressions;

namespace PartnerZones.EmbeddedKafka.State;

/// <summary>Topics of the whole cluster, shared by every node (one process, one truth).</summary>
internal sealed partial class ClusterState(int nodeCount)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, TopicState> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, TopicState> _byId = [];

    public int NodeCount { get; } = nodeCount;

    public TopicState? Find(string name)
    {
        lock (_lock)
        {
            return _byName.GetValueOrDefault(name);
        }
    }

    public TopicState? Find(Guid id)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    public List<TopicState> All()
    {
        lock (_lock)
        {
            return [.. _byName.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>Creates a topic; returns a Kafka error code and message (0 and null on success).</summary>
    public (short ErrorCode, string? Message, TopicState? Topic) Create(
        string name, int partitions, int replicationFactor, IReadOnlyDictionary<string, string> configs, bool validateOnly = false)
    {
        if (ValidateName(name) is { } problem)
        {
            return (ErrorCodes.InvalidTopicException, problem, null);
        }

        if (partitions < 1)
        {
            return (ErrorCodes.InvalidPartitions, $"Number of partitions must be at least 1, got {partitions}.", null);
        }

        if (replicationFactor < 1 || replicationFactor > NodeCount)
        {
            return (ErrorCodes.InvalidReplicationFactor,
                $"Replication factor {replicationFactor} is invalid: it must be between 1 and the number of nodes ({NodeCount}).", null);
        }

        lock (_lock)
        {
            if (_byName.ContainsKey(name))
            {
                return (ErrorCodes.TopicAlreadyExists, $"Topic '{name}' already exists.", null);
            }

            if (validateOnly)
            {
                return (0, null, null);
            }

            var topic = new TopicState(name, Guid.NewGuid(), configs);
            // Leaders rotate across nodes, starting at a per-topic offset, like Kafka's replica placement.
            var start = (int)((uint)StringComparer.Ordinal.GetHashCode(name) % (uint)NodeCount);
            for (var p = 0; p < partitions; p++)
            {
                var leader = (start + p) % NodeCount;
                var replicas = Enumerable.Range(0, replicationFactor).Select(r => (leader + r) % NodeCount).ToArray();
                topic.Partitions.Add(new PartitionState(topic, p, leader, replicas));
            }

            _byName[name] = topic;
            _byId[topic.Id] = topic;
            return (0, null, topic);
        }
    }

    /// <summary>Grows a topic to <paramref name="count"/> partitions (Kafka never shrinks one).</summary>
    public (short ErrorCode, string? Message) AddPartitions(string name, int count, bool validateOnly)
    {
        lock (_lock)
        {
            if (!_byName.TryGetValue(name, out var topic))
            {
                return (ErrorCodes.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
            }

            if (count <= topic.Partitions.Count)
            {
                return (ErrorCodes.InvalidPartitions,
                    $"Topic '{name}' has {topic.Partitions.Count} partitions; the new count must be larger, got {count}.");
            }

            if (!validateOnly)
            {
                var replicationFactor = topic.Partitions[0].Replicas.Length;
                for (var p = topic.Partitions.Count; p < count; p++)
                {
                    var leader = p % NodeCount;
                    topic.Partitions.Add(new PartitionState(topic, p, leader,
                        Enumerable.Range(0, replicationFactor).Select(r => (leader + r) % NodeCount).ToArray()));
                }
            }

            return (0, null);
        }
    }

    public bool Delete(string name)
    {
        lock (_lock)
        {
            if (!_byName.Remove(name, out var topic))
            {
                return false;
            }

            _byId.Remove(topic.Id);
            return true;
        }
    }

    /// <summary>Kafka's topic name rules: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".</summary>
    public static string? ValidateName(string name)
    {
        if (name.Length == 0)
        {
            return "Topic name is empty.";
        }

        if (name.Length > 249)
        {
            return $"Topic name is {name.Length} characters long; the limit is 249.";
        }

        if (name is "." or "..")
        {
            return $"Topic name cannot be '{name}'.";
        }

        return LegalName().IsMatch(name) ? null : $"Topic name '{name}' is illegal: use only ASCII letters, digits, '.', '_' and '-'.";
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]+$")]
    private static partial Regex LegalName();
}
