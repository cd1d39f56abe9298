namespace PartnerZones.LoadTest.Gateway;

/// <summary>The machine's 1, 5 and 15 minute load averages, to print beside figures measured on a shared machine.</summary>
internal static class LoadAverage
{
    public static string Read()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{fields[0]} {fields[1]} {fields[2]} over {Environment.ProcessorCount} cores";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown (no /proc/loadavg)";
        }
    }
}
