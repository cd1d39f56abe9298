using System.CommandLine;

namespace PartnerZones.Cli;

/// <summary>The root of the `pz` command tree. Each server and client command adds itself here.</summary>
public static class PzCommand
{
    public const string Description =
        "Partner Zones: share selected Kafka topics with external partners through a zone-enforcing Kafka gateway.";

    public static RootCommand Build()
    {
        // RootCommand supplies --help and --version (taken from the assembly's informational version).
        var root = new RootCommand(Description);
        root.Subcommands.Add(GatewayCommand.Build());
        return root;
    }
}
