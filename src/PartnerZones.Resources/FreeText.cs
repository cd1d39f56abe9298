namespace PartnerZones.Resources;

/// <summary>
/// Bounds on the free-text fields of a resource (display names, descriptions, contact details). They are
/// shown in the web UI, written to YAML and sent to gateways, so they have a length limit, and control
/// characters are refused: a line break hidden in a one-line field breaks logs and copied headers.
/// </summary>
public static class FreeText
{
    /// <summary>Why <paramref name="value"/> is not acceptable text, with the fix; null when it is.
    /// <paramref name="multiLine"/> allows line breaks (\n or \r\n) and tabs.</summary>
    public static string? Problem(string value, int maxLength, bool multiLine)
    {
        if (value.Length > maxLength)
        {
            return $"is {value.Length} characters long (at most {maxLength}); shorten it";
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var allowed = multiLine && (c is '\n' or '\t' || (c == '\r' && i + 1 < value.Length && value[i + 1] == '\n'));
            if (char.IsControl(c) && !allowed)
            {
                return multiLine
                    ? $"has the control character {KafkaNames.Quoted(c.ToString())} at position {i + 1}; only line breaks and tabs are allowed, remove it"
                    : $"has the control character {KafkaNames.Quoted(c.ToString())} at position {i + 1}; it must be one line of text, remove it";
            }
        }

        return null;
    }
}
