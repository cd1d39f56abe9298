namespace PartnerZones.Cli.Dev;

/// <summary>Files that hold passwords and the directories around them, readable by their owner only:
/// files 0600 from their first byte, directories 0700. Modes are given when creating, not left to the
/// umask.</summary>
internal static class OwnerOnly
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode = FileMode | UnixFileMode.UserExecute;

    public static void Write(string path, string text)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = System.IO.FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        using (var stream = new FileStream(temporary, options))
        {
            // A temporary file left by an interrupted run keeps its old mode when reopened: set it before writing.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(stream.SafeFileHandle, FileMode);
            }

            using var writer = new StreamWriter(stream);
            writer.Write(text);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Sets a directory to 0700 and the files directly in it to 0600, for a data directory an
    /// older <c>pz dev</c> created with the default modes. The kafka/ folder and the console's files
    /// are tightened by their own owners (the storage and the store).</summary>
    public static void Tighten(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (File.GetUnixFileMode(directory) != DirectoryMode)
        {
            File.SetUnixFileMode(directory, DirectoryMode);
        }

        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if (File.GetUnixFileMode(file) != FileMode)
            {
                File.SetUnixFileMode(file, FileMode);
            }
        }
    }
}
