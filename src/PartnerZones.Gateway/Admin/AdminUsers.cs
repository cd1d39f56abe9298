using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Security;

namespace PartnerZones.Gateway.Admin;

/// <summary>
/// The admin users of the HTTP API and their HTTP Basic check. Passwords come from the configuration
/// (usually <c>${ENV_VAR}</c>) or as a hash; there is no default user and no default password.
/// </summary>
public sealed class AdminUsers
{
    public const int MinimumPasswordLength = 12;

    private readonly Dictionary<string, AdminUser> _users;

    public AdminUsers(AdminConfig config) => _users = config.Users.ToDictionary(u => u.Name, StringComparer.Ordinal);

    /// <summary>Every problem of the admin section, each saying what to set.</summary>
    public static IEnumerable<string> Problems(AdminConfig config)
    {
        if (config.Users.Count == 0)
        {
            yield return "Gateway: spec.admin.users is empty, and the admin API has no default password; add a user, e.g. "
                + "spec.admin.users: [{name: admin, password: ${PZ_GATEWAY_ADMIN_PASSWORD}}] and set that environment variable "
                + "(or passwordHash from `pz gateway hash-secret`), or set spec.http.port: 0 to run without the HTTP API.";
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < config.Users.Count; i++)
        {
            var user = config.Users[i];
            var at = $"Gateway: spec.admin.users[{i}]";
            if (string.IsNullOrWhiteSpace(user.Name) || user.Name.Contains(':', StringComparison.Ordinal))
            {
                yield return $"{at}.name is empty or has a ':'; set it to the user name for HTTP Basic authentication.";
            }
            else if (!names.Add(user.Name))
            {
                yield return $"{at}.name '{user.Name}' is used twice; keep one.";
            }

            if ((user.Password is null) == (user.PasswordHash is null))
            {
                yield return $"{at}: set exactly one of password (e.g. ${{PZ_GATEWAY_ADMIN_PASSWORD}}) and passwordHash.";
            }
            else if (user.Password is { } password && password.Length < MinimumPasswordLength)
            {
                yield return $"{at}.password is {password.Length} characters; use at least {MinimumPasswordLength} (a random one, from the environment).";
            }
            else if (user.PasswordHash is { } hash && SecretHash.Problem(hash) is { } problem)
            {
                yield return $"{at}.passwordHash {problem}.";
            }
        }
    }

    /// <summary>The user name an Authorization header claims (proven or not), or null when it names none.</summary>
    public static string? ClaimedUser(string? authorization) => Decode(authorization)?.Name;

    /// <summary>The user an Authorization header proves, or null. Unknown users cost the same work as known ones.</summary>
    public string? Authenticate(string? authorization, out string? claimedUser)
    {
        var decoded = Decode(authorization);
        claimedUser = decoded?.Name;
        if (decoded is not var (name, password))
        {
            return null;
        }

        if (!_users.TryGetValue(name, out var user))
        {
            _ = SHA256.HashData(Encoding.UTF8.GetBytes(password));
            return null;
        }

        var ok = user.Password is { } expected
            ? CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(password)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)))
            : SecretHash.Verify(password, user.PasswordHash!);
        return ok ? name : null;
    }

    /// <summary>The name and password of an HTTP Basic header, or null when it is not one.</summary>
    private static (string Name, string Password)? Decode(string? authorization)
    {
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
    }
}
