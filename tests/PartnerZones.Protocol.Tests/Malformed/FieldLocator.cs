using System.Buffers.Binary;
using System.Collections;
using System.Reflection;
using System.Text;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Protocol.Tests.Malformed;

public enum FieldKind
{
    String,
    Bytes,
    Array,
    Bool,
}

/// <summary>
/// Where one field sits in an encoded frame. <see cref="At"/> is the first byte of its length or count
/// prefix (or the bool byte); <see cref="PrefixLength"/> bytes of prefix are followed by
/// <see cref="DataLength"/> bytes of string or bytes data.
/// </summary>
public sealed record Location(FieldKind Kind, string Field, bool NullAllowedByType, byte[] Frame, int At, int PrefixLength, int DataLength)
{
    public override string ToString() => $"{Kind} {Field} at {At}";
}

/// <summary>
/// Finds fields in the encoding of a generated message without knowing the API: strings and bytes are
/// set to unique markers and found in the output; array counts are found by encoding the message again with
/// one more element and looking for the count that changed; bools by encoding false and true. Works for
/// every API the generator produces, so the tests built on it grow with <see cref="ApiMessages.All"/>.
/// </summary>
public static class FieldLocator
{
    private const int MarkerLength = 9;

    public static List<Location> Locate(Case c, IKafkaMessage message)
    {
        var locations = new List<Location>();

        // Strings and bytes: unique ASCII markers of the same length, so prefixes are predictable.
        var markers = new List<(string Field, bool NullAllowed, FieldKind Kind, string Marker)>();
        foreach (var (owner, prop) in Slots(message))
        {
            var field = $"{owner.GetType().Name}.{prop.Name}";
            var type = prop.PropertyType;
            if (type == typeof(string))
            {
                var marker = NextMarker(markers.Count);
                prop.SetValue(owner, marker);
                markers.Add((field, IsNullable(prop), FieldKind.String, marker));
            }
            else if (type == typeof(ReadOnlyMemory<byte>) || type == typeof(ReadOnlyMemory<byte>?))
            {
                var marker = NextMarker(markers.Count);
                prop.SetValue(owner, new ReadOnlyMemory<byte>(Encoding.ASCII.GetBytes(marker)));
                markers.Add((field, type != typeof(ReadOnlyMemory<byte>), FieldKind.Bytes, marker));
            }
            else if (type == typeof(List<string>) && prop.GetValue(owner) is List<string> strings)
            {
                for (var i = 0; i < strings.Count; i++)
                {
                    var marker = NextMarker(markers.Count);
                    strings[i] = marker;
                    markers.Add((field, false, FieldKind.String, marker));
                }
            }
        }

        var frame = message.Encode(c.Version);
        foreach (var (field, nullAllowed, kind, marker) in markers)
        {
            var at = IndexOfUnique(frame, Encoding.ASCII.GetBytes(marker));
            if (at < 0)
            {
                continue; // not on the wire in this version
            }

            var prefix = PrefixBefore(frame, at, kind, c.Flexible);
            if (prefix > 0)
            {
                locations.Add(new Location(kind, field, nullAllowed, frame, at - prefix, prefix, MarkerLength));
            }
        }

        // Arrays: one more element changes the count and nothing before it but enclosing tagged-field sizes.
        foreach (var (owner, prop) in Slots(message))
        {
            if (ListElement(prop.PropertyType) is null || prop.GetValue(owner) is not IList { Count: > 0 } list)
            {
                continue;
            }

            var n = list.Count;
            list.Add(list[n - 1]);
            byte[] longer;
            try
            {
                longer = message.Encode(c.Version);
            }
            finally
            {
                list.RemoveAt(n);
            }

            var at = CountPosition(frame, longer, n, c.Flexible);
            if (at >= 0)
            {
                locations.Add(new Location(FieldKind.Array, $"{owner.GetType().Name}.{prop.Name}", IsNullable(prop), frame, at, c.Flexible ? 1 : 4, 0));
            }
        }

        // Bools: encode false and true; a field on the wire differs in exactly one byte.
        foreach (var (owner, prop) in Slots(message))
        {
            if (prop.PropertyType != typeof(bool))
            {
                continue;
            }

            var saved = prop.GetValue(owner)!;
            prop.SetValue(owner, false);
            var off = message.Encode(c.Version);
            prop.SetValue(owner, true);
            var on = message.Encode(c.Version);
            prop.SetValue(owner, saved);
            if (off.Length != on.Length)
            {
                continue; // a tagged bool, written only when it differs from its default
            }

            var diffs = Enumerable.Range(0, on.Length).Where(i => off[i] != on[i]).ToList();
            if (diffs.Count == 1 && off[diffs[0]] == 0 && on[diffs[0]] == 1)
            {
                locations.Add(new Location(FieldKind.Bool, $"{owner.GetType().Name}.{prop.Name}", false, on, diffs[0], 1, 0));
            }
        }

        return locations;
    }

