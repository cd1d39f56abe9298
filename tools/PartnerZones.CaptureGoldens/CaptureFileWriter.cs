using System.Text;

namespace PartnerZones.CaptureGoldens;

/// <summary>
/// Writes each frame as hex text under <c>&lt;root&gt;/&lt;client&gt;/</c>: one header line of
/// key=value pairs, then the frame (header and body, no size prefix), 32 bytes per line. Text
/// rather than binary so a diff of re-captured frames is readable in review.
/// </summary>
internal static class CaptureFileWriter
{
    public const string Extension = ".hex";
    private const int BytesPerLine = 32;

    /// <summary>Replaces the client's capture files with <paramref name="selected"/>; returns the paths written.</summary>
    public static List<string> Write(string root, string client, IReadOnlyList<SelectedCapture> selected)
    {
        var directory = Path.Combine(root, client);
        Directory.CreateDirectory(directory);
        foreach (var stale in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            File.Delete(stale);
        }

        var written = new List<string>();
        var number = 0;
        foreach (var (exchange, variant) in selected)
        {
            number++;
            var stem = $"{number:D2}-{exchange.Scenario}-{exchange.ApiName}-v{exchange.ApiVersion}" + (variant.Length > 0 ? "-" + variant : "");
            written.Add(WriteFrame(directory, stem, exchange, "request", exchange.Request, exchange.ApiVersion));
            if (exchange.Response is { } response)
            {
                written.Add(WriteFrame(directory, stem, exchange, "response", response, exchange.ResponseBodyVersion));
            }
        }

        return written;
    }

    private static string WriteFrame(string directory, string stem, CapturedExchange exchange, string direction, byte[] frame, short bodyVersion)
    {
        var text = new StringBuilder();
        text.Append($"# client={exchange.Client} scenario={exchange.Scenario} api={exchange.ApiName} key={exchange.ApiKey} ")
            .Append($"version={exchange.ApiVersion} direction={direction} correlation={exchange.CorrelationId} ")
            .Append($"body-version={bodyVersion} length={frame.Length}\n");
        for (var at = 0; at < frame.Length; at += BytesPerLine)
        {
            text.Append(Convert.ToHexStringLower(frame, at, Math.Min(BytesPerLine, frame.Length - at))).Append('\n');
        }

        var path = Path.Combine(directory, $"{stem}-{direction}{Extension}");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
