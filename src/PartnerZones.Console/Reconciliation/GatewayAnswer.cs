using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PartnerZones.ControlPlane.Reconciliation;

/// <summary>
/// The answer of one gateway admin call that reached the gateway and was not refused for credentials
/// (<see cref="GatewayAdminCall"/>): the JSON of a 2xx answer, or the cleaned message of a refusal. Its
/// readers check the shape they need and turn any other shape into a <see cref="GatewayAdminException"/>
/// naming the cluster, the call and what came instead, so a server answering 200 with the wrong JSON fails
/// that cluster's calls and nothing else.
/// </summary>
internal sealed class GatewayAnswer(HttpStatusCode status, JsonNode? body, string? error, string origin, HttpMethod method, GatewayPath path)
{
    /// <summary>Read options for documents the gateway sends back: web defaults, so its server-filled
    /// metadata (resourceVersion) is skipped rather than refused.</summary>
    private static readonly JsonSerializerOptions Read = new(JsonSerializerDefaults.Web);

    public HttpStatusCode Status { get; } = status;

    /// <summary>The JSON of a 2xx answer (null for an empty one); always null for a refusal.</summary>
    public JsonNode? Body { get; } = body;

    /// <summary>The gateway's own words for a refusal, cleaned (<see cref="GatewayErrorText"/>); null when it gave none.</summary>
    public string? Error { get; } = error;

    public bool Ok => (int)Status is >= 200 and < 300;

    /// <summary>The body as a JSON object.</summary>
    public JsonObject Object() => Body as JsonObject ?? throw Unexpected("a JSON object", Kind(Body));

    /// <summary>The body as a JSON array whose items are objects.</summary>
    public List<JsonObject> Objects()
    {
        if (Body is not JsonArray list)
        {
            throw Unexpected("a JSON array", Kind(Body));
        }

        var items = new List<JsonObject>(list.Count);
        foreach (var item in list)
        {
            items.Add(item as JsonObject ?? throw Unexpected("a JSON array of objects", "an array holding " + Kind(item)));
        }

        return items;
    }

    /// <summary>A non-empty string field of <paramref name="item"/>.</summary>
    public string Text(JsonObject item, string field) =>
        item[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw Unexpected($"an object with a \"{field}\" string", $"an object whose \"{field}\" is " + Kind(item[field]));

    /// <summary>A string field of <paramref name="item"/> when it is one, else null.</summary>
    public static string? OptionalText(JsonObject item, string field) =>
        item[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A list of strings in field <paramref name="field"/> of <paramref name="item"/>.</summary>
    public List<string> Texts(JsonObject item, string field)
    {
        if (item[field] is not JsonArray list)
        {
            throw Unexpected($"an object with a \"{field}\" list", $"an object whose \"{field}\" is " + Kind(item[field]));
        }

        return [.. list.Select(e => e is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Unexpected($"a \"{field}\" list of strings", $"a \"{field}\" list holding " + Kind(e)))];
    }

    /// <summary><paramref name="node"/> read as a <typeparamref name="T"/> document.</summary>
    public T Document<T>(JsonNode? node, string kind)
        where T : class
    {
        try
        {
            return node.Deserialize<T>(Read) ?? throw Unexpected($"a {kind} document", Kind(node));
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // The serializer's own message is not repeated: it can quote the answer.
            throw Unexpected($"a {kind} document", $"{Kind(node)} of another shape");
        }
    }

    /// <summary>The failure for an answer of the wrong shape: what was expected and what kind of JSON came.</summary>
    public GatewayAdminException Unexpected(string expected, string got) =>
        new(
            $"{origin} answered {method} {path} with {got} where {expected} was expected; the answer is not the gateway admin API's, so point spec.adminApi.url at a Partner Zones gateway's HTTP port.",
            retriable: true);

    /// <summary>What kind of JSON value <paramref name="node"/> is, never its content.</summary>
    public static string Kind(JsonNode? node) => node switch
    {
        null => "nothing (missing or null)",
        JsonObject => "an object",
        JsonArray array => array.Count == 0 ? "an empty array" : "an array",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };
}
