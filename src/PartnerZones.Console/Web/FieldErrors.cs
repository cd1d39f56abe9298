using System.Text.RegularExpressions;

namespace PartnerZones.ControlPlane.Web;

/// <summary>
/// The validators' messages ("PartnerZone 'acme': spec.topics[0].name is empty; ...") sorted by the form
/// field they are about, so each appears beside its input. Messages that name no field are shown above
/// the form. The words are the API's own, minus the resource prefix the page already shows.
/// </summary>
public sealed partial class FieldErrors
{
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public List<string> General { get; } = [];

    public bool Any => General.Count > 0 || _byField.Count > 0;

    /// <summary>The fields that have messages.</summary>
    public IEnumerable<string> Fields => _byField.Keys;

    public IEnumerable<string> All => General.Concat(_byField.Values.SelectMany(v => v));

    public static FieldErrors From(IEnumerable<string> messages)
    {
        var errors = new FieldErrors();
        foreach (var message in messages)
        {
            errors.AddMessage(message);
        }

        return errors;
    }

    public void AddMessage(string message)
    {
        var text = Prefix().Replace(message, "", 1);
        var field = Field().Match(text);
        if (field.Success)
        {
            Add(field.Value, text);
        }
        else
        {
            General.Add(text);
        }
    }

    public void Add(string field, string text)
    {
        if (!_byField.TryGetValue(field, out var list))
        {
            _byField[field] = list = [];
        }

        list.Add(text);
    }

    public IReadOnlyList<string> For(string field) => _byField.TryGetValue(field, out var list) ? list : [];

    /// <summary>Whether any message is about <paramref name="prefix"/> or a field under it.</summary>
    public bool AnyUnder(string prefix) => _byField.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Keeps only messages about fields for which <paramref name="keep"/> is true (and general ones).</summary>
    public FieldErrors Where(Func<string, bool> keep)
    {
        var kept = new FieldErrors();
        kept.General.AddRange(General);
        foreach (var (field, list) in _byField.Where(p => keep(p.Key)))
        {
            kept._byField[field] = list;
        }

        return kept;
    }

    [GeneratedRegex(@"^(PartnerZone|KafkaCluster) '[^']*': ")]
    private static partial Regex Prefix();

    /// <summary>The first field path in a message: metadata.name, spec.cluster, spec.topics[2].name, spec.partner.email,
    /// spec.headers.addOnProduce[1].value.</summary>
    [GeneratedRegex(@"(metadata\.name|spec\.[A-Za-z]+(\[\d+\])?(\.[A-Za-z]+)?(\[\d+\])?(\.[A-Za-z]+)?)")]
    private static partial Regex Field();
}
