using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>A data directory that cannot be used stops the start with a DataDirException naming the path
/// and the problem, and leaves nothing open: fixing the problem and starting again works.</summary>
public sealed class DataDirErrorTests
{
    [Fact]
    public async Task A_file_in_place_of_the_directory_is_refused_with_its_path()
    {
        using var dir = new TempDirectory();
        var path = dir.Sub("notes.txt");
        await File.WriteAllTextAsync(path, "not a directory");
        var error = await Assert.ThrowsAsync<DataDirException>(() => EmbeddedCluster.StartAsync(new ClusterOptions { DataDir = path }));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("is a file, not a directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_in_use_by_a_running_cluster_is_refused_until_that_cluster_stops()
    {
        using var dir = new TempDirectory();
        var options = new ClusterOptions { DataDir = dir.Path };
        var first = await EmbeddedCluster.StartAsync(options);
        var error = await Assert.ThrowsAsync<DataDirException>(() => EmbeddedCluster.StartAsync(options));
        Assert.Contains(dir.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("in use by another embedded cluster", error.Message, StringComparison.Ordinal);

        await first.DisposeAsync();
        await using var second = await EmbeddedCluster.StartAsync(options);
        Assert.NotEmpty(second.BootstrapServers);
    }

    [Fact]
    public async Task An_unreadable_topics_file_is_refused_with_its_path_and_the_directory_is_released()
    {
        using var dir = new TempDirectory();
        var options = new ClusterOptions { DataDir = dir.Path };
        await using (var cluster = await EmbeddedCluster.StartAsync(options))
        {
            await Clients.CreateTopicAsync(cluster, "kept", 1);
        }

        var topics = Path.Combine(dir.Path, DataDirectory.TopicsFile);
        var good = await File.ReadAllTextAsync(topics);
        await File.WriteAllTextAsync(topics, good[..(good.Length / 2)]);
        var error = await Assert.ThrowsAsync<DataDirException>(() => EmbeddedCluster.StartAsync(options));
        Assert.Contains(topics, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a valid topics file", error.Message, StringComparison.Ordinal);

        await File.WriteAllTextAsync(topics, good);
        await using var restarted = await EmbeddedCluster.StartAsync(options);
        Assert.NotNull(restarted.State.Find("kept"));
    }

    [Fact]
    public async Task The_exception_is_an_IOException_so_callers_reporting_data_directory_IO_errors_catch_it()
    {
        using var dir = new TempDirectory();
        var path = dir.Sub("file");
        await File.WriteAllTextAsync(path, "x");
        var error = await Assert.ThrowsAnyAsync<IOException>(() => EmbeddedCluster.StartAsync(new ClusterOptions { DataDir = path }));
        Assert.IsType<DataDirException>(error);
        Assert.Equal(Path.GetFullPath(path), ((DataDirException)error).Path);
    }
}
