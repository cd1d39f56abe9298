using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PartnerZones.Resources;

/// <summary>
/// Passes a YAML parser's events through and stops once mappings and lists nest deeper than
/// <see cref="MaxDepth"/>. The parser itself keeps its state on the heap, but building the node tree
/// recurses once per level, so "[[[[..." a hundred thousand levels deep would overflow the stack and
/// kill the process; counting on the event stream refuses it before any node is built.
/// </summary>
internal sealed class NestingGuard(IParser inner, string source) : IParser
{
    /// <summary>Far beyond any resource (they nest five or six levels) and far below a stack's limit.</summary>
    public const int MaxDepth = 64;

    private int _depth;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case MappingStart or SequenceStart when ++_depth > MaxDepth:
                throw new ResourceException(
                    $"{source}: nesting deeper than {MaxDepth} levels at line {inner.Current.Start.Line}, column {inner.Current.Start.Column}; a resource needs only a few levels of mappings and lists.");
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }

        return true;
    }
}
