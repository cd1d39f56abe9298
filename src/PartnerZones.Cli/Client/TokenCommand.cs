using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PartnerZones.Resources;

namespace PartnerZones.Cli.Client;

/// <summary>
/// <c>pz token create NAME | list | revoke ID|NAME</c>: API keys, managed by a console admin. The admin
/// logs in with <c>--user</c> (or <c>PZ_ADMIN_USER</c>, default admin) and a password from
/// <c>PZ_ADMIN_PASSWORD</c> or the first line of standard input. <c>create</c> prints only the key, so
/// <c>export PZ_API_KEY=$(pz token create ci)</c> works.
/// </summary>
internal static class TokenCommand
{
    public static Command Build()
    {
        var command = new Command("token", "Create, list and revoke console API keys (needs a console admin's password)");

        var createName = new Argument<string>("name") { Description = "Who or what uses the key, e.g. ci-deploy" };
        var create = WithAdminOptions(new Command("create", "Create an API key and print it (it is shown only this once)") { createName }, out var createUrl, out var createUser);
        create.SetAction((parse, cancellationToken) => ClientAction.RunAsync("pz token create", async () =>
        {
            using var client = Admin(parse.GetValue(createUrl), parse.GetValue(createUser));
            var response = await client.SendAsync(HttpMethod.Post, ControlPlane.Api.ApiRoutes.Tokens,
                JsonSerializer.Serialize(new { name = parse.GetValue(createName) }), cancellationToken).ConfigureAwait(false);
            var json = Success(response);
            System.Console.WriteLine(json.GetProperty("token").GetString());
            await System.Console.Error.WriteLineAsync($"Token/{json.GetProperty("name").GetString()}: Created (id {json.GetProperty("id").GetString()}); it is not shown again.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));

        var output = new Option<string>("--output", "-o") { Description = "Output format", DefaultValueFactory = _ => "table", HelpName = "table|json" };
        output.AcceptOnlyFromAmong("table", "json");
        var list = WithAdminOptions(new Command("list", "List API keys (never the keys themselves)") { output }, out var listUrl, out var listUser);
        list.SetAction((parse, cancellationToken) => ClientAction.RunAsync("pz token list", async () =>
        {
            using var client = Admin(parse.GetValue(listUrl), parse.GetValue(listUser));
            var json = Success(await client.SendAsync(HttpMethod.Get, ControlPlane.Api.ApiRoutes.Tokens, null, cancellationToken).ConfigureAwait(false));
            if (parse.GetValue(output) == "json")
            {
                System.Console.WriteLine(JsonSerializer.Serialize(json, ResourceJson.IndentedOptions));
                return ExitCodes.Ok;
            }

            var rows = json.EnumerateArray().Select(t => new[]
            {
                t.GetProperty("id").GetString()!, t.GetProperty("name").GetString()!, t.GetProperty("createdBy").GetString()!,
                Time(t, "createdAt"), Time(t, "lastUsedAt"), Time(t, "revokedAt"),
            }).ToList();
            WriteTable(["ID", "NAME", "CREATED BY", "CREATED", "LAST USED", "REVOKED"], rows);
            return ExitCodes.Ok;
        }));

        var revokeKey = new Argument<string>("id-or-name") { Description = "The key's id, or its name (revokes every active key of that name)" };
        var revoke = WithAdminOptions(new Command("revoke", "Revoke API keys; they stop working at once") { revokeKey }, out var revokeUrl, out var revokeUser);
        revoke.SetAction((parse, cancellationToken) => ClientAction.RunAsync("pz token revoke", async () =>
        {
            using var client = Admin(parse.GetValue(revokeUrl), parse.GetValue(revokeUser));
            var json = Success(await client.SendAsync(HttpMethod.Delete, $"{ControlPlane.Api.ApiRoutes.Tokens}/{Uri.EscapeDataString(parse.GetValue(revokeKey)!)}", null, cancellationToken).ConfigureAwait(false));
            foreach (var token in json.EnumerateArray())
            {
                System.Console.WriteLine($"Token/{token.GetProperty("name").GetString()}: Revoked (id {token.GetProperty("id").GetString()})");
            }

            return ExitCodes.Ok;
        }));

        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        command.Subcommands.Add(revoke);
        return command;
    }

    private static Command WithAdminOptions(Command command, out Option<string?> url, out Option<string?> user)
    {
        url = ConsoleConnection.UrlOption();
        user = new Option<string?>("--user") { Description = "Console admin name (default: $PZ_ADMIN_USER, else admin); password from $PZ_ADMIN_PASSWORD or standard input", HelpName = "name" };
        command.Options.Add(url);
        command.Options.Add(user);
        return command;
    }

    private static ConsoleClient Admin(string? url, string? user)
    {
        var baseUrl = ConsoleConnection.Url(url);
        var name = user ?? Environment.GetEnvironmentVariable("PZ_ADMIN_USER") ?? "admin";
        var password = Environment.GetEnvironmentVariable("PZ_ADMIN_PASSWORD");
        if (string.IsNullOrEmpty(password) && System.Console.IsInputRedirected)
        {
            password = System.Console.In.ReadLine()?.TrimEnd('\r');
        }

        return string.IsNullOrEmpty(password)
            ? throw new CliFailure("no admin password; set PZ_ADMIN_PASSWORD or pipe it on standard input.")
            : ConsoleClient.AsAdmin(baseUrl, name, password);
    }

    private static JsonElement Success(ConsoleResponse response) =>
        response.IsSuccess ? response.Json() : throw new CliFailure(response.Message);

    private static string Time(JsonElement token, string field) =>
        token.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : "-";

    private static void WriteTable(string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            System.Console.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
