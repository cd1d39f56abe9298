using PartnerZones.Protocol.Records;
using System.Text.RegularExpressions;
using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.State;

/// <summary>
/// Topics of the whole cluster, shared by every node (one process, one truth). With a data directory,
/// topic metadata is written to topics.json on every change and partition logs live in segment files;
/// <see cref="Load"/> brings both back.
/// </summary>
internal sealed partial class ClusterState : IDisposable
{
    // KAFKA_STORAGE_ERROR: the data directory failed while creating a topic's files.
    private const short KafkaStorageError = 56;

    private readonly object _lock = new();
    private readonly Dictionary<string, TopicState> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, TopicState> _byId = [];
    private readonly DataDirectory? _dataDir;
    private readonly Action<string>? _report;

    public ClusterState(int nodeCount, DataDirectory? dataDir = null, Action<string>? report = null)
    {
        NodeCount = nodeCount;
        _dataDir = dataDir;
        _report = report;
    }

    public int NodeCount { get; }

    /// <summary>
    /// The topics recorded in <paramref name="dataDir"/>, with their logs opened and checked (a torn tail
    /// is cut, see <see cref="FileSegmentStore.Load"/>) and idempotent-producer state rebuilt from every
    /// batch. Leaders and replicas on nodes this cluster no longer has move to nodes it has. Directories
    /// of topics the metadata does not list (a crash during a create or delete) are removed.
    /// </summary>
    public static ClusterState Load(int nodeCount, DataDirectory dataDir, Action<string>? report)
    {
        var state = new ClusterState(nodeCount, dataDir, report);
        var stored = TopicMetadataFile.Read(dataDir.TopicsPath);
        var moved = false;
        try
        {
            foreach (var entry in stored)
            {
                var topic = new TopicState(entry.Name, entry.Id, entry.Configs ?? []);
                var config = LogConfig.From(topic);
                foreach (var p in entry.Partitions.OrderBy(p => p.Index))
                {
                    var leader = p.Leader;
                    var replicas = p.Replicas ?? [];
                    if (leader < 0 || leader >= nodeCount || replicas.Length == 0 || replicas.Any(r => r < 0 || r >= nodeCount))
                    {
                        leader = p.Index % nodeCount;
                        replicas = Replicas(leader, Math.Clamp(replicas.Length, 1, nodeCount), nodeCount);
                        moved = true;
                    }

                    var producers = new ProducerStateTable();
                    var log = PartitionLog.Open(
                        dataDir.PartitionStore(topic.Id, p.Index), config, batch => state.RecordProducer(producers, batch),
                        problem => report?.Invoke($"topic '{topic.Name}' partition {p.Index}: {problem}"));
                    topic.Partitions.Add(new PartitionState(topic, p.Index, leader, replicas, log, producers));
                }

                state._byName[topic.Name] = topic;
                state._byId[topic.Id] = topic;
            }

            foreach (var (id, path) in dataDir.TopicDirectories())
            {
                if (!state._byId.ContainsKey(id))
                {
                    report?.Invoke($"{path}: no topic has id {id:N}; removing its leftover data");
                    Directory.Delete(path, recursive: true);
                }
            }

            if (moved)
            {
                report?.Invoke($"partitions led by nodes beyond the {nodeCount} this cluster has were moved to its nodes");
                state.SaveTopics();
            }
        }
        catch
        {
            state.Dispose();
            throw;
        }

        return state;
    }

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
            try
            {
                // Leaders rotate across nodes, starting at a per-topic offset, like Kafka's replica placement.
                var start = (int)((uint)StringComparer.Ordinal.GetHashCode(name) % (uint)NodeCount);
                for (var p = 0; p < partitions; p++)
                {
                    var leader = (start + p) % NodeCount;
                    topic.Partitions.Add(NewPartition(topic, p, leader, Replicas(leader, replicationFactor, NodeCount)));
                }

                _byName[name] = topic;
                _byId[topic.Id] = topic;
                SaveTopics();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _byName.Remove(name);
                _byId.Remove(topic.Id);
                DeleteLogs(topic.Partitions);
                return (KafkaStorageError, $"Topic '{name}' could not be stored in the data directory: {e.Message}", null);
            }

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
                var added = new List<PartitionState>();
                try
                {
                    for (var p = topic.Partitions.Count; p < count; p++)
                    {
                        var leader = p % NodeCount;
                        added.Add(NewPartition(topic, p, leader, Replicas(leader, replicationFactor, NodeCount)));
                    }

                    topic.Partitions.AddRange(added);
                    SaveTopics();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    topic.Partitions.RemoveAll(added.Contains);
                    DeleteLogs(added);
                    return (KafkaStorageError, $"New partitions of topic '{name}' could not be stored in the data directory: {e.Message}");
                }
            }

            return (0, null);
        }
    }

    public bool Delete(string name)
    {
        TopicState? topic;
        lock (_lock)
        {
            if (!_byName.Remove(name, out topic))
            {
                return false;
            }

            _byId.Remove(topic.Id);

            // Metadata first: a crash before the files go leaves only unlisted files, which Load removes.
            SaveTopics();
        }

        // Outside the lock: closing a log waits for a compaction pass in progress on it.
        DeleteLogs(topic.Partitions);
        if (_dataDir is not null && Directory.Exists(_dataDir.TopicPath(topic.Id)))
        {
            Directory.Delete(_dataDir.TopicPath(topic.Id), recursive: true);
        }

        return true;
    }

    /// <summary>Writes topics.json again (a topic or its configs changed); no-op in memory.</summary>
    public void SaveTopics()
    {
        if (_dataDir is null)
        {
            return;
        }

        lock (_lock)
        {
            var topics = _byName.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => new StoredTopic(
                t.Name, t.Id, new Dictionary<string, string>(t.Configs, StringComparer.Ordinal),
                [.. t.Partitions.Select(p => new StoredPartition(p.Index, p.Leader, p.Replicas))])).ToList();
            TopicMetadataFile.Write(_dataDir.TopicsPath, topics);
        }
    }

    /// <summary>Fsyncs every partition log (the flush timer).</summary>
    public void Flush()
    {
        foreach (var partition in AllPartitions())
        {
            partition.Log.Flush();
        }
    }

    /// <summary>Retention and compaction of every partition; one partition failing does not stop the others.</summary>
    public void RunCleanup(long nowMs)
    {
        foreach (var partition in AllPartitions())
        {
            try
            {
                partition.Log.RunCleanup(nowMs);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _report?.Invoke($"log cleanup of topic '{partition.Topic.Name}' partition {partition.Index} failed: {e.Message}");
            }
        }
    }

    /// <summary>Flushes and closes every log (clean shutdown).</summary>
    public void Dispose()
    {
        foreach (var partition in AllPartitions())
        {
            partition.Log.Dispose();
        }
    }

    private List<PartitionState> AllPartitions()
    {
        lock (_lock)
        {
            return [.. _byName.Values.SelectMany(t => t.Partitions)];
        }
    }

    private PartitionState NewPartition(TopicState topic, int index, int leader, int[] replicas)
    {
        var config = LogConfig.From(topic);
        var log = _dataDir is null
            ? new PartitionLog(config)
            : PartitionLog.Open(_dataDir.PartitionStore(topic.Id, index), config);
        return new PartitionState(topic, index, leader, replicas, log);
    }

    private static void DeleteLogs(IEnumerable<PartitionState> partitions)
    {
        foreach (var partition in partitions)
        {
            partition.Log.DeleteAll();
        }
    }

    private static int[] Replicas(int leader, int replicationFactor, int nodeCount) =>
        [.. Enumerable.Range(0, replicationFactor).Select(r => (leader + r) % nodeCount)];

    /// <summary>The highest producer id in any batch the logs held when the cluster was loaded (-1 when none):
    /// new producer ids must start above it.</summary>
    public long HighestLoadedProducerId { get; private set; } = -1;

    /// <summary>Replays one loaded batch into the partition's idempotent-producer state.</summary>
    private void RecordProducer(ProducerStateTable producers, ReadOnlySpan<byte> batch)
    {
        var header = RecordBatchHeader.Read(batch);
        if (header.ProducerId < 0)
        {
            return;
        }

        HighestLoadedProducerId = Math.Max(HighestLoadedProducerId, header.ProducerId);
        if (header.IsControl)
        {
            // A transaction marker ends the producer's open transaction (commit, or abort with its range).
            var marker = RecordBatch.Decode(batch.ToArray()).Records.Select(EndTransactionMarker.Read).FirstOrDefault();
            producers.RecordMarker(header.ProducerId, header.ProducerEpoch, marker.Type == ControlRecordType.Commit, header.BaseOffset, marker.CoordinatorEpoch, header.MaxTimestamp);
            return;
        }

        producers.Record(header.ProducerId, header.ProducerEpoch, header.BaseSequence, header.LastOffsetDelta, header.BaseOffset, header.MaxTimestamp, header.IsTransactional);
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

    [GeneratedRegex(@"\A[a-zA-Z0-9._-]+\z")] // \z, not $: $ also matches before a final newline
    private static partial Regex LegalName();
}
