using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Web;

/// <summary>The fields of the create wizard and the edit page, as the browser posts them. Every step
/// posts the whole draft (earlier steps as hidden fields), so the wizard keeps no server-side state and
/// works without JavaScript.</summary>
public sealed class ZoneForm
{
    public string? Name { get; set; }

    public string? DisplayName { get; set; }

    public string? Url { get; set; }

    public string? Description { get; set; }

    public string? ServiceAccount { get; set; }

    public string? Cluster { get; set; }

    public string? ContactName { get; set; }

    public string? ContactRole { get; set; }

    public string? ContactEmail { get; set; }

    public string? ContactPhone { get; set; }

    public List<TopicRow> Topics { get; set; } = [];

    /// <summary>The service account the zone gets: the one typed, else the zone's name (the wizard proposes it).</summary>
    public string EffectiveServiceAccount => string.IsNullOrWhiteSpace(ServiceAccount) ? (Name ?? "").Trim() : ServiceAccount.Trim();

    /// <summary>The topics that will be shared: rows that are picked (create) and not removed (edit).</summary>
    public IEnumerable<TopicRow> Shared => Topics.Where(t => t.Selected && !t.Remove && !string.IsNullOrWhiteSpace(t.Backing));

    public PartnerZone ToZone() => new()
    {
        Metadata = new ResourceMetadata { Name = (Name ?? "").Trim() },
        Spec = new PartnerZoneSpec
        {
            Cluster = (Cluster ?? "").Trim(),
            DisplayName = Blank(DisplayName),
            Url = Blank(Url),
            Description = Blank(Description),
            ServiceAccount = EffectiveServiceAccount,
            Topics = [.. Shared.Select(t => new SharedTopic
            {
                Name = string.IsNullOrWhiteSpace(t.Alias) ? t.Backing!.Trim() : t.Alias.Trim(),
                BackingTopic = t.Backing!.Trim(),
                Permission = t.Permission ?? "",
            })],
            Partner = Contact(),
        },
    };

    public static ZoneForm From(PartnerZone zone) => new()
    {
        Name = zone.Metadata.Name,
        DisplayName = zone.Spec.DisplayName,
        Url = zone.Spec.Url,
        Description = zone.Spec.Description,
        ServiceAccount = zone.Spec.EffectiveServiceAccount,
        Cluster = zone.Spec.Cluster,
        ContactName = zone.Spec.Partner?.Name,
        ContactRole = zone.Spec.Partner?.Role,
        ContactEmail = zone.Spec.Partner?.Email,
        ContactPhone = zone.Spec.Partner?.Phone,
        Topics = [.. zone.Spec.Topics.Select(t => new TopicRow { Selected = true, Backing = t.BackingTopic, Alias = t.Name, OriginalAlias = t.Name, Permission = t.Permission })],
    };

    /// <summary>The partner contact, or none when every field is empty.</summary>
    private PartnerContact? Contact()
    {
        var contact = new PartnerContact { Name = Blank(ContactName), Role = Blank(ContactRole), Email = Blank(ContactEmail), Phone = Blank(ContactPhone) };
        return contact is { Name: null, Role: null, Email: null, Phone: null } ? null : contact;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One topic row: a backing topic of the cluster, whether it is shared, its alias and permission.</summary>
public sealed class TopicRow
{
    public bool Selected { get; set; }

    public string? Backing { get; set; }

    public string? Alias { get; set; }

    public string? Permission { get; set; } = "READ";

    /// <summary>On the edit page: the alias as stored, to warn about renames.</summary>
    public string? OriginalAlias { get; set; }

    /// <summary>On the edit page: the row is marked for removal.</summary>
    public bool Remove { get; set; }

    public string EffectiveAlias => string.IsNullOrWhiteSpace(Alias) ? (Backing ?? "").Trim() : Alias.Trim();
}
