using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using PartnerZones.ControlPlane.Security;

namespace PartnerZones.Cli.Dev;

/// <summary>
/// The generated passwords and API key of a <c>pz dev</c> data directory, kept in <c>secrets.json</c>
/// (owner-only) so a restart prints the same ones: the console's KafkaCluster keeps working with the
/// gateway, and shells that loaded the env file keep working. Deleting the file makes the next start
/// generate new ones.
/// </summary>
internal sealed partial record DevSecrets
{
    public const string FileName = "secrets.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string GatewayAdminPassword { get; init; } = "";

    public string ConsoleAdminPassword { get; init; } = "";

    public string ApiKey { get; init; } = "";

    /// <summary>The stored secrets, or new ones (and whether they are new). A file that cannot be read or
    /// holds unusable values is replaced by new secrets rather than stopping the start.</summary>
    public static (DevSecrets Secrets, bool Generated) LoadOrCreate(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path))
        {
            try
            {
                var stored = JsonSerializer.Deserialize<DevSecrets>(File.ReadAllText(path), Json);
                if (stored is not null && stored.IsUsable)
                {
                    return (stored, false);
                }
            }
            catch (JsonException)
            {
            }
        }

        var fresh = new DevSecrets
        {
            GatewayAdminPassword = Password(),
            ConsoleAdminPassword = Password(),
            ApiKey = ApiKeys.Generate(),
        };
        fresh.Save(dataDir);
        return (fresh, true);
    }

    public void Save(string dataDir) => OwnerOnly.Write(Path.Combine(dataDir, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>Long enough for the gateway (12 characters at least) and made of characters a shell,
    /// curl's --user and a properties file take as they are.</summary>
    private bool IsUsable =>
        Safe().IsMatch(GatewayAdminPassword) && Safe().IsMatch(ConsoleAdminPassword)
        && ApiKey.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal) && Safe().IsMatch(ApiKey);

    private static string Password() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');

    [GeneratedRegex(@"\A[A-Za-z0-9_-]{12,200}\z")] // \z, not $: $ also matches before a final newline
    private static partial Regex Safe();
}
