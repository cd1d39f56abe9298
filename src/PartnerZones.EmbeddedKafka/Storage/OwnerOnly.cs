using Microsoft.Win32.SafeHandles;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>
/// Owner-only modes for everything in a data directory: directories 0700, files 0600. The records may be
/// anything a producer sent (and <c>pz dev</c> keeps the gateway's state, with credential hashes, here),
/// so other local users get no access. Modes are set by this code, not left to the process umask, which
/// an embedding program or test host shares; files and directories an older version left 0644/0755 are
/// tightened when opened. Windows has no Unix modes: there the directory's ACL decides.
/// </summary>
internal static class OwnerOnly
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryMode = FileMode | UnixFileMode.UserExecute;

    /// <summary><see cref="File.OpenHandle"/>, then the file's mode set to 0600 when it is not.</summary>
    public static SafeFileHandle OpenHandle(string path, System.IO.FileMode mode, FileAccess access, FileShare share)
    {
        var handle = File.OpenHandle(path, mode, access, share);
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                if (File.GetUnixFileMode(handle) != FileMode)
                {
                    File.SetUnixFileMode(handle, FileMode);
                }
            }
            catch (UnauthorizedAccessException)
            {
                // Owned by another user (only the owner may change a mode): theirs to fix; the file still works.
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        return handle;
    }

    /// <summary>Options for a <see cref="FileStream"/> that creates its file 0600.</summary>
    public static FileStreamOptions StreamOptions(System.IO.FileMode mode, FileAccess access, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows() && mode != System.IO.FileMode.Open && mode != System.IO.FileMode.Truncate)
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    /// <summary>Sets an existing file to 0600 when it is not.</summary>
    public static void Tighten(string path)
    {
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) != FileMode)
        {
            SetBestEffort(path, FileMode);
        }
    }

    /// <summary>Tightens every directory and file under <paramref name="root"/> that is not owner-only: one
    /// pass when a cluster opens a data directory, for files an older version made and this one only reads
    /// (topics.json, log-start-offset).</summary>
    public static void TightenTree(string root)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var wanted = entry is DirectoryInfo ? DirectoryMode : FileMode;
            if (entry.UnixFileMode != wanted && (entry.Attributes & FileAttributes.ReparsePoint) == 0)
            {
                SetBestEffort(entry.FullName, wanted);
            }
        }
    }

    /// <summary>Creates <paramref name="path"/> and each missing parent up to (not including) an existing
    /// one, 0700 each; <paramref name="path"/> itself is set to 0700 when it already existed otherwise.</summary>
    public static void Directory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
            return;
        }

        var missing = new Stack<string>();
        for (var directory = Path.GetFullPath(path); !System.IO.Directory.Exists(directory); directory = Path.GetDirectoryName(directory)!)
        {
            missing.Push(directory);
        }

        if (missing.Count == 0)
        {
            if (File.GetUnixFileMode(path) != DirectoryMode)
            {
                SetBestEffort(path, DirectoryMode);
            }

            return;
        }

        while (missing.TryPop(out var directory))
        {
            // CreateDirectory with a mode applies it to the last directory only, hence one call per level.
            System.IO.Directory.CreateDirectory(directory, DirectoryMode);
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void SetBestEffort(string path, UnixFileMode mode)
    {
        try
        {
            File.SetUnixFileMode(path, mode);
        }
        catch (UnauthorizedAccessException)
        {
            // Owned by another user (only the owner may change a mode): theirs to fix; it still works.
        }
    }
}
