using Confluent.Kafka;

namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>
/// Everything in a data directory is owner-only: directories 0700 and files 0600 (the lock, topics.json,
/// the committed-offsets journal, segments, indexes and log-start files), whatever the process umask;
/// a directory an older version left 0755/0644 is tightened when a cluster opens it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileModeTests
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerDirectory = OwnerFile | UnixFileMode.UserExecute;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_new_data_directory_and_everything_in_it_are_owner_only()
    {
        using var dir = new TempDirectory();
        var data = dir.Sub(Path.Combine("made-by-cluster", "data"));
        await using (var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { DataDir = data }))
        {
            await WriteSomethingAsync(cluster);
            AssertOwnerOnly(data, expectedFiles: 5);
        }

        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(Path.GetDirectoryName(data)!));
        AssertOwnerOnly(data, expectedFiles: 5);
    }

    [Fact]
    public async Task An_older_data_directory_readable_by_others_is_tightened_on_open()
    {
        using var dir = new TempDirectory();
        var data = dir.Sub("data");
        await using (var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { DataDir = data }))
        {
            await WriteSomethingAsync(cluster);
        }

        foreach (var path in Directory.EnumerateFileSystemEntries(data, "*", SearchOption.AllDirectories).Append(data))
        {
            File.SetUnixFileMode(path, Directory.Exists(path) ? OwnerDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                : OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        await using (var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { DataDir = data }))
        {
            Assert.NotNull(cluster.State.Find("modes"));
            AssertOwnerOnly(data, expectedFiles: 5);
        }
    }

    private static async Task WriteSomethingAsync(EmbeddedCluster cluster)
    {
        await Clients.CreateTopicAsync(cluster, "modes", partitions: 1);
        using (var producer = new ProducerBuilder<string, string>(Clients.Producer(cluster)).Build())
        {
            await producer.ProduceAsync("modes", new Message<string, string> { Key = "k", Value = "secret-ish" }).WaitAsync(Wait);
        }

        using var committer = new ConsumerBuilder<string, string>(Clients.Consumer(cluster, "readers")).Build();
        committer.Commit([new TopicPartitionOffset("modes", 0, 1)]);
    }

    private static void AssertOwnerOnly(string root, int expectedFiles)
    {
        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(root));
        var files = 0;
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            var isDirectory = Directory.Exists(path);
            files += isDirectory ? 0 : 1;
            Assert.True(File.GetUnixFileMode(path) == (isDirectory ? OwnerDirectory : OwnerFile), $"{path} is {File.GetUnixFileMode(path)}");
        }

        Assert.True(files >= expectedFiles, $"expected at least {expectedFiles} files under {root}, found {files}");
    }
}
