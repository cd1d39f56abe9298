using System.Globalization;
using System.Text;
using PartnerZones.ControlPlane.Api;

namespace PartnerZones.Cli.Client;

/// <summary>
/// The console refuses request bodies over <see cref="ApiJson.MaxBodyBytes"/> (413) and closes the
/// connection while a larger one is still being sent, which the client would only see as a broken
/// connection ("cannot reach the console"). So sizes are checked here first and said in megabytes.
/// </summary>
internal static class RequestSizes
{
    public static int Limit => ApiJson.MaxBodyBytes;

    /// <summary>"the console accepts at most 1 MB per request".</summary>
    public static string Accepts => $"the console accepts at most {Megabytes(Limit)} MB per request";

    /// <summary>Why a file of <paramref name="bytes"/> bytes cannot be applied, or null when it can.</summary>
    public static string? FileTooLarge(string source, long bytes) =>
        bytes > Limit ? $"{source}: the file is {Megabytes(bytes)} MB; {Accepts}; split the resources over smaller files." : null;

    /// <summary>Why a request body of <paramref name="json"/> cannot be sent, or null when it can.</summary>
    public static string? TooLarge(string json)
    {
        var bytes = Encoding.UTF8.GetByteCount(json);
        return bytes > Limit ? $"the resource is {Megabytes(bytes)} MB as JSON; {Accepts}; shorten its text fields." : null;
    }

    /// <summary>The one line for a 413 answer, with the console's own words.</summary>
    public static string Refused(string? json, string consoleMessage) =>
        $"the console refused the request as too large{(json is null ? "" : $" ({Megabytes(Encoding.UTF8.GetByteCount(json))} MB)")}: {consoleMessage.TrimEnd('.')}; {Accepts}.";

    /// <summary>Megabytes (2^20 bytes), rounded up to one decimal (50, 1.5), so a size just over the limit
    /// never reads as equal to it.</summary>
    public static string Megabytes(long bytes) => (Math.Ceiling(bytes / (1024.0 * 1024.0) * 10) / 10).ToString("0.#", CultureInfo.InvariantCulture);
}
