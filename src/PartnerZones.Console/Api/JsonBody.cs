using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Api;

/// <summary>Reads a request body as one JSON value, refusing other media types, oversized bodies, bytes
/// that are not UTF-8 and broken JSON with an error that says what to send instead.</summary>
internal static class JsonBody
{
    public static async Task<JsonElement> ReadAsync(HttpRequest request, string kind)
    {
        var contentType = request.ContentType;
        if (contentType is not null && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestRejected(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                [$"the body is '{contentType}'; send the {kind} as JSON with 'Content-Type: application/json' (pz apply converts YAML for you)."]);
        }

        if (request.ContentLength > ApiJson.MaxBodyBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > ApiJson.MaxBodyBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw RequestRejected.Invalid(kind, [$"the request body is empty; send the {kind} as a JSON object."]);
        }

        var bytes = buffer.ToArray();
        if (Utf8Text.FirstInvalidByte(bytes) is { } position)
        {
            throw RequestRejected.Invalid(kind, [Utf8Text.Problem("the body", position)]);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw RequestRejected.Invalid(kind,
                [$"request body: invalid JSON at line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}; send the {kind} as one JSON object."]);
        }
    }

    private static RequestRejected TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, "Payload too large", [$"the body is larger than {ApiJson.MaxBodyBytes / 1024} KiB; a resource is a few kilobytes."]);
}
