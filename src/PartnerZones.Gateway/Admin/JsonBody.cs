using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Admin;

/// <summary>
/// Reads an admin request body strictly. The JSON is parsed first (bytes that are not UTF-8, malformed
/// JSON, duplicate keys and deep nesting are refused with the position), then bound by the same strict binder as the YAML files,
/// so an unknown field or a value of the wrong shape is a 400 naming its path and the fix, exactly as a
/// configuration file would be reported.
/// </summary>
public static partial class JsonBody
{
    private const string Source = "request body";

    private static readonly JsonDocumentOptions Parsing = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    /// <summary>The body's bytes; 413 when larger than <paramref name="limit"/>, 415 when not JSON.</summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !type.Contains("+json", StringComparison.OrdinalIgnoreCase))
        {
            throw new AdminException(415, $"Content-Type '{type}' is not accepted; send JSON with the header Content-Type: application/json.");
        }

        if (request.ContentLength > limit)
        {
            throw TooLarge(request.ContentLength.Value, limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(buffer.Length + read, limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Parses and binds <paramref name="body"/>. <paramref name="bind"/> binds the document and
    /// adds its own validation errors. Returns the value and the <c>metadata.resourceVersion</c> the client
    /// sent, if any (a read-only field; it asks for optimistic concurrency).</summary>
    public static (T Value, long? Version) Bind<T>(byte[] body, Func<ResourceDocument, List<string>, T> bind)
    {
        var root = Parse(body);
        var version = TakeVersion(root);
        // Compact JSON is valid YAML (flow style), so the YAML binder reads it as it is.
        var documents = ResourceDocument.ReadAll(root.ToJsonString(), Source);
        var errors = new List<string>();
        var value = bind(documents[0], errors);
        return errors.Count > 0 ? throw AdminException.BadRequest([.. errors.Select(Tidy)]) : (value, version);
    }

    /// <summary>A plain request (not a resource) bound strictly.</summary>
    public static T Bind<T>(byte[] body)
        where T : new() =>
        Bind(body, (document, errors) => YamlBinder.Bind<T>(document, errors)).Value;

    private static JsonObject Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            throw AdminException.BadRequest("The request body is empty; send a JSON object.");
        }

        // JsonNode would replace invalid bytes with U+FFFD without a word, and the replacement would be stored.
        if (Utf8Text.FirstInvalidByte(body) is { } position)
        {
            throw AdminException.BadRequest(Utf8Text.Problem("The request body", position));
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body, documentOptions: Parsing);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : "";
            throw AdminException.BadRequest($"The request body is not valid JSON{where}: {Reason(e.Message)} Send one JSON object.");
        }
        catch (ArgumentException e)
        {
            throw AdminException.BadRequest($"The request body has a key twice ({e.Message}); keep one of each.");
        }

        return node as JsonObject ?? throw AdminException.BadRequest($"The request body is a JSON {node?.GetValueKind().ToString().ToLowerInvariant() ?? "null"}; send a JSON object.");
    }

    private static long? TakeVersion(JsonObject root)
    {
        if (root["metadata"] is not JsonObject metadata || !metadata.TryGetPropertyValue("resourceVersion", out var node))
        {
            return null;
        }

        metadata.Remove("resourceVersion");
        var text = node?.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.Number => node.ToJsonString(),
            JsonValueKind.Null => null,
            _ => "",
        };
        return text is null ? null
            : long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version
            : throw AdminException.BadRequest($"metadata.resourceVersion '{text}' is not a version; send the value a GET returned, or leave it out.");
    }

    /// <summary>Binder messages name YAML lines; in a JSON body the path alone says where.</summary>
    private static string Tidy(string error) =>
        LineNote().Replace(error.Replace($"document at line 1 of {Source}", Source, StringComparison.Ordinal), "");

    private static string Reason(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.') + ".";
    }

    private static AdminException TooLarge(long size, int limit) =>
        new(413, $"The request body is {size} bytes or more; the limit is {limit} bytes (spec.http.maxBodyBytes).");

    [GeneratedRegex(@" \(line \d+(, column \d+)?\)")]
    private static partial Regex LineNote();
}
