namespace PartnerZones.Cli.Dev;

/// <summary>Writes files that hold passwords so that only their owner can read them.</summary>
internal static class OwnerOnly
{
    public static void Write(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
