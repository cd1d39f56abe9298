using System.Text;

namespace PartnerZones.EmbeddedKafka.Security;

/// <summary>
/// The SCRAM client-first-message (RFC 5802 section 7), parsed strictly:
/// <c>gs2-header client-first-message-bare</c> with gs2-header <c>("n" | "y") "," ["a=" saslname] ","</c>
/// and the bare part <c>"n=" saslname "," "r=" nonce *("," key "=" value)</c>.
/// </summary>
internal sealed record ScramClientFirst(string Gs2Header, string Bare, string User, string? AuthorizationId, string Nonce)
{
    public static ScramClientFirst Parse(string text)
    {
        RejectNul(text, "client-first-message");
        if (text.StartsWith("p=", StringComparison.Ordinal))
        {
            throw Malformed("client-first-message", "channel binding (p=) is not supported; use a mechanism without -PLUS");
        }

        if (!(text.StartsWith("n,", StringComparison.Ordinal) || text.StartsWith("y,", StringComparison.Ordinal)))
        {
            throw Malformed("client-first-message", "it must start with the GS2 flag 'n,' or 'y,'");
        }

        var authzEnd = text.IndexOf(',', 2);
        if (authzEnd < 0)
        {
            throw Malformed("client-first-message", "the GS2 header has no closing ','");
        }

        string? authzid = null;
        if (authzEnd > 2)
        {
            var field = text[2..authzEnd];
            if (!field.StartsWith("a=", StringComparison.Ordinal))
            {
                throw Malformed("client-first-message", "the GS2 authorization id must be 'a=' name");
            }

            authzid = SaslName(field[2..], "authorization id");
        }

        var gs2Header = text[..(authzEnd + 1)];
        var bare = text[(authzEnd + 1)..];
        var attributes = bare.Split(',');
        if (attributes[0].StartsWith("m=", StringComparison.Ordinal))
        {
            throw Malformed("client-first-message", "mandatory extension 'm=' is not supported");
        }

        if (attributes.Length < 2 || !attributes[0].StartsWith("n=", StringComparison.Ordinal) || !attributes[1].StartsWith("r=", StringComparison.Ordinal))
        {
            throw Malformed("client-first-message", "expected 'n=' user then 'r=' nonce");
        }

        var user = SaslName(attributes[0][2..], "user name");
        var nonce = ParseNonce(attributes[1][2..], "client-first-message");
        foreach (var extension in ParseExtensions(attributes.AsSpan(2), "client-first-message"))
        {
            // Kafka's SCRAM extension for delegation tokens; the embedded cluster issues none.
            if (extension.Key == "tokenauth" && extension.Value == "true")
            {
                throw new SaslAuthenticationException("Authentication failed: delegation tokens are not supported", user);
            }
        }

        return new ScramClientFirst(gs2Header, bare, user, authzid, nonce);
    }

    /// <summary>saslname: non-empty, with ',' and '=' written as "=2C" and "=3D" and no other '='.</summary>
    private static string SaslName(string value, string what)
    {
        if (value.Length == 0)
        {
            throw Malformed("client-first-message", $"the {what} is empty");
        }

        var name = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '=')
            {
                name.Append(value[i]);
                continue;
            }

            var escape = i + 3 <= value.Length ? value.Substring(i, 3) : "";
            name.Append(escape switch
            {
                "=2C" => ',',
                "=3D" => '=',
                _ => throw Malformed("client-first-message", $"the {what} has a '=' that is not '=2C' or '=3D'"),
            });
            i += 2;
        }

        return name.ToString();
    }

    internal static string ParseNonce(string value, string message)
    {
        if (value.Length == 0)
        {
            throw Malformed(message, "the nonce is empty");
        }

        foreach (var c in value)
        {
            // printable = %x21-2B / %x2D-7E (',' excluded by the split already).
            if (c < 0x21 || c > 0x7E)
            {
                throw Malformed(message, "the nonce has a character outside printable ASCII");
            }
        }

        return value;
    }

    // Attributes SCRAM itself defines; as an extension they would shadow the real one (a second nonce, a second proof).
    private const string ReservedAttributes = "aceimnprsv";

    /// <summary>Extensions are <c>key=value</c> with an alphabetic key, a non-empty value, and no key twice.</summary>
    internal static List<KeyValuePair<string, string>> ParseExtensions(ReadOnlySpan<string> attributes, string message)
    {
        var extensions = new List<KeyValuePair<string, string>>(attributes.Length);
        foreach (var attribute in attributes)
        {
            var eq = attribute.IndexOf('=', StringComparison.Ordinal);
            if (eq < 1 || eq == attribute.Length - 1 || !attribute[..eq].All(char.IsAsciiLetter))
            {
                throw Malformed(message, "an extension is not key=value with an alphabetic key");
            }

            var key = attribute[..eq];
            if (ReservedAttributes.Contains(key, StringComparison.Ordinal) && key.Length == 1 || extensions.Any(e => e.Key == key))
            {
                throw Malformed(message, $"extension '{key}' is not allowed here or appears twice");
            }

            extensions.Add(new(key, attribute[(eq + 1)..]));
        }

        return extensions;
    }

    internal static void RejectNul(string text, string message)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw Malformed(message, "it contains NUL");
        }
    }

    internal static SaslAuthenticationException Malformed(string message, string problem) =>
        new($"Authentication failed: malformed SCRAM {message}: {problem}");
}

/// <summary>
/// The SCRAM client-final-message: <c>"c=" base64 "," "r=" nonce *("," extension) "," "p=" base64</c>.
/// <see cref="WithoutProof"/> is the part the signature covers.
/// </summary>
internal sealed record ScramClientFinal(string WithoutProof, byte[] ChannelBinding, string Nonce, byte[] Proof)
{
    private const string What = "client-final-message";

    public static ScramClientFinal Parse(string text)
    {
        ScramClientFirst.RejectNul(text, What);
        var attributes = text.Split(',');
        if (attributes.Length < 3
            || !attributes[0].StartsWith("c=", StringComparison.Ordinal)
            || !attributes[1].StartsWith("r=", StringComparison.Ordinal)
            || !attributes[^1].StartsWith("p=", StringComparison.Ordinal))
        {
            throw ScramClientFirst.Malformed(What, "expected 'c=' channel binding, 'r=' nonce, optional extensions, then 'p=' proof");
        }

        _ = ScramClientFirst.ParseExtensions(attributes.AsSpan(2, attributes.Length - 3), What);
        var channelBinding = Base64(attributes[0][2..], "channel binding");
        var nonce = ScramClientFirst.ParseNonce(attributes[1][2..], What);
        var proof = Base64(attributes[^1][2..], "proof");
        var withoutProof = text[..text.LastIndexOf(',')];
        return new ScramClientFinal(withoutProof, channelBinding, nonce, proof);
    }

    /// <summary>Base64 with nothing else: Convert would skip white space, which SCRAM does not allow.</summary>
    private static byte[] Base64(string value, string what)
    {
        if (value.Length == 0 || value.Length % 4 != 0 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
        {
            throw ScramClientFirst.Malformed(What, $"the {what} is not base64");
        }

        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw ScramClientFirst.Malformed(What, $"the {what} is not base64");
        }
    }
}
