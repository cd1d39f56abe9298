using System.CommandLine;
using System.Text.Json;
using PartnerZones.Resources;

namespace PartnerZones.Cli.Client;

/// <summary><c>pz get KIND [NAME] [-o yaml|json|name]</c>: resources with their status. YAML (the default)
/// is one document per resource, separated by <c>---</c>; json is an object for one name and an array
/// otherwise; name prints <c>Kind/name</c> lines.</summary>
internal static class GetCommand
{
    public static Command Build()
    {
        var kind = KindArgument.Create();
        var name = new Argument<string?>("name") { Description = "One resource's name (default: all of the kind)", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string>("--output", "-o") { Description = "Output format", DefaultValueFactory = _ => "yaml", HelpName = "yaml|json|name" };
        output.AcceptOnlyFromAmong("yaml", "json", "name");
        var url = ConsoleConnection.UrlOption();
        var apiKey = ConsoleConnection.ApiKeyOption();
        var command = new Command("get", $"Show resources with their status. Kinds: {ResourceKinds.Known}") { kind, name, output, url, apiKey };
        command.SetAction((parse, cancellationToken) => ClientAction.RunAsync("pz get", () => RunAsync(
            KindArgument.Resolve(parse.GetValue(kind)!), parse.GetValue(name), parse.GetValue(output)!, parse.GetValue(url), parse.GetValue(apiKey), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(ResourceKind kind, string? name, string output, string? url, string? apiKey, CancellationToken cancellationToken)
    {
        using var client = ConsoleClient.WithApiKey(ConsoleConnection.Url(url), ConsoleConnection.ApiKey(apiKey));
        var path = ControlPlane.Api.ApiRoutes.Resources(kind.PathSegment) + (name is null ? "" : "/" + Uri.EscapeDataString(name));
        var response = await client.SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw new CliFailure(response.Message);
        }

        var json = response.Json();
        IReadOnlyList<JsonElement> items = json.ValueKind == JsonValueKind.Array ? [.. json.EnumerateArray()] : [json];
        if (items.Count == 0)
        {
            await System.Console.Error.WriteLineAsync($"No {kind.Name} found.").ConfigureAwait(false);
            if (output == "json")
            {
                System.Console.WriteLine("[]");
            }

            return ExitCodes.Ok;
        }

        switch (output)
        {
            case "json":
                System.Console.WriteLine(JsonSerializer.Serialize(json, ResourceJson.IndentedOptions));
                break;
            case "name":
                foreach (var item in items)
                {
                    System.Console.WriteLine($"{kind.Name}/{item.GetProperty("metadata").GetProperty("name").GetString()}");
                }

                break;
            default:
                System.Console.Write(YamlOutput.WriteAll(items));
                break;
        }

        return ExitCodes.Ok;
    }
}
