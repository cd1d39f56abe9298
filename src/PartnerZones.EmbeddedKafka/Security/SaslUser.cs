namespace PartnerZones.EmbeddedKafka.Security;

/// <summary>One account the cluster accepts, for one mechanism. A name may appear once per mechanism.</summary>
public sealed record SaslUser(SaslMechanism Mechanism, string Name, string Password)
{
    /// <summary>Parses <c>MECHANISM:NAME:PASSWORD</c> (the mechanism in any case). The password is everything
    /// after the second colon, so it may itself contain colons; the name may not.</summary>
    public static bool TryParse(string text, out SaslUser? user, out string? error)
    {
        user = null;
        var first = text.IndexOf(':', StringComparison.Ordinal);
        var second = first < 0 ? -1 : text.IndexOf(':', first + 1);
        if (second < 0)
        {
            error = $"'{Redact(text)}' is not MECHANISM:NAME:PASSWORD; write it as, for example, SCRAM-SHA-256:alice:alice-password";
            return false;
        }

        var mechanismText = text[..first];
        if (!SaslMechanisms.TryParse(mechanismText.ToUpperInvariant(), out var mechanism))
        {
            error = $"SASL mechanism '{mechanismText}' is not supported; use one of {string.Join(", ", SaslMechanisms.AllNames)}";
            return false;
        }

        var candidate = new SaslUser(mechanism, text[(first + 1)..second], text[(second + 1)..]);
        error = candidate.Problem();
        if (error is not null)
        {
            return false;
        }

        user = candidate;
        return true;
    }

    /// <summary>What is wrong with this account, or null when the cluster can use it.</summary>
    public string? Problem()
    {
        if (Name.Length == 0)
        {
            return $"a {Mechanism.Name()} user has an empty name; give every user a name";
        }

        if (Password.Length == 0)
        {
            return $"{Mechanism.Name()} user '{Name}' has an empty password; give it a password";
        }

        // PLAIN separates its fields with NUL, and no SASL name may carry one; control characters in a
        // name are never intended and would make log lines ambiguous.
        if (Name.Any(char.IsControl) || Password.Contains('\0', StringComparison.Ordinal))
        {
            return $"{Mechanism.Name()} user '{Name}' contains a control character in its name or a NUL in its password; remove it";
        }

        if (Name.Contains(':', StringComparison.Ordinal))
        {
            return $"{Mechanism.Name()} user name '{Name}' contains ':'; choose a name without one";
        }

        return null;
    }

    // Never echo a password back in an error message.
    private static string Redact(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (text.Length > 40 ? text[..40] + "..." : text) : text[..(colon + 1)] + "...";
    }

    public override string ToString() => $"{Mechanism.Name()}:{Name}:***";
}
