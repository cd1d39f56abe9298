using System.Globalization;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>
/// The layout of a cluster's data directory, held for the cluster's lifetime:
/// <code>
/// .lock                      held open (exclusive) while a cluster uses the directory
/// topics.json                every topic: name, id, configs, partitions with leader and replicas
/// committed-offsets.log      journal of committed offsets (see OffsetJournal)
/// logs/&lt;topic id&gt;/&lt;partition&gt;/  segment files and log-start-offset of one partition
/// </code>
/// Directories are 0700 and files 0600 (<see cref="OwnerOnly"/>).
/// Partition directories are named by topic id, not name, so deleting and re-creating a topic never
/// mixes their data, and names of up to 249 characters never meet file-name limits.
/// </summary>
internal sealed class DataDirectory : IDisposable
{
    public const string LockFile = ".lock";
    public const string TopicsFile = "topics.json";
    public const string OffsetsFile = "committed-offsets.log";
    public const string ConsumerGroupsFile = "consumer-groups.json";
    public const string LogsFolder = "logs";

    private readonly FileStream _lock;

    private DataDirectory(string root, FlushPolicy policy, FileStream lockStream)
    {
        Root = root;
        Policy = policy;
        _lock = lockStream;
    }

    public string Root { get; }

    public FlushPolicy Policy { get; }

    public string TopicsPath => Path.Combine(Root, TopicsFile);

    public string OffsetsPath => Path.Combine(Root, OffsetsFile);

    public string ConsumerGroupsPath => Path.Combine(Root, ConsumerGroupsFile);

    public string LogsPath => Path.Combine(Root, LogsFolder);

    /// <summary>Creates the directory when missing, proves it can be written and takes its lock. Every
    /// failure is a <see cref="DataDirException"/> naming the path and the problem.</summary>
    public static DataDirectory Open(string path, FlushPolicy policy)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new DataDirException(path, "is an empty path; give a directory path");
        }

        string root;
        try
        {
            root = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new DataDirException(path, $"is not a usable path ({e.Message})", e);
        }

        if (File.Exists(root))
        {
            throw new DataDirException(root, "is a file, not a directory; give a directory path");
        }

        try
        {
            // Owner-only (0700), also when an older version or the user made them with other modes.
            OwnerOnly.Directory(root);
            OwnerOnly.Directory(Path.Combine(root, LogsFolder));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataDirException(root, $"cannot be created ({e.Message}); check the parent directory's permissions", e);
        }

        var lockPath = Path.Combine(root, LockFile);
        FileStream lockStream;
        try
        {
            lockStream = new FileStream(lockPath, OwnerOnly.StreamOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataDirException(root, $"is not writable ({e.Message}); fix its permissions or choose another directory", e);
        }
        catch (IOException e)
        {
            throw new DataDirException(root, $"is in use by another embedded cluster (its lock file '{lockPath}' is held); stop that cluster or choose another directory", e);
        }

        try
        {
            OwnerOnly.Tighten(lockPath);
            OwnerOnly.TightenTree(root);
            var probe = Path.Combine(root, $".write-check-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lockStream.Dispose();
            throw new DataDirException(root, $"is not writable ({e.Message}); fix its permissions or choose another directory", e);
        }

        return new DataDirectory(root, policy, lockStream);
    }

    public string TopicPath(Guid topicId) => Path.Combine(LogsPath, topicId.ToString("N"));

    public FileSegmentStore PartitionStore(Guid topicId, int partition) =>
        new(Path.Combine(TopicPath(topicId), partition.ToString(CultureInfo.InvariantCulture)), Policy);

    /// <summary>Topic ids that have a directory under logs/.</summary>
    public List<(Guid Id, string Path)> TopicDirectories()
    {
        var result = new List<(Guid, string)>();
        foreach (var directory in Directory.EnumerateDirectories(LogsPath))
        {
            if (Guid.TryParseExact(Path.GetFileName(directory), "N", out var id))
            {
                result.Add((id, directory));
            }
        }

        return result;
    }

    /// <summary>Releases the lock; the files stay.</summary>
    public void Dispose() => _lock.Dispose();
}
