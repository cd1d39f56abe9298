namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>
/// The data directory cannot be used: it is not a directory, cannot be created, read or written, is held
/// by another cluster, or holds files this version cannot read. The message names the path and the
/// problem. It is an <see cref="IOException"/> so callers that report I/O failures of a data directory
/// report this one too.
/// </summary>
public sealed class DataDirException : IOException
{
    public DataDirException(string path, string problem, Exception? inner = null)
        : base($"Data directory: '{path}' {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file or directory at fault.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it, phrased to follow the path ("is a file, not a directory; ..."), and
    /// what to do about it when there is something to do.</summary>
    public string Problem { get; }
}
