namespace PartnerZones.Protocol.Generator;

/// <summary>An inclusive version range; <c>Lowest &gt; Highest</c> means no version.</summary>
public readonly record struct VersionRange(short Lowest, short Highest)
{
    public static readonly VersionRange None = new(1, 0);

    public bool IsNone => Lowest > Highest;

    public bool Contains(short version) => version >= Lowest && version <= Highest;

    public VersionRange Intersect(VersionRange other) =>
        new(Math.Max(Lowest, other.Lowest), Math.Min(Highest, other.Highest));

    /// <summary>Parses "3+", "2-7", "5" or "none".</summary>
    public static VersionRange Parse(string text)
    {
        if (text == "none")
        {
            return None;
        }

        if (text.EndsWith('+'))
        {
            return new(short.Parse(text[..^1]), short.MaxValue);
        }

        var dash = text.IndexOf('-');
        return dash < 0
            ? new(short.Parse(text), short.Parse(text))
            : new(short.Parse(text[..dash]), short.Parse(text[(dash + 1)..]));
    }

    public override string ToString() =>
        IsNone ? "none" : Highest == short.MaxValue ? $"{Lowest}+" : Lowest == Highest ? $"{Lowest}" : $"{Lowest}-{Highest}";
}

/// <summary>One field of a message or struct, as written in a schema file.</summary>
public sealed class FieldDef
{
    public required string Name { get; init; }

    /// <summary>Element type for arrays, the type itself otherwise (a primitive or a struct name).</summary>
    public required string Type { get; init; }

    public required bool IsArray { get; init; }

    public required VersionRange Versions { get; init; }

    public VersionRange Nullable { get; init; } = VersionRange.None;

    public int? Tag { get; init; }

    public string? Default { get; init; }

    public string? Comment { get; init; }

    /// <summary>Fields of an inline struct definition (empty when the type is a primitive or a reused struct).</summary>
    public List<FieldDef> Children { get; } = [];

    public int Line { get; init; }

    public bool IsPrimitive => SchemaTypes.IsPrimitive(Type);

    public bool IsStruct => !IsPrimitive;

    public bool CanBeNull => !Nullable.IsNone;
}

/// <summary>A named struct: the request, the response, or a struct they contain.</summary>
public sealed class StructDef
{
    public required string Name { get; init; }

    public required List<FieldDef> Fields { get; init; }
}

/// <summary>Everything one schema file says about one API.</summary>
public sealed class ApiDef
{
    public required string Name { get; init; }

    public required short Key { get; init; }

    public required VersionRange Versions { get; init; }

    public required VersionRange Flexible { get; init; }

    public required string SourceFile { get; init; }

    public required List<FieldDef> RequestFields { get; init; }

    public required List<FieldDef> ResponseFields { get; init; }

    /// <summary>Structs declared at top level with <c>struct Name</c>, shared by request and response.</summary>
    public required List<StructDef> CommonStructs { get; init; }

    public string? Comment { get; init; }
}

public static class SchemaTypes
{
    private static readonly HashSet<string> Primitives =
    [
        "int8", "int16", "int32", "int64", "uint16", "uint32", "float64", "bool", "uuid", "string", "bytes", "records",
    ];

    public static bool IsPrimitive(string type) => Primitives.Contains(type);
}
