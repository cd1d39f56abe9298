using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PartnerZones.Resources;

namespace PartnerZones.Cli.Client;

/// <summary>
/// <c>pz partner-zone generate-credentials NAME [-o password|properties|json]</c>,
/// <c>pz partner-zone credentials NAME</c>, <c>pz partner-zone revoke-credentials NAME ID</c>: a partner's
/// credentials, issued by the zone's gateway through the console. <c>properties</c> is a ready client
/// configuration for Java clients (<c>--command-config</c>) and kcat (<c>-F</c>), which turns a PLAIN
/// <c>sasl.jaas.config</c> into its own settings; other librdkafka clients use the commented
/// <c>sasl.username</c>/<c>sasl.password</c> lines instead.
/// </summary>
internal static class PartnerZoneCommand
{
    private const string Base = "/api/public/partner-zone/v2";

    public static Command Build()
    {
        var command = new Command("partner-zone", "A partner zone's credentials: generate, list, revoke");

        var generateName = new Argument<string>("name") { Description = "The partner zone" };
        var output = new Option<string>("--output", "-o") { Description = "What to print", DefaultValueFactory = _ => "password", HelpName = "password|properties|json" };
        output.AcceptOnlyFromAmong("password", "properties", "json");
        var lifetime = new Option<long?>("--lifetime") { Description = "Seconds the credential is valid (default 30 days)", HelpName = "seconds" };
        var generate = WithConnection(new Command("generate-credentials", "Issue a new password for the zone's partner (shown only this once)") { generateName, output, lifetime }, out var url, out var apiKey);
        generate.SetAction((parse, cancellationToken) => ClientAction.RunAsync("pz partner-zone generate-credentials", async () =>
        {
            using var client = ConsoleClient.WithApiKey(ConsoleConnection.Url(parse.GetValue(url)), ConsoleConnection.ApiKey(parse.GetValue(apiKey)));
            var body = parse.GetValue(lifetime) is { } seconds ? JsonSerializer.Serialize(new { lifeTimeSeconds = seconds }) : null;
            var json = Success(await client.SendAsync(HttpMethod.Post, $"{Base}/{Uri.EscapeDataString(parse.GetValue(generateName)!)}/generate-credentials", body, cancellationToken).ConfigureAwait(false));
            System.Console.Write(Format(json, parse.GetValue(output)!));
            return ExitCodes.Ok;
        }));

        var listName = new Argument<string>("name") { Description = "The partner zone" };
        var list = WithConnection(new Command("credentials", "List the zone's credentials (ids and expiry, never secrets)") { listName }, out var listUrl, out var listKey);
        list.SetAction((parse, cancellationToken) => ClientAction.RunAsync("pz partner-zone credentials", async () =>
        {
            using var client = ConsoleClient.WithApiKey(ConsoleConnection.Url(parse.GetValue(listUrl)), ConsoleConnection.ApiKey(parse.GetValue(listKey)));
            var json = Success(await client.SendAsync(HttpMethod.Get, $"{Base}/{Uri.EscapeDataString(parse.GetValue(listName)!)}/credentials", null, cancellationToken).ConfigureAwait(false));
            System.Console.WriteLine("ID  USERNAME  CREATED  EXPIRES");
            foreach (var credential in json.EnumerateArray())
            {
                System.Console.WriteLine(string.Join("  ",
                    credential.GetProperty("id").GetString(), credential.GetProperty("username").GetString(),
                    Time(credential.GetProperty("createdAt")), Time(credential.GetProperty("expiresAt"))));
            }

            return ExitCodes.Ok;
        }));

        var revokeName = new Argument<string>("name") { Description = "The partner zone" };
        var revokeId = new Argument<string>("id") { Description = "The credential's id (from generate-credentials or credentials)" };
        var revoke = WithConnection(new Command("revoke-credentials", "Revoke one credential: new logins fail and live sessions are closed") { revokeName, revokeId }, out var revokeUrl, out var revokeKey);
        revoke.SetAction((parse, cancellationToken) => ClientAction.RunAsync("pz partner-zone revoke-credentials", async () =>
        {
            using var client = ConsoleClient.WithApiKey(ConsoleConnection.Url(parse.GetValue(revokeUrl)), ConsoleConnection.ApiKey(parse.GetValue(revokeKey)));
            var (name, id) = (parse.GetValue(revokeName)!, parse.GetValue(revokeId)!);
            Success(await client.SendAsync(HttpMethod.Delete, $"{Base}/{Uri.EscapeDataString(name)}/credentials/{Uri.EscapeDataString(id)}", null, cancellationToken).ConfigureAwait(false));
            System.Console.WriteLine($"Credential/{id}: Revoked");
            return ExitCodes.Ok;
        }));

        command.Subcommands.Add(generate);
        command.Subcommands.Add(list);
        command.Subcommands.Add(revoke);
        return command;
    }

    /// <summary>The new credential as the user asked: the password alone, a client properties file, or JSON.</summary>
    internal static string Format(JsonElement credential, string output)
    {
        var username = credential.GetProperty("username").GetString()!;
        var password = credential.GetProperty("password").GetString()!;
        return output switch
        {
            "json" => JsonSerializer.Serialize(credential, ResourceJson.IndentedOptions) + "\n",
            "properties" => $"""
                # Partner credentials {credential.GetProperty("id").GetString()}, valid until {Time(credential.GetProperty("expiresAt"))}.
                bootstrap.servers={credential.GetProperty("bootstrapServers").GetString()}
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=PLAIN
                sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="{Escape(username)}" password="{Escape(password)}";
                # kcat reads the PLAIN sasl.jaas.config above; other librdkafka clients (confluent-kafka) reject it: remove it and use these lines instead.
                # sasl.username={username}
                # sasl.password={password}

                """,
            _ => password + "\n",
        };
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static Command WithConnection(Command command, out Option<string?> url, out Option<string?> apiKey)
    {
        url = ConsoleConnection.UrlOption();
        apiKey = ConsoleConnection.ApiKeyOption();
        command.Options.Add(url);
        command.Options.Add(apiKey);
        return command;
    }

    private static JsonElement Success(ConsoleResponse response) =>
        response.IsSuccess ? response.Json() : throw new CliFailure(response.Message);

    private static string Time(JsonElement value) =>
        value.GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
