namespace PartnerZones.Protocol.Generator;

/// <summary>
/// Reads one schema file (format described in src/PartnerZones.Protocol/Schema/README.md).
/// Indentation is two spaces per level; every problem is reported with the file and line.
/// </summary>
public static class SchemaParser
{
    private sealed record SourceLine(int Number, int Indent, string Text, string? Comment);

    public static ApiDef Parse(string path, string text)
    {
        var lines = ReadLines(path, text);
        string? name = null;
        short? key = null;
        VersionRange? versions = null;
        VersionRange flexible = VersionRange.None;
        string? apiComment = null;
        List<FieldDef>? request = null;
        List<FieldDef>? response = null;
        var common = new List<StructDef>();

        var i = 0;
        while (i < lines.Count)
        {
            var line = lines[i];
            if (line.Indent != 0)
            {
                throw Error(path, line, "expected a top-level directive (api, versions, flexible, request, response, struct)");
            }

            var words = line.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            i++;
            switch (words[0])
            {
                case "api" when words.Length == 3:
                    name = words[1];
                    key = short.Parse(words[2]);
                    apiComment = line.Comment;
                    break;
                case "versions" when words.Length == 2:
                    versions = ParseRange(path, line, words[1]);
                    break;
                case "flexible" when words.Length == 2:
                    flexible = ParseRange(path, line, words[1]);
                    break;
                case "request" when words.Length == 1:
                    request = ParseFields(path, lines, ref i, 2);
                    break;
                case "response" when words.Length == 1:
                    response = ParseFields(path, lines, ref i, 2);
                    break;
                case "struct" when words.Length == 2:
                    common.Add(new StructDef { Name = words[1], Fields = ParseFields(path, lines, ref i, 2) });
                    break;
                default:
                    throw Error(path, line, $"unknown directive '{line.Text}'");
            }
        }

        if (name is null || key is null || versions is null || request is null || response is null)
        {
            throw new SchemaException($"{path}: a schema needs 'api NAME KEY', 'versions', 'request' and 'response'");
        }

        var api = new ApiDef
        {
            Name = name,
            Key = key.Value,
            Versions = versions.Value,
            Flexible = flexible,
            SourceFile = Path.GetFileName(path),
            RequestFields = request,
            ResponseFields = response,
            CommonStructs = common,
            Comment = apiComment,
        };
        SchemaValidator.Validate(path, api);
        return api;
    }

    private static List<SourceLine> ReadLines(string path, string text)
    {
        var result = new List<SourceLine>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var content = raw.TrimEnd('\r', ' ', '\t');
            string? comment = null;
            var hash = content.IndexOf('#');
            if (hash >= 0)
            {
                comment = content[(hash + 1)..].Trim();
                content = content[..hash].TrimEnd();
            }

            if (content.Length == 0)
            {
                continue;
            }

            if (content.Contains('\t'))
            {
                throw new SchemaException($"{path}:{number}: use spaces, not tabs");
            }

            var indent = content.Length - content.TrimStart(' ').Length;
            if (indent % 2 != 0)
            {
                throw new SchemaException($"{path}:{number}: indentation must be a multiple of two spaces");
            }

            result.Add(new SourceLine(number, indent, content.Trim(), string.IsNullOrEmpty(comment) ? null : comment));
        }

        return result;
    }

    private static List<FieldDef> ParseFields(string path, List<SourceLine> lines, ref int i, int indent)
    {
        var fields = new List<FieldDef>();
        while (i < lines.Count && lines[i].Indent >= indent)
        {
            var line = lines[i];
            if (line.Indent != indent)
            {
                throw Error(path, line, $"unexpected indentation (expected {indent} spaces)");
            }

            i++;
            var field = ParseField(path, line);
            if (i < lines.Count && lines[i].Indent > indent)
            {
                if (field.IsPrimitive)
                {
                    throw Error(path, lines[i], $"field '{field.Name}' is a {field.Type}; only struct fields have children");
                }

                field.Children.AddRange(ParseFields(path, lines, ref i, indent + 2));
            }

            fields.Add(field);
        }

        return fields;
    }

    private static FieldDef ParseField(string path, SourceLine line)
    {
        var words = line.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3)
        {
            throw Error(path, line, "a field is 'Name Type Versions [nullable R] [tag N] [default V]'");
        }

        var type = words[1];
        var isArray = type.StartsWith("[]", StringComparison.Ordinal);
        if (isArray)
        {
            type = type[2..];
        }

        VersionRange nullable = VersionRange.None;
        int? tag = null;
        string? defaultValue = null;
        for (var w = 3; w < words.Length; w += 2)
        {
            if (w + 1 >= words.Length)
            {
                throw Error(path, line, $"'{words[w]}' needs a value");
            }

            switch (words[w])
            {
                case "nullable":
                    nullable = ParseRange(path, line, words[w + 1]);
                    break;
                case "tag":
                    tag = int.Parse(words[w + 1]);
                    break;
                case "default":
                    defaultValue = words[w + 1];
                    break;
                default:
                    throw Error(path, line, $"unknown field option '{words[w]}' (nullable, tag, default)");
            }
        }

        return new FieldDef
        {
            Name = words[0],
            Type = type,
            IsArray = isArray,
            Versions = ParseRange(path, line, words[2]),
            Nullable = nullable,
            Tag = tag,
            Default = defaultValue,
            Comment = line.Comment,
            Line = line.Number,
        };
    }

    private static VersionRange ParseRange(string path, SourceLine line, string text)
    {
        try
        {
            return VersionRange.Parse(text);
        }
        catch (FormatException)
        {
            throw Error(path, line, $"'{text}' is not a version range (use 3+, 2-7, 5 or none)");
        }
    }

    private static SchemaException Error(string path, SourceLine line, string message) =>
        new($"{path}:{line.Number}: {message}");
}

public sealed class SchemaException(string message) : Exception(message);
