using System.CommandLine;

namespace PartnerZones.Cli.Client;

/// <summary>
/// Where the console is and which API key to send. Flags win over the environment: <c>--url</c>, then
/// <c>PZ_BASE_URL</c>, <c>PZ_CONSOLE_URL</c>, <c>CDK_BASE_URL</c>, then http://127.0.0.1:8080;
/// <c>--api-key</c>, then <c>PZ_API_KEY</c>, <c>CDK_API_KEY</c> (the CDK names let scripts written for
/// existing Kafka platform CLIs run unchanged).
/// </summary>
internal sealed class ConsoleConnection
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    private static readonly string[] UrlVariables = ["PZ_BASE_URL", "PZ_CONSOLE_URL", "CDK_BASE_URL"];
    private static readonly string[] KeyVariables = ["PZ_API_KEY", "CDK_API_KEY"];

    public static Option<string?> UrlOption() => new("--url")
    {
        Description = $"Console URL (default: $PZ_BASE_URL, $PZ_CONSOLE_URL or $CDK_BASE_URL, else {DefaultUrl})",
        HelpName = "url",
    };

    public static Option<string?> ApiKeyOption() => new("--api-key")
    {
        Description = "API key (default: $PZ_API_KEY or $CDK_API_KEY)",
        HelpName = "key",
    };

    public static Uri Url(string? flag)
    {
        var text = flag ?? UrlVariables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? DefaultUrl;
        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new CliFailure($"'{text}' is not a console URL; set PZ_BASE_URL (or --url) to something like {DefaultUrl}.", ExitCodes.Usage);
    }

    public static string ApiKey(string? flag) =>
        (flag ?? KeyVariables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)))?.Trim()
        ?? throw new CliFailure("no API key; set PZ_API_KEY (or pass --api-key) to a key an admin created with: pz token create NAME.");
}
