namespace PartnerZones.Resources;

/// <summary>Reads and validates PartnerZone documents; throws one <see cref="ResourceException"/>
/// listing every problem of every document.</summary>
public static class PartnerZoneReader
{
    public static PartnerZone Bind(ResourceDocument document, List<string> errors)
    {
        var zone = YamlBinder.Bind<PartnerZone>(document, errors);
        errors.AddRange(PartnerZoneValidator.Validate(zone));
        return zone;
    }

    public static IReadOnlyList<PartnerZone> ReadAll(string yaml, string source)
    {
        var errors = new List<string>();
        var zones = new List<PartnerZone>();
        foreach (var document in ResourceDocument.ReadAll(yaml, source))
        {
            if (document.Kind != PartnerZone.KindName)
            {
                errors.Add($"{document.Describe()}: kind is '{document.Kind}'; expected {PartnerZone.KindName}.");
                continue;
            }

            zones.Add(Bind(document, errors));
        }

        return errors.Count > 0 ? throw new ResourceException(errors) : zones;
    }
}
