namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>A fresh directory under the system temp folder, removed with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pz-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Copies a directory tree file by file, as a backup tool (or a crash) would see it.</summary>
    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            if (System.IO.Path.GetFileName(file) == ".lock")
            {
                // Held exclusively by the running cluster (and empty): nothing to copy.
                continue;
            }

            try
            {
                File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)));
            }
            catch (FileNotFoundException)
            {
                // Removed between listing and copying (a temp file renamed into place): a crash image may lack it too.
            }
        }

        foreach (var directory in Directory.GetDirectories(from))
        {
            Copy(directory, System.IO.Path.Combine(to, System.IO.Path.GetFileName(directory)));
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on another thread; the temp folder is cleaned by the OS eventually.
        }
    }
}
