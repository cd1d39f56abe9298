using System.Globalization;

namespace PartnerZones.Protocol.Generator;

/// <summary>How each schema type maps to C#: property types, defaults and the reader/writer calls.</summary>
public static class CSharpTypes
{
    public static string Element(string type) => type switch
    {
        "int8" => "sbyte",
        "int16" => "short",
        "int32" => "int",
        "int64" => "long",
        "uint16" => "ushort",
        "uint32" => "uint",
        "float64" => "double",
        "bool" => "bool",
        "uuid" => "Guid",
        "string" => "string",
        "bytes" or "records" => "ReadOnlyMemory<byte>",
        _ => type,
    };

    /// <summary>True when the C# property may hold null: nullable on the wire, a tagged struct, or a null default.</summary>
    public static bool PropertyIsNullable(FieldDef f)
    {
        if (f.CanBeNull || f.Default == "null")
        {
            return true;
        }

        return f.Tag is not null && f.IsStruct && !f.IsArray;
    }

    public static string Property(FieldDef f)
    {
        var element = Element(f.Type);
        var baseType = f.IsArray ? $"List<{element}>" : element;
        var nullableCapable = f.IsArray || f.IsStruct || f.Type is "string" or "bytes" or "records";
        return nullableCapable && PropertyIsNullable(f) ? baseType + "?" : baseType;
    }

    /// <summary>The C# expression a property starts with (and keeps in versions that lack the field).</summary>
    public static string Initial(FieldDef f)
    {
        if (f.Default == "null")
        {
            return "null";
        }

        if (f.IsArray)
        {
            return "new()";
        }

        if (f.IsStruct)
        {
            return PropertyIsNullable(f) ? "null" : "new()";
        }

        return f.Type switch
        {
            "string" => f.Default is null ? (f.CanBeNull ? "null" : "\"\"") : Literal(f.Default),
            "bytes" or "records" => f.CanBeNull ? "null" : "ReadOnlyMemory<byte>.Empty",
            "bool" => f.Default ?? "false",
            "uuid" => "Guid.Empty",
            "float64" => f.Default is null ? "0d" : $"{f.Default}d",
            _ => f.Default is null ? "0" : $"unchecked(({Element(f.Type)}){Number(f.Default)})",
        };
    }

    private static string Literal(string value)
    {
        var inner = value.StartsWith('"') && value.EndsWith('"') && value.Length >= 2 ? value[1..^1] : value;
        return "\"" + inner.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }

    private static string Number(string value)
    {
        if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return "0x" + value[2..];
        }

        return long.Parse(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "L";
    }

    /// <summary>An expression that is true when a tagged field holds something other than its default,
    /// which is when Kafka writes it.</summary>
    public static string DiffersFromDefault(FieldDef f, string access)
    {
        if (f.IsArray)
        {
            return PropertyIsNullable(f) && f.Default == "null" ? $"{access} is not null" : $"{access} is {{ Count: > 0 }}";
        }

        if (f.IsStruct)
        {
            return $"{access} is not null";
        }

        return f.Type switch
        {
            "bytes" or "records" => PropertyIsNullable(f) ? $"{access} is not null" : $"{access}.Length != 0",
            "string" => $"{access} != {Initial(f)}",
            _ => $"{access} != {Initial(f)}",
        };
    }

    /// <summary>Expression reading one value (not an array, not a struct) with the given reader.</summary>
    public static string ReadPrimitive(string type, string reader, string nullableHere) => type switch
    {
        "int8" => $"{reader}.ReadInt8()",
        "int16" => $"{reader}.ReadInt16()",
        "int32" => $"{reader}.ReadInt32()",
        "int64" => $"{reader}.ReadInt64()",
        "uint16" => $"{reader}.ReadUInt16()",
        "uint32" => $"{reader}.ReadUInt32()",
        "float64" => $"{reader}.ReadFloat64()",
        "bool" => $"{reader}.ReadBool()",
        "uuid" => $"{reader}.ReadUuid()",
        "string" => nullableHere == "false" ? $"{reader}.ReadString(flexible)"
            : nullableHere == "true" ? $"{reader}.ReadNullableString(flexible)"
            : $"({nullableHere} ? {reader}.ReadNullableString(flexible) : {reader}.ReadString(flexible))",
        "bytes" or "records" => nullableHere == "false" ? $"{reader}.ReadBytes(flexible)"
            : nullableHere == "true" ? $"{reader}.ReadNullableBytes(flexible)"
            : $"({nullableHere} ? {reader}.ReadNullableBytes(flexible) : {reader}.ReadBytes(flexible))",
        _ => throw new InvalidOperationException(type),
    };

    /// <summary>Statement writing one primitive value that is known not to be null here, or may be null.</summary>
    public static string WritePrimitive(string type, string writer, string value, bool valueMayBeNull, string nullableHere, string fieldPath) => type switch
    {
        "int8" => $"{writer}.WriteInt8({value});",
        "int16" => $"{writer}.WriteInt16({value});",
        "int32" => $"{writer}.WriteInt32({value});",
        "int64" => $"{writer}.WriteInt64({value});",
        "uint16" => $"{writer}.WriteUInt16({value});",
        "uint32" => $"{writer}.WriteUInt32({value});",
        "float64" => $"{writer}.WriteFloat64({value});",
        "bool" => $"{writer}.WriteBool({value});",
        "uuid" => $"{writer}.WriteUuid({value});",
        "string" => !valueMayBeNull ? $"{writer}.WriteString({value}, flexible);"
            : nullableHere == "true" ? $"{writer}.WriteNullableString({value}, flexible);"
            : nullableHere == "false" ? $"{writer}.WriteString({value} ?? throw NullNotAllowed(\"{fieldPath}\"), flexible);"
            : $"if ({nullableHere}) {{ {writer}.WriteNullableString({value}, flexible); }} else {{ {writer}.WriteString({value} ?? throw NullNotAllowed(\"{fieldPath}\"), flexible); }}",
        "bytes" or "records" => !valueMayBeNull ? $"{writer}.WriteBytes({value}, flexible);"
            : nullableHere == "true" ? $"{writer}.WriteNullableBytes({value}, flexible);"
            : nullableHere == "false" ? $"{writer}.WriteBytes({value} ?? throw NullNotAllowed(\"{fieldPath}\"), flexible);"
            : $"if ({nullableHere}) {{ {writer}.WriteNullableBytes({value}, flexible); }} else {{ {writer}.WriteBytes({value} ?? throw NullNotAllowed(\"{fieldPath}\"), flexible); }}",
        _ => throw new InvalidOperationException(type),
    };

    /// <summary>Smallest number of bytes one array element takes on the wire, used to bound array counts.</summary>
    public static int MinSize(string type) => type switch
    {
        "int8" or "bool" => 1,
        "int16" or "uint16" => 2,
        "int32" or "uint32" => 4,
        "int64" or "float64" => 8,
        "uuid" => 16,
        _ => 1,
    };
}