    /// <summary>Every settable property of the message and of the structs below it, arrays included.</summary>
    public static List<(object Owner, PropertyInfo Prop)> Slots(object root)
    {
        var result = new List<(object, PropertyInfo)>();
        Walk(root, result);
        return result;
    }

    private static void Walk(object node, List<(object, PropertyInfo)> result)
    {
        foreach (var prop in node.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!prop.CanRead || !prop.CanWrite || prop.GetIndexParameters().Length != 0 || prop.Name == "UnknownTaggedFields")
            {
                continue;
            }

            result.Add((node, prop));
            var value = prop.GetValue(node);
            if (value is null)
            {
                continue;
            }

            if (IsStruct(prop.PropertyType))
            {
                Walk(value, result);
            }
            else if (ListElement(prop.PropertyType) is { } element && IsStruct(element))
            {
                foreach (var item in (IList)value)
                {
                    Walk(item!, result);
                }
            }
        }
    }

    public static bool IsStruct(Type type) =>
        type.IsClass && type.IsNested && type.Assembly == typeof(ApiMessages).Assembly;

    public static Type? ListElement(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;

    // NullabilityInfoContext caches without locks; tests run in parallel, so one per call.
    private static bool IsNullable(PropertyInfo prop) =>
        new NullabilityInfoContext().Create(prop).ReadState != NullabilityState.NotNull;

    private static string NextMarker(int i) => $"#PZ{i:D5}#";

    private static int IndexOfUnique(byte[] frame, byte[] needle)
    {
        var at = frame.AsSpan().IndexOf(needle);
        if (at < 0)
        {
            return -1;
        }

        return frame.AsSpan(at + 1).IndexOf(needle) < 0 ? at : -1;
    }

    /// <summary>The length of the prefix just before <paramref name="at"/> if it encodes the marker length.</summary>
    private static int PrefixBefore(byte[] frame, int at, FieldKind kind, bool flexible)
    {
        if (flexible)
        {
            return at >= 1 && frame[at - 1] == MarkerLength + 1 ? 1 : 0;
        }

        if (kind == FieldKind.String)
        {
            return at >= 2 && BinaryPrimitives.ReadInt16BigEndian(frame.AsSpan(at - 2)) == MarkerLength ? 2 : 0;
        }

        return at >= 4 && BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(at - 4)) == MarkerLength ? 4 : 0;
    }

    /// <summary>Where the count of an array with <paramref name="n"/> elements starts, given the encoding with n + 1.</summary>
    private static int CountPosition(byte[] frame, byte[] longer, int n, bool flexible)
    {
        var length = Math.Min(frame.Length, longer.Length);
        for (var i = 0; i < length; i++)
        {
            if (frame[i] == longer[i])
            {
                continue;
            }

            if (flexible)
            {
                // Compact count n + 1 becomes n + 2; enclosing tagged-field sizes change too but come first
                // and grow by a whole element, so they cannot match unless elements are one byte.
                if (n + 2 < 0x80 && frame[i] == n + 1 && longer[i] == n + 2)
                {
                    return i;
                }
            }
            else if (i >= 3 &&
                     BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(i - 3)) == n &&
                     BinaryPrimitives.ReadInt32BigEndian(longer.AsSpan(i - 3)) == n + 1)
            {
                return i - 3;
            }
            else
            {
                return -1;
            }
        }

        return -1;
    }
}
