using System.Collections.Concurrent;

namespace PartnerZones.Gateway.Routing;

/// <summary>Real topic ids of backing topics, learned from the Metadata responses that pass through the
/// gateway. Partners never see these ids; they are needed to address backing topics by id upstream
/// (Produce v13+, Fetch v13+) when a partner names a topic by its virtual id.</summary>
public sealed class TopicIdCatalog
{
    private readonly ConcurrentDictionary<string, Guid> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, string> _names = new();

    public void Learn(string name, Guid id)
    {
        if (id == Guid.Empty)
        {
            return;
        }

        _ids[name] = id;
        _names[id] = name;
    }

    public Guid? IdOf(string name) => _ids.TryGetValue(name, out var id) ? id : null;

    public string? NameOf(Guid id) => _names.TryGetValue(id, out var name) ? name : null;
}
