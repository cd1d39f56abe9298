namespace PartnerZones.Cli.Tests;

/// <summary>Files of the repository the tests read (README, examples) and the built `pz`.</summary>
public static class RepoPaths
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PartnerZones.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Repository root not found.");
    }

    public static string PzDll => Path.Combine(AppContext.BaseDirectory, "pz.dll");
}
