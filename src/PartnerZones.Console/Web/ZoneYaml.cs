using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PartnerZones.Resources;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PartnerZones.ControlPlane.Web;

/// <summary>The YAML document the review step shows: what <c>pz apply -f</c> would send for the same zone,
/// so people learn the file format while using the UI.</summary>
public static partial class ZoneYaml
{
    public static string Write(PartnerZone zone)
    {
        var json = JsonSerializer.SerializeToElement(zone with { Metadata = new ResourceMetadata { Name = zone.Metadata.Name, Labels = zone.Metadata.Labels } }, ResourceJson.Options);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, json);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Emit(IEmitter emitter, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                emitter.Emit(new MappingStart());
                foreach (var member in value.EnumerateObject().Where(m => m.Value.ValueKind != JsonValueKind.Null))
                {
                    emitter.Emit(Text(member.Name));
                    Emit(emitter, member.Value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonValueKind.Array:
                emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
                foreach (var item in value.EnumerateArray())
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValueKind.String:
                emitter.Emit(Text(value.GetString()!));
                break;
            default:
                emitter.Emit(new Scalar(null, null, value.GetRawText(), ScalarStyle.Plain, true, false));
                break;
        }
    }

    /// <summary>Quoted when a YAML reader would take the plain text for a number, boolean or null.</summary>
    private static Scalar Text(string text) =>
        text.Length == 0 || NotAString().IsMatch(text)
            ? new Scalar(null, null, text, ScalarStyle.DoubleQuoted, false, true)
            : new Scalar(null, null, text, ScalarStyle.Any, true, true);

    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|[-+]?(\.?[0-9].*|\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN)$")]
    private static partial Regex NotAString();
}
