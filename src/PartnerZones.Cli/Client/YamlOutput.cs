using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PartnerZones.Cli.Client;

/// <summary>Writes the console's JSON as YAML in the same shape and field order, so <c>pz get -o yaml</c>
/// output can be edited and applied again. Strings that YAML would read as another type (numbers, booleans,
/// null, dates) are quoted.</summary>
internal static partial class YamlOutput
{
    public static string Write(JsonElement value)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, value);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    /// <summary>Several documents, separated by <c>---</c> lines.</summary>
    public static string WriteAll(IEnumerable<JsonElement> values) => string.Join("---\n", values.Select(Write));

    private static void Emit(IEmitter emitter, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                emitter.Emit(new MappingStart());
                foreach (var member in value.EnumerateObject())
                {
                    emitter.Emit(String(member.Name));
                    Emit(emitter, member.Value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonValueKind.Array:
                emitter.Emit(new SequenceStart(null, null, false, value.GetArrayLength() == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in value.EnumerateArray())
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValueKind.String:
                emitter.Emit(String(value.GetString()!));
                break;
            default:
                // Numbers, true, false and null are written as JSON writes them, which is valid plain YAML.
                emitter.Emit(new Scalar(null, null, value.GetRawText(), ScalarStyle.Plain, true, false));
                break;
        }
    }

    private static Scalar String(string text) =>
        Ambiguous().IsMatch(text) || text.Length == 0
            ? new Scalar(null, null, text, ScalarStyle.DoubleQuoted, false, true)
            : new Scalar(null, null, text, ScalarStyle.Any, true, true);

    /// <summary>Plain scalars YAML 1.1 or 1.2 readers would take for something other than a string.</summary>
    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|[-+]?(\.?[0-9].*|\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN)$")]
    private static partial Regex Ambiguous();
}
