using System.Globalization;

namespace PartnerZones.Protocol.Tests.Golden;

/// <summary>
/// One captured frame (header and body, no size prefix) and what its header line says about it.
/// The format is written by tools/PartnerZones.CaptureGoldens and described in TestData/Captures/README.md.
/// </summary>
public sealed record CaptureFile(
    string RelativePath,
    string Client,
    string Scenario,
    string Api,
    short ApiKey,
    short Version,
    bool IsRequest,
    int CorrelationId,
    short BodyVersion,
    byte[] Frame)
{
    public const string Extension = ".hex";

    /// <summary>Request and response of one exchange share this name: the file's path without the
    /// direction and extension (e.g. "kcat/05-produce-Produce-v7").</summary>
    public string ExchangeName
    {
        get
        {
            var suffix = (IsRequest ? "-request" : "-response") + Extension;
            return RelativePath.EndsWith(suffix, StringComparison.Ordinal) ? RelativePath[..^suffix.Length] : RelativePath;
        }
    }

    /// <summary>What the capture tool called this exchange's shape ("all-topics", "records", "new-member"...), or "".</summary>
    public string Shape
    {
        get
        {
            var marker = $"-{Api}-v{Version}";
            var at = ExchangeName.LastIndexOf(marker, StringComparison.Ordinal);
            return at < 0 ? "" : ExchangeName[(at + marker.Length)..].TrimStart('-');
        }
    }

    public static CaptureFile Parse(string relativePath, string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || !lines[0].StartsWith("# ", StringComparison.Ordinal))
        {
            throw new FormatException($"{relativePath}: the first line must be the '# key=value ...' header");
        }

        var fields = new Dictionary<string, string>();
        foreach (var pair in lines[0][2..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"{relativePath}: header item '{pair}' is not key=value");
            }

            fields[pair[..equals]] = pair[(equals + 1)..];
        }

        string Field(string name) =>
            fields.TryGetValue(name, out var value) ? value : throw new FormatException($"{relativePath}: the header has no '{name}='");

        var direction = Field("direction");
        if (direction is not ("request" or "response"))
        {
            throw new FormatException($"{relativePath}: direction '{direction}' is neither request nor response");
        }

        var frame = Convert.FromHexString(string.Concat(lines.Skip(1).Select(l => l.Trim())));
        var length = int.Parse(Field("length"), CultureInfo.InvariantCulture);
        if (frame.Length != length)
        {
            throw new FormatException($"{relativePath}: the header says {length} bytes but the hex holds {frame.Length}");
        }

        return new CaptureFile(
            relativePath,
            Field("client"),
            Field("scenario"),
            Field("api"),
            short.Parse(Field("key"), CultureInfo.InvariantCulture),
            short.Parse(Field("version"), CultureInfo.InvariantCulture),
            direction == "request",
            int.Parse(Field("correlation"), CultureInfo.InvariantCulture),
            short.Parse(Field("body-version"), CultureInfo.InvariantCulture),
            frame);
    }

    public override string ToString() => RelativePath;
}
