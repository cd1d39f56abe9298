using System.Security.Cryptography;
using System.Text;

namespace PartnerZones.EmbeddedKafka.Security;

/// <summary>
/// The accounts of one cluster, prepared once at start-up: PLAIN keeps a SHA-256 digest of each password
/// (so a comparison never depends on lengths), SCRAM keeps salted keys and never the password.
/// </summary>
internal sealed class SaslCredentials
{
    private readonly Dictionary<string, byte[]> _plain = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScramCredential> _scram256 = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScramCredential> _scram512 = new(StringComparer.Ordinal);
    private readonly byte[] _decoySecret = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _decoyDigest = RandomNumberGenerator.GetBytes(SHA256.HashSizeInBytes);

    private SaslCredentials(IReadOnlyList<SaslUser> users, Func<byte[]>? salts)
    {
        foreach (var user in users)
        {
            if (user.Problem() is { } problem)
            {
                throw new ArgumentException($"SaslUsers: {problem}.", nameof(users));
            }

            var added = user.Mechanism switch
            {
                SaslMechanism.Plain => _plain.TryAdd(user.Name, Digest(user.Password)),
                SaslMechanism.ScramSha256 => _scram256.TryAdd(user.Name, ScramCredential.Create(ScramAlgorithm.Sha256, user.Password, salts?.Invoke())),
                SaslMechanism.ScramSha512 => _scram512.TryAdd(user.Name, ScramCredential.Create(ScramAlgorithm.Sha512, user.Password, salts?.Invoke())),
                _ => throw new ArgumentOutOfRangeException(nameof(users), user.Mechanism, "unknown SASL mechanism"),
            };
            if (!added)
            {
                throw new ArgumentException($"SaslUsers: {user.Mechanism.Name()} user '{user.Name}' is listed twice; keep one.", nameof(users));
            }
        }

        // Listed in a fixed order, so every handshake response is the same.
        Enabled = [.. Enum.GetValues<SaslMechanism>().Where(m => users.Any(u => u.Mechanism == m))];
        EnabledNames = [.. Enabled.Select(m => m.Name())];
    }

    public IReadOnlyList<SaslMechanism> Enabled { get; }

    /// <summary>What SaslHandshake responses list.</summary>
    public List<string> EnabledNames { get; }

    /// <summary>Null when there are no users: the listener is then PLAINTEXT. <paramref name="salts"/> replaces
    /// the random SCRAM salts, so tests can replay published exchanges.</summary>
    public static SaslCredentials? Create(IReadOnlyList<SaslUser> users, Func<byte[]>? salts = null) =>
        users.Count == 0 ? null : new SaslCredentials(users, salts);

    public bool IsEnabled(SaslMechanism mechanism) => Enabled.Contains(mechanism);

    /// <summary>A fresh server for one authentication exchange. <paramref name="serverNonce"/> replaces the
    /// random SCRAM server nonce (tests only).</summary>
    public ISaslServer CreateServer(SaslMechanism mechanism, Func<string>? serverNonce = null) => mechanism switch
    {
        SaslMechanism.Plain => new PlainServer(this),
        _ => new ScramServer(this, ScramAlgorithm.For(mechanism), serverNonce),
    };

    /// <summary>Constant-time check of a PLAIN password; an unknown user is compared against a random digest.</summary>
    public bool CheckPlain(string user, ReadOnlySpan<byte> password)
    {
        var known = _plain.TryGetValue(user, out var expected);
        var matches = CryptographicOperations.FixedTimeEquals(SHA256.HashData(password), expected ?? _decoyDigest);
        return known && matches;
    }

    /// <summary>The user's SCRAM credential, or a decoy that never verifies when the user is unknown.</summary>
    public ScramCredential Scram(ScramAlgorithm algorithm, string user, out bool known)
    {
        var table = algorithm.Mechanism == SaslMechanism.ScramSha256 ? _scram256 : _scram512;
        known = table.TryGetValue(user, out var credential);
        return credential ?? ScramCredential.Decoy(algorithm, _decoySecret, user);
    }

    private static byte[] Digest(string password) => SHA256.HashData(Encoding.UTF8.GetBytes(password));
}
