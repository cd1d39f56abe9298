using System.CommandLine;

namespace PartnerZones.Cli.Client;

/// <summary>The <c>-f</c> and <c>-r</c> options <c>apply</c> and <c>delete</c> share.</summary>
internal static class FileOptions
{
    public static Option<string[]> Files(string description) => new("--filename", "-f")
    {
        Description = description,
        HelpName = "file|dir",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<bool> Recursive() => new("--recursive", "-r")
    {
        Description = "Also read YAML files in subdirectories of the directories given with -f",
    };
}
