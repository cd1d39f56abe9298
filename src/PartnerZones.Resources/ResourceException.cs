namespace PartnerZones.Resources;

/// <summary>A document that cannot be accepted. <see cref="Errors"/> lists every problem found, each
/// naming the resource, the field and the fix.</summary>
public sealed class ResourceException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public ResourceException(string error)
        : this([error])
    {
    }

    public IReadOnlyList<string> Errors { get; } = errors;
}
