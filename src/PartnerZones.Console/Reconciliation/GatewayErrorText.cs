using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PartnerZones.ControlPlane.Reconciliation;

/// <summary>
/// What of a refusal may be repeated in API errors, failedReason and the UI. Only the error document of
/// the gateway admin API (<c>{"status", "title", "message", "errors"}</c>, docs/gateway-admin-api.md)
/// is read, and only its messages, with control and formatting characters removed and a bounded length.
/// Any other body is never repeated: a KafkaCluster URL may point at any server, and copying its answers
/// into the console would let an API-key holder read internal services through it.
/// </summary>
internal static class GatewayErrorText
{
    /// <summary>Longest single message kept; the gateway's own messages are well below it.</summary>
    public const int MaxMessage = 400;

    /// <summary>Longest text kept for all messages of one refusal together.</summary>
    public const int MaxTotal = 800;

    /// <summary>The refusal's messages, or null when <paramref name="body"/> is not the gateway's error document.</summary>
    public static string? From(HttpStatusCode status, byte[] body)
    {
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }

        if (json is not JsonObject error
            || error["status"] is not JsonValue code || !code.TryGetValue<int>(out var number) || number != (int)status
            || error["message"] is not JsonValue messageValue || !messageValue.TryGetValue<string>(out var message))
        {
            return null;
        }

        var messages = error["errors"] is JsonArray list && list.Count > 0
            ? [.. list.Select(e => e is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>()]
            : new List<string> { message };
        if (messages.Count == 0)
        {
            messages.Add(message);
        }

        return Clean(string.Join("; ", messages.Select(m => Clean(m, MaxMessage))), MaxTotal);
    }

    /// <summary>
    /// <paramref name="text"/> on one line of printable characters: control and format characters (line
    /// breaks, escapes, bidirectional overrides) removed, runs of white space as one space, and cut to
    /// <paramref name="max"/> characters with "..." when longer.
    /// </summary>
    public static string Clean(string text, int max)
    {
        var clean = new StringBuilder(Math.Min(text.Length, max + 3));
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = clean.Length > 0;
                continue;
            }

            if (char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.Surrogate or System.Globalization.UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            if (space)
            {
                clean.Append(' ');
                space = false;
            }

            if (clean.Length >= max)
            {
                return clean.ToString(0, max) + "...";
            }

            clean.Append(c);
        }

        return clean.ToString();
    }
}
