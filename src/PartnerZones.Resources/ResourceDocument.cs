using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PartnerZones.Resources;

/// <summary>One YAML document of a multi-document stream, before it is bound to a type.</summary>
public sealed class ResourceDocument
{
    internal ResourceDocument(YamlMappingNode root, string source, int line)
    {
        Root = root;
        Source = source;
        Line = line;
        Kind = Scalar("kind");
        ApiVersion = Scalar("apiVersion");
        Name = (root.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode m
            && m.Children.TryGetValue(new YamlScalarNode("name"), out var name) && name is YamlScalarNode s) ? s.Value : null;
    }

    internal YamlMappingNode Root { get; }

    /// <summary>File name or other origin, for error messages.</summary>
    public string Source { get; }

    /// <summary>1-based line where the document starts.</summary>
    public int Line { get; }

    public string? Kind { get; }

    public string? ApiVersion { get; }

    public string? Name { get; }

    /// <summary>"PartnerZone 'acme'" or "document at line 12 of FILE" when unnamed, for messages.</summary>
    public string Describe() =>
        Kind is not null && Name is not null ? $"{Kind} {KafkaNames.Quoted(Name)}" : $"document at line {Line} of {Source}";

    private string? Scalar(string key) =>
        Root.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;

    /// <summary>Reads every document of a YAML stream. Empty documents are skipped. Nesting deeper than
    /// <see cref="NestingGuard.MaxDepth"/> levels is refused before it is built.</summary>
    public static IReadOnlyList<ResourceDocument> ReadAll(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new NestingGuard(new Parser(new StringReader(yaml)), source));
        }
        catch (YamlException e)
        {
            throw new ResourceException($"{source}: invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
        }

        var documents = new List<ResourceDocument>();
        foreach (var document in stream.Documents)
        {
            switch (document.RootNode)
            {
                case YamlMappingNode mapping:
                    documents.Add(new ResourceDocument(mapping, source, (int)mapping.Start.Line));
                    break;
                case YamlScalarNode { Value: null or "" }:
                    break;
                default:
                    throw new ResourceException(
                        $"{source}: the document at line {document.RootNode.Start.Line} is not a mapping; a resource starts with 'apiVersion:' and 'kind:'.");
            }
        }

        return documents;
    }
}
