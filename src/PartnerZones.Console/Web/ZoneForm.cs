using System.Globalization;
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

    /// <summary>Whether each limit is on (the toggle), and its value as typed.</summary>
    public bool LimitProduce { get; set; }

    public string? MaxProduceRate { get; set; }

    public bool LimitConsume { get; set; }

    public string? MaxConsumeRate { get; set; }

    public bool LimitCommits { get; set; }

    public string? LimitCommitOffset { get; set; }

    public List<HeaderAddRow> AddHeaders { get; set; } = [];

    public List<HeaderRemoveRow> RemoveHeaders { get; set; } = [];

    /// <summary>Header rows that count: not marked for removal and not left blank.</summary>
    public IEnumerable<HeaderAddRow> AddedHeaders => AddHeaders.Where(h => !h.Remove && !(string.IsNullOrWhiteSpace(h.Key) && string.IsNullOrEmpty(h.Value)));

    public IEnumerable<HeaderRemoveRow> RemovedHeaders => RemoveHeaders.Where(h => !h.Remove && !string.IsNullOrWhiteSpace(h.KeyRegex));

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
            TrafficControlPolicies = Limits(),
            Headers = HeaderRules(),
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
        LimitProduce = zone.Spec.TrafficControlPolicies?.MaxProduceRate is not null,
        MaxProduceRate = Text(zone.Spec.TrafficControlPolicies?.MaxProduceRate),
        LimitConsume = zone.Spec.TrafficControlPolicies?.MaxConsumeRate is not null,
        MaxConsumeRate = Text(zone.Spec.TrafficControlPolicies?.MaxConsumeRate),
        LimitCommits = zone.Spec.TrafficControlPolicies?.LimitCommitOffset is not null,
        LimitCommitOffset = Text(zone.Spec.TrafficControlPolicies?.LimitCommitOffset),
        AddHeaders = [.. (zone.Spec.Headers?.AddOnProduce ?? []).Select(h => new HeaderAddRow { Key = h.Key, Value = h.Value, OverrideIfExists = h.OverrideIfExists })],
        RemoveHeaders = [.. (zone.Spec.Headers?.RemoveOnConsume ?? []).Select(h => new HeaderRemoveRow { KeyRegex = h.KeyRegex })],
    };

    /// <summary>
    /// Limits switched on whose value is not a whole number (empty, or letters where the browser allowed
    /// them): the validator never sees those, as the resource has no way to hold them, so the page adds
    /// these messages to the validator's.
    /// </summary>
    public void AddInputProblems(FieldErrors errors)
    {
        Check(LimitProduce, MaxProduceRate, "maxProduceRate", "bytes per second, like 1048576 for 1 MiB/s");
        Check(LimitConsume, MaxConsumeRate, "maxConsumeRate", "bytes per second, like 1048576 for 1 MiB/s");
        Check(LimitCommits, LimitCommitOffset, "limitCommitOffset", "offset commits per minute, like 60");

        void Check(bool on, string? text, string field, string unit)
        {
            if (on && Number(text) is null)
            {
                var path = "spec.trafficControlPolicies." + field;
                errors.Add(path, string.IsNullOrWhiteSpace(text)
                    ? $"{path} is switched on but has no value; type the limit in {unit}, or switch the limit off."
                    : $"{path} is '{text.Trim()}', not a whole number; type the limit in {unit}, or switch the limit off.");
            }
        }
    }

    /// <summary>The limits switched on, or none; a value that is not a number is left out (see
    /// <see cref="AddInputProblems"/>).</summary>
    private TrafficControlPolicies? Limits()
    {
        var limits = new TrafficControlPolicies
        {
            MaxProduceRate = LimitProduce ? Number(MaxProduceRate) : null,
            MaxConsumeRate = LimitConsume ? Number(MaxConsumeRate) : null,
            // Beyond int, the validator's upper bound message applies: int.MaxValue is above it.
            LimitCommitOffset = LimitCommits && Number(LimitCommitOffset) is { } commits ? (int)Math.Min(commits, int.MaxValue) : null,
        };
        return limits is { MaxProduceRate: null, MaxConsumeRate: null, LimitCommitOffset: null } ? null : limits;
    }

    private HeaderRules? HeaderRules()
    {
        // Keys are kept as typed, blanks included, so the validator names the row a key is missing from.
        List<HeaderToAdd> add = [.. AddedHeaders.Select(h => new HeaderToAdd { Key = h.Key ?? "", Value = h.Value ?? "", OverrideIfExists = h.OverrideIfExists })];
        List<HeaderToRemove> remove = [.. RemovedHeaders.Select(h => new HeaderToRemove { KeyRegex = h.KeyRegex! })];
        return add.Count == 0 && remove.Count == 0 ? null : new HeaderRules { AddOnProduce = add.Count == 0 ? null : add, RemoveOnConsume = remove.Count == 0 ? null : remove };
    }

    /// <summary>A whole number as typed (a leading '-' allowed, so the validator names a negative limit).</summary>
    private static long? Number(string? text) =>
        long.TryParse(text?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string? Text(long? value) => value?.ToString(CultureInfo.InvariantCulture);

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

/// <summary>One header added on produce; <see cref="Remove"/> marks the row to drop.</summary>
public sealed class HeaderAddRow
{
    public string? Key { get; set; }

    public string? Value { get; set; }

    public bool OverrideIfExists { get; set; }

    public bool Remove { get; set; }
}

/// <summary>One key pattern of headers removed on consume.</summary>
public sealed class HeaderRemoveRow
{
    public string? KeyRegex { get; set; }

    public bool Remove { get; set; }
}
