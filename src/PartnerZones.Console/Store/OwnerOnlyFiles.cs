namespace PartnerZones.ControlPlane.Store;

/// <summary>
/// File modes for what the store keeps on disk (the SQLite files and the key file): owner-only, so a
/// database or key copied by another local user is not possible in the first place. Modes are set when
/// a file is created (not through the process umask, which tests and embedding programs share) and
/// tightened on open for files an older console created with the default 0644. Windows has no Unix
/// modes; there these calls do nothing and the directory's ACL decides.
/// </summary>
internal static class OwnerOnlyFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> and its missing parents, each 0700 (Directory.CreateDirectory
    /// with a mode gives it to the last one only); an existing directory is left as it is, because it may
    /// be a directory the user chose for other things too.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var missing = new Stack<string>();
        for (var directory = Path.GetFullPath(path); !Directory.Exists(directory); directory = Path.GetDirectoryName(directory)!)
        {
            missing.Push(directory);
        }

        while (missing.TryPop(out var directory))
        {
            Directory.CreateDirectory(directory, DirectoryMode);
        }
    }

    /// <summary>Creates an empty file 0600 when there is none; false when it already existed.</summary>
    public static bool CreateEmpty(string path)
    {
        try
        {
            using var stream = new FileStream(path, CreateOptions(System.IO.FileMode.CreateNew));
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    /// <summary>Writes a new file 0600 from the first byte; fails when <paramref name="path"/> exists.</summary>
    public static void WriteNew(string path, ReadOnlySpan<byte> content)
    {
        using var stream = new FileStream(path, CreateOptions(System.IO.FileMode.CreateNew));
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Sets an existing file to 0600 when group or others have any access; true when it had to.</summary>
    public static bool Tighten(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return false;
        }

        if ((File.GetUnixFileMode(path) & GroupOrOther) == 0)
        {
            return false;
        }

        File.SetUnixFileMode(path, FileMode);
        return true;
    }

    private static FileStreamOptions CreateOptions(System.IO.FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }
}
