using System.Text;
using System.Text.Json;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Store;

/// <summary>
/// Which fields of a stored spec are secrets, and their encryption on the way into the store and
/// decryption on the way out, so every layer above the store sees plain specs and nothing else changes.
/// <para>
/// The value is replaced in the spec's JSON text in place; the rest of the text is left byte for byte.
/// What is encrypted is the value exactly as it is written inside the JSON quotes (escapes included), so
/// decrypting gives back the very text that was stored: canonical spec text stays comparable (equal text
/// means an equal resource, see <see cref="StoredResource"/>).
/// </para>
/// </summary>
internal static class SecretFields
{
    /// <summary>Per kind, the paths inside <c>spec</c> that hold secrets.</summary>
    private static readonly Dictionary<string, string[][]> Paths = new(StringComparer.Ordinal)
    {
        [KafkaCluster.KindName] = [["adminApi", "password"]],
    };

    public static IEnumerable<string> KindsWithSecrets => Paths.Keys;

    /// <summary>The spec with every secret encrypted.</summary>
    public static string Seal(SecretCipher cipher, string kind, string name, string spec) =>
        Transform(kind, name, spec, (value, context) => Encoding.UTF8.GetBytes(cipher.Seal(value, context)));

    /// <summary>The spec with every secret left in plain text by an older console encrypted; the same text when there is none.</summary>
    public static string SealPlain(SecretCipher cipher, string kind, string name, string spec) =>
        Transform(kind, name, spec, (value, context) => SecretCipher.IsSealed(value) ? null : Encoding.UTF8.GetBytes(cipher.Seal(value, context)));

    /// <summary>The spec with every secret decrypted. A value still in plain text (a store not yet
    /// migrated) is read as it is; one that cannot be decrypted throws a <see cref="StoreException"/>.</summary>
    public static string Open(SecretCipher cipher, string kind, string name, string spec) =>
        Transform(kind, name, spec, (value, context) =>
        {
            if (!SecretCipher.IsSealed(value))
            {
                return null;
            }

            return cipher.Open(Encoding.UTF8.GetString(value), context, out var problem)
                ?? throw new StoreException($"{context} in the store cannot be decrypted: {problem}. "
                    + "Restore the key file saved with this database; a value copied from another store cannot be read here: "
                    + $"delete that row (kind '{kind}', name '{name}') from the resources table and apply the {kind} again with its secret.");
        });

    /// <summary>Replaces each secret's text (inside its quotes) with what <paramref name="replace"/> gives,
    /// or leaves it when that is null.</summary>
    private static string Transform(string kind, string name, string spec, Func<byte[], string, byte[]?> replace)
    {
        if (!Paths.TryGetValue(kind, out var paths))
        {
            return spec;
        }

        var text = Encoding.UTF8.GetBytes(spec);
        var changed = false;
        foreach (var path in paths)
        {
            if (Find(text, path) is not { } span)
            {
                continue;
            }

            var replacement = replace(text.AsSpan(span.Start, span.Length).ToArray(), $"{kind} '{name}' spec.{string.Join('.', path)}");
            if (replacement is null)
            {
                continue;
            }

            text = [.. text.AsSpan(0, span.Start), .. replacement, .. text.AsSpan(span.Start + span.Length)];
            changed = true;
        }

        return changed ? Encoding.UTF8.GetString(text) : spec;
    }

    /// <summary>Where the string at <paramref name="path"/> is written in <paramref name="json"/>: its
    /// first byte after the opening quote and its length up to the closing one. Null when the path is
    /// absent or not a string (a null password, say).</summary>
    private static (int Start, int Length)? Find(byte[] json, string[] path)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var matched = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == matched)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            var isNext = reader.ValueTextEquals(path[matched]);
            reader.Read();
            if (!isNext)
            {
                reader.Skip();
                continue;
            }

            if (matched == path.Length - 1)
            {
                return reader.TokenType == JsonTokenType.String ? ((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length) : null;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            matched++;
        }

        return null;
    }
}
