using System.Text;

namespace PartnerZones.Gateway.Security;

/// <summary>The client's first SCRAM message (RFC 5802 section 7), parsed strictly.</summary>
internal sealed record ScramClientFirst(string Gs2Header, string User, string Nonce, string Bare)
{
    public static ScramClientFirst? Parse(string message)
    {
        // gs2-header: cbind flag, optional authzid, then the bare message.
        var parts = message.Split(',');
        if (parts.Length < 4 || parts[0] is not ("n" or "y"))
        {
            return null; // "p=" asks for channel binding, which a Kafka listener never offers
        }

        string? authzid = null;
        if (parts[1].Length > 0)
        {
            if (!parts[1].StartsWith("a=", StringComparison.Ordinal) || SaslName(parts[1][2..]) is not { } a)
            {
                return null;
            }

            authzid = a;
        }

        var bareStart = parts[0].Length + parts[1].Length + 2;
        var bare = message[bareStart..];
        var fields = bare.Split(',');
        if (fields.Length < 2 || !fields[0].StartsWith("n=", StringComparison.Ordinal) || !fields[1].StartsWith("r=", StringComparison.Ordinal))
        {
            return null; // also refuses the reserved "m=" extension, as RFC 5802 requires
        }

        var user = SaslName(fields[0][2..]);
        var nonce = fields[1][2..];
        if (user is null || user.Length == 0 || nonce.Length == 0 || !IsPrintable(nonce) || (authzid is not null && authzid != user))
        {
            return null;
        }

        // Kafka's extensions (key=value) are allowed; delegation tokens (tokenauth) are not served here.
        foreach (var extension in fields.Skip(2))
        {
            if (extension.Length == 0 || !extension.Contains('=') || extension.StartsWith("tokenauth=", StringComparison.Ordinal))
            {
                return null;
            }
        }

        return new ScramClientFirst(message[..bareStart], user, nonce, bare);
    }

    /// <summary>A saslname with its escapes (=2C for ',', =3D for '=') undone, or null when malformed.</summary>
    private static string? SaslName(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '=')
            {
                text.Append(value[i]);
                continue;
            }

            var escape = i + 2 < value.Length ? value.Substring(i + 1, 2) : "";
            if (escape is not ("2C" or "3D"))
            {
                return null;
            }

            text.Append(escape == "2C" ? ',' : '=');
            i += 2;
        }

        return text.ToString();
    }

    internal static bool IsPrintable(string value) => value.All(c => c is > ' ' and <= '~' and not ',');
}

/// <summary>The client's final SCRAM message: channel binding, nonce, proof.</summary>
internal sealed record ScramClientFinal(byte[] ChannelBinding, string Nonce, byte[] Proof, string WithoutProof)
{
    public static ScramClientFinal? Parse(string message)
    {
        var proofAt = message.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
        {
            return null;
        }

        var withoutProof = message[..proofAt];
        var fields = withoutProof.Split(',');
        if (fields.Length < 2 || !fields[0].StartsWith("c=", StringComparison.Ordinal) || !fields[1].StartsWith("r=", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return new ScramClientFinal(Convert.FromBase64String(fields[0][2..]), fields[1][2..], Convert.FromBase64String(message[(proofAt + 3)..]), withoutProof);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
