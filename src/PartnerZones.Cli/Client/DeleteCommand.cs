using System.CommandLine;
using PartnerZones.Resources;

namespace PartnerZones.Cli.Client;

/// <summary><c>pz delete KIND NAME</c> or <c>pz delete -f FILE|DIR [-r]</c> (zones before the clusters that
/// serve them). One <c>Kind/name: Deleted</c> line each; failures as <c>Could not delete Kind/name: reason</c>
/// on standard error; exit 1 if any failed. A zone the console answers DELETING (202: its gateway still
/// serves it) is waited for until the console no longer has it, which happens only once the gateway
/// confirmed (<c>--wait=false</c> returns at once with <c>Kind/name: Deleting</c>; <c>--timeout</c> bounds
/// the wait, after which it fails naming the console's reason).</summary>
internal static class DeleteCommand
{
    public static Command Build()
    {
        var kind = new Argument<string?>("kind") { Description = $"Resource kind: {ResourceKinds.Known}", Arity = ArgumentArity.ZeroOrOne };
        var name = new Argument<string?>("name") { Description = "Name of the resource to delete", Arity = ArgumentArity.ZeroOrOne };
        var files = FileOptions.Files("Delete the resources these YAML files or directories declare. Repeatable.");
        var recursive = FileOptions.Recursive();
        var url = ConsoleConnection.UrlOption();
        var apiKey = ConsoleConnection.ApiKeyOption();
        var wait = WaitOptions.Wait(true, "Wait until the gateway confirms each removal (default true; --wait=false returns once the console accepted the deletion)");
        var timeout = WaitOptions.Timeout();
        var command = new Command("delete", "Delete a resource by kind and name, or every resource of YAML files") { kind, name, files, recursive, wait, timeout, url, apiKey };
        command.Validators.Add(result =>
        {
            var hasFiles = result.GetResult(files) is { Tokens.Count: > 0 };
            var hasKind = result.GetResult(kind) is { Tokens.Count: > 0 };
            var hasName = result.GetResult(name) is { Tokens.Count: > 0 };
            if (hasFiles && hasKind)
            {
                result.AddError("give either KIND NAME or -f FILE, not both.");
            }
            else if (!hasFiles && !(hasKind && hasName))
            {
                result.AddError("name what to delete: KIND NAME (e.g. pz delete partner-zone acme) or -f FILE.");
            }
        });
        command.SetAction((parse, cancellationToken) => ClientAction.RunAsync("pz delete", async () =>
        {
            var targets = parse.GetValue(files) is { Length: > 0 } paths
                ? [.. ResourceFiles.Read(paths, parse.GetValue(recursive))
                    .Select(d => (Kind: ResourceKinds.All.FirstOrDefault(k => k.Name == d.Kind), Label: $"{d.Kind}/{d.Name}", d.Name))
                    .OrderByDescending(t => t.Kind?.ApplyOrder ?? int.MaxValue)]
                : new List<(ResourceKind? Kind, string Label, string? Name)> { (KindArgument.Resolve(parse.GetValue(kind)!), "", parse.GetValue(name)) };
            return await RunAsync(targets, parse.GetValue(wait) ? parse.GetValue(timeout) : null, parse.GetValue(url), parse.GetValue(apiKey), cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    /// <param name="wait">How long to wait for each confirmation; null does not wait.</param>
    private static async Task<int> RunAsync(IReadOnlyList<(ResourceKind? Kind, string Label, string? Name)> targets, TimeSpan? wait, string? url, string? apiKey, CancellationToken cancellationToken)
    {
        using var client = ConsoleClient.WithApiKey(ConsoleConnection.Url(url), ConsoleConnection.ApiKey(apiKey));
        var failed = 0;
        foreach (var (kind, fileLabel, name) in targets)
        {
            // Escaped: a name with a line break in it must still give one line per resource.
            var label = KafkaNames.Escaped(kind is null ? fileLabel : $"{kind.Name}/{name}");
            if (kind is null || string.IsNullOrEmpty(name))
            {
                await System.Console.Error.WriteLineAsync($"Could not delete {label}: "
                    + (kind is null ? $"kind is not one the console manages ({string.Join(", ", ResourceKinds.All.Select(k => k.Name))})." : "it has no metadata.name.")).ConfigureAwait(false);
                failed++;
                continue;
            }

            var path = $"{ControlPlane.Api.ApiRoutes.Resources(kind.PathSegment)}/{Uri.EscapeDataString(name)}";
            var response = await client.SendAsync(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                await System.Console.Error.WriteLineAsync($"Could not delete {label}: {KafkaNames.Escaped(response.Message)}").ConfigureAwait(false);
                failed++;
                continue;
            }

            if (response.Status == System.Net.HttpStatusCode.Accepted)
            {
                // The console took the deletion; the gateway still serves the resource until it confirms.
                if (wait is not { } timeout)
                {
                    System.Console.WriteLine($"{label}: Deleting (the partner can connect until the gateway confirms; pz get {kind.PathSegment} {KafkaNames.Escaped(name)} shows progress)");
                    continue;
                }

                await System.Console.Error.WriteLineAsync($"{label}: waiting up to {WaitOptions.Describe(timeout)} for the gateway to confirm the removal...").ConfigureAwait(false);
                if (await new ResourceWaiter(client, timeout).WaitGoneAsync(path, cancellationToken).ConfigureAwait(false) is { } reason)
                {
                    await System.Console.Error.WriteLineAsync(
                        $"Could not confirm deleting {label} within {WaitOptions.Describe(timeout)}: {KafkaNames.Escaped(reason)}. It stays DELETING and the console keeps retrying; the partner can still connect until the gateway confirms (pz get {kind.PathSegment} {KafkaNames.Escaped(name)} shows progress).").ConfigureAwait(false);
                    failed++;
                    continue;
                }
            }

            System.Console.WriteLine($"{label}: Deleted");
        }

        return failed > 0 ? CliFailure.Failed : ExitCodes.Ok;
    }
}
