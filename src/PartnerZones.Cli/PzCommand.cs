using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace PartnerZones.Cli;

/// <summary>The root of the `pz` command tree. Each server and client command adds itself here.</summary>
public static class PzCommand
{
    public const string Description =
        "Partner Zones: share selected Kafka topics with external partners through a zone-enforcing Kafka gateway.";

    /// <summary>How long a server command may take to shut down after SIGINT/SIGTERM before the process is ended anyway.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    public static RootCommand Build()
    {
        // RootCommand supplies --help and --version (taken from the assembly's informational version).
        var root = new RootCommand(Description)
        {
            KafkaCommand.Build(),
            GatewayCommand.Build(),
            DevCommand.Build(),
        };
        ConsoleCommands.AddTo(root);
        return root;
    }

    /// <summary>Parses and runs a command line. A usage error is one line on standard error, naming the problem
    /// and where help is, with exit code <see cref="ExitCodes.Usage"/>: scripts read one line, not a help page.</summary>
    public static int Run(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
        {
            var command = CommandPath(parse.CommandResult);
            var problems = string.Join(" ", parse.Errors.Select(e => e.Message.ReplaceLineEndings(" ").Trim()));
            Console.Error.WriteLine($"{command}: {problems} See '{command} --help'.");
            return ExitCodes.Usage;
        }

        // SIGINT and SIGTERM cancel the token a command's action receives.
        return parse.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = ShutdownTimeout });
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is CommandResult command)
            {
                names.Add(command.Parent is null ? "pz" : command.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
