using System.CommandLine;
using PartnerZones.Resources;

namespace PartnerZones.Cli.Client;

/// <summary>
/// <c>pz apply -f FILE|DIR [-f ...] [-r] [--dry-run]</c>: upserts every resource of the files, clusters
/// before the zones that name them. One line per resource on standard output
/// (<c>PartnerZone/acme: Created|Updated|NotChanged</c>); a resource that fails is one line on standard
/// error (<c>Could not apply PartnerZone/acme: reason</c>) and the others still go; exit 1 if any failed.
/// With <c>--wait</c>, then waits (up to <c>--timeout</c>) until each applied PartnerZone is READY or FAILED,
/// one <c>PartnerZone/acme: Ready</c> line each; FAILED (with its reason) or a timeout exits 1.
/// </summary>
internal static class ApplyCommand
{
    public static Command Build()
    {
        var files = FileOptions.Files("Files or directories of YAML resources to apply; - reads standard input. Repeatable.");
        var recursive = FileOptions.Recursive();
        var dryRun = new Option<bool>("--dry-run") { Description = "Check every resource and report what would happen, without changing anything" };
        var url = ConsoleConnection.UrlOption();
        var apiKey = ConsoleConnection.ApiKeyOption();
        var wait = WaitOptions.Wait(false, "Wait until each applied PartnerZone is READY or FAILED (exit 1 on FAILED or timeout)");
        var timeout = WaitOptions.Timeout();
        var command = new Command("apply", "Create or update resources from YAML files (multi-document; clusters before zones)")
        {
            files, recursive, dryRun, wait, timeout, url, apiKey,
        };
        command.SetAction((parse, cancellationToken) => ClientAction.RunAsync("pz apply", () => RunAsync(
            parse.GetValue(files) ?? [], parse.GetValue(recursive), parse.GetValue(dryRun), parse.GetValue(wait) && !parse.GetValue(dryRun) ? parse.GetValue(timeout) : null,
            parse.GetValue(url), parse.GetValue(apiKey), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(string[] paths, bool recursive, bool dryRun, TimeSpan? wait, string? url, string? apiKey, CancellationToken cancellationToken)
    {
        var applied = new List<(string Label, string Path)>();
        var documents = ResourceFiles.Read(paths, recursive);
        using var client = ConsoleClient.WithApiKey(ConsoleConnection.Url(url), ConsoleConnection.ApiKey(apiKey));
        var failed = 0;
        // A dry run writes nothing, so the console cannot know a KafkaCluster this same run would create:
        // the zones on it are checked with that one complaint set aside (see WouldCreateCluster).
        var clustersThisRunCreates = new HashSet<string>(StringComparer.Ordinal);
        // Stable order: clusters first, then zones, each in file order; unknown kinds last (they only report).
        foreach (var document in documents.OrderBy(d => ResourceKinds.All.FirstOrDefault(k => k.Name == d.Kind)?.ApplyOrder ?? int.MaxValue))
        {
            // Escaped: a name with a line break in it must still give one line per resource.
            var label = $"{(document.Kind is { } k ? KafkaNames.Escaped(k) : "(no kind)")}/{(document.Name is { } n ? KafkaNames.Escaped(n) : "(no name)")}";
            var (json, cluster, errors) = ToJson(document);
            if (json is null)
            {
                await System.Console.Error.WriteLineAsync($"Could not apply {label}: {Reason(document, errors)}").ConfigureAwait(false);
                failed++;
                continue;
            }

            if (RequestSizes.TooLarge(json) is { } tooLarge)
            {
                await System.Console.Error.WriteLineAsync($"Could not apply {label}: {tooLarge}").ConfigureAwait(false);
                failed++;
                continue;
            }

            var kind = ResourceKinds.All.First(k => k.Name == document.Kind);
            var path = ControlPlane.Api.ApiRoutes.Resources(kind.PathSegment) + (dryRun ? "?dryMode=true" : "");
            var response = await client.SendAsync(HttpMethod.Put, path, json, cancellationToken).ConfigureAwait(false);
            if (dryRun && !response.IsSuccess && cluster is not null && clustersThisRunCreates.Contains(cluster)
                && WouldCreateCluster(document, cluster, response.Errors))
            {
                var existing = await client.SendAsync(HttpMethod.Get, ControlPlane.Api.ApiRoutes.Resources(kind.PathSegment) + "/" + Uri.EscapeDataString(document.Name ?? ""), null, cancellationToken).ConfigureAwait(false);
                System.Console.WriteLine($"{label}: {(existing.IsSuccess ? "Updated" : "Created")} (dry run; KafkaCluster/{cluster} is created by this run)");
                continue;
            }

            if (!response.IsSuccess)
            {
                await System.Console.Error.WriteLineAsync($"Could not apply {label}: {Reason(document, response.Errors)}").ConfigureAwait(false);
                failed++;
                continue;
            }

            var result = response.Json().TryGetProperty("upsertResult", out var r) ? r.GetString() : null;
            if (dryRun && document.Kind == KafkaCluster.KindName && result == "CREATED" && document.Name is { } created)
            {
                clustersThisRunCreates.Add(created);
            }

            System.Console.WriteLine($"{label}: {Words(result)}{(dryRun ? " (dry run)" : "")}");
            if (document.Kind == PartnerZone.KindName)
            {
                applied.Add((label, ControlPlane.Api.ApiRoutes.Resources(kind.PathSegment) + "/" + Uri.EscapeDataString(document.Name ?? "")));
            }
        }

        if (wait is { } timeout && applied.Count > 0)
        {
            failed += await WaitReadyAsync(client, applied, timeout, cancellationToken).ConfigureAwait(false);
        }

        return failed > 0 ? CliFailure.Failed : ExitCodes.Ok;
    }

    /// <summary>Waits for each zone in turn (one shared deadline); returns how many did not become READY.</summary>
    private static async Task<int> WaitReadyAsync(ConsoleClient client, List<(string Label, string Path)> zones, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await System.Console.Error.WriteLineAsync($"Waiting up to {WaitOptions.Describe(timeout)} for {zones.Count} PartnerZone(s) to be READY or FAILED...").ConfigureAwait(false);
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        var failed = 0;
        foreach (var (label, path) in zones)
        {
            var left = timeout - deadline.Elapsed;
            var (status, reason, last) = await new ResourceWaiter(client, left > TimeSpan.Zero ? left : TimeSpan.Zero).WaitSettledAsync(path, cancellationToken).ConfigureAwait(false);
            switch (status)
            {
                case "READY":
                    System.Console.WriteLine($"{label}: Ready");
                    break;
                case "FAILED":
                    await System.Console.Error.WriteLineAsync($"{label}: FAILED: {KafkaNames.Escaped(reason ?? "no reason given")}").ConfigureAwait(false);
                    failed++;
                    break;
                default:
                    await System.Console.Error.WriteLineAsync(
                        $"{label}: still {last} after {WaitOptions.Describe(timeout)}{(reason is null ? "" : $" ({KafkaNames.Escaped(reason)})")}; the console keeps deploying it (pz get partner-zone shows progress) or try a longer --timeout.").ConfigureAwait(false);
                    failed++;
                    break;
            }
        }

        return failed;
    }

    /// <summary>Binds the document locally, so shape errors name their line in the file; the console
    /// checks everything else (it knows the other resources). For a zone, also the cluster it names.</summary>
    private static (string? Json, string? Cluster, List<string> Errors) ToJson(ResourceDocument document)
    {
        var errors = new List<string>();
        switch (document.Kind)
        {
            case PartnerZone.KindName:
                var zone = YamlBinder.Bind<PartnerZone>(document, errors);
                AddProblemsOfTheRest(errors, () => PartnerZoneValidator.Validate(zone));
                return (errors.Count == 0 ? ResourceJson.Serialize(zone) : null, zone.Spec.Cluster, errors);
            case KafkaCluster.KindName:
                var cluster = YamlBinder.Bind<KafkaCluster>(document, errors);
                AddProblemsOfTheRest(errors, () => KafkaClusterValidator.Validate(cluster));
                return (errors.Count == 0 ? ResourceJson.Serialize(cluster) : null, null, errors);
            case null:
                errors.Add($"{document.Describe()} has no kind; add 'kind: PartnerZone' or 'kind: KafkaCluster'.");
                return (null, null, errors);
            default:
                errors.Add($"kind '{document.Kind}' is not one the console manages; use {string.Join(" or ", ResourceKinds.All.Select(k => k.Name))}.");
                return (null, null, errors);
        }
    }

    /// <summary>True when the console's only objection to a dry-run zone is that its cluster does not exist
    /// yet, and this run's dry run of that cluster said it would be created. The wording is the console's
    /// (Desired/PartnerZoneRules.cs); a test pins the pair.</summary>
    private static bool WouldCreateCluster(ResourceDocument document, string cluster, IReadOnlyList<string> errors) =>
        errors.Count > 0 && errors.All(e => e.StartsWith(
            $"PartnerZone {KafkaNames.Quoted(document.Name ?? "")}: spec.cluster '{cluster}' is not a KafkaCluster the console knows", StringComparison.Ordinal));

    /// <summary>
    /// When the only binding problems are fields to remove (unknown, or not enforced yet), the rest of the
    /// document was bound as written: validate it here too, so the one line names every problem rather
    /// than one kind of mistake per run (the console checks the rest once the fields are gone). After any
    /// other binding problem (a wrong type) the bound value is incomplete and would only add noise.
    /// </summary>
    private static void AddProblemsOfTheRest(List<string> errors, Func<List<string>> validate)
    {
        if (errors.Count > 0 && errors.All(e => e.Contains(": unknown field ", StringComparison.Ordinal) || e.Contains(" is not accepted: ", StringComparison.Ordinal)))
        {
            errors.AddRange(validate());
        }
    }

    /// <summary>The problems joined on one line, without repeating "PartnerZone 'acme': " before each.
    /// Control characters in a message (a name quoted as sent) are escaped, so it stays one line.</summary>
    internal static string Reason(ResourceDocument document, IReadOnlyList<string> errors)
    {
        var prefix = $"{KafkaNames.Escaped(document.Kind ?? "")} {KafkaNames.Quoted(document.Name ?? "")}: ";
        return string.Join("; ", errors.Select(KafkaNames.Escaped).Select(e => e.StartsWith(prefix, StringComparison.Ordinal) ? e[prefix.Length..] : e).Select(e => e.TrimEnd('.')));
    }

    private static string Words(string? result) => result switch
    {
        "CREATED" => "Created",
        "UPDATED" => "Updated",
        "NOT_CHANGED" => "NotChanged",
        _ => result ?? "Applied",
    };
}
