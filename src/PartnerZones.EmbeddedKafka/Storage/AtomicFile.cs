namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>Replaces small files whole: write a temporary sibling, fsync it, rename it over the target.
/// A crash leaves the old content or the new, never a mix.</summary>
internal static class AtomicFile
{
    public const string TempSuffix = ".tmp";

    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var temp = path + TempSuffix;
        using (var handle = OwnerOnly.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, content, 0);
            RandomAccess.FlushToDisk(handle);
        }

        File.Move(temp, path, overwrite: true);
    }
}
