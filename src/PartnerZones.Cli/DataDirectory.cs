namespace PartnerZones.Cli;

/// <summary>Checks a data directory before a server starts, so a bad path fails at once with one clear line
/// instead of at the first write. A directory it creates is owner-only (0700), parents included: what
/// goes in holds records and secrets.</summary>
public static class DataDirectory
{
    /// <summary>Creates the directory when missing and proves it can be listed and written;
    /// returns what is wrong, or null.</summary>
    public static string? Problem(string path, string flag)
    {
        if (path.Trim().Length == 0)
        {
            return $"{flag} is empty; give a directory path.";
        }

        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"{flag} '{path}' is not a usable path ({e.Message}); give a directory path.";
        }

        if (File.Exists(full))
        {
            return $"{flag} '{path}' is a file, not a directory; give a directory path.";
        }

        var probe = Path.Combine(full, $".pz-write-check-{Environment.ProcessId}");
        try
        {
            CreateOwnerOnly(full);
            _ = Directory.EnumerateFileSystemEntries(full).Any();

            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{flag} '{path}' cannot be read and written ({e.Message}); fix its permissions or choose another directory.";
        }
    }

    /// <summary>Creates <paramref name="path"/> and each missing parent 0700 (Directory.CreateDirectory with a
    /// mode gives it to the last level only); an existing directory is left to its owner.</summary>
    private static void CreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var missing = new Stack<string>();
        for (var directory = path; !Directory.Exists(directory); directory = Path.GetDirectoryName(directory)!)
        {
            missing.Push(directory);
        }

        while (missing.TryPop(out var directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
