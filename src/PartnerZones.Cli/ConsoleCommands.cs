using System.CommandLine;
using PartnerZones.Cli.Client;

namespace PartnerZones.Cli;

/// <summary>Everything about the console on the command line: the server (<c>pz console</c>) and the
/// client commands that talk to it (<c>pz apply</c>, <c>get</c>, <c>delete</c>, <c>token</c>, <c>partner-zone</c>).</summary>
internal static class ConsoleCommands
{
    public static void AddTo(RootCommand root)
    {
        root.Subcommands.Add(ConsoleCommand.Build());
        root.Subcommands.Add(ApplyCommand.Build());
        root.Subcommands.Add(GetCommand.Build());
        root.Subcommands.Add(DeleteCommand.Build());
        root.Subcommands.Add(TokenCommand.Build());
        root.Subcommands.Add(PartnerZoneCommand.Build());
    }
}
