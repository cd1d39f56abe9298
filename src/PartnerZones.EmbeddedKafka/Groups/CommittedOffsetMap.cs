using System.Collections;
using System.Diagnostics.CodeAnalysis;
using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.Groups;

/// <summary>
/// A group's committed offsets by (topic, partition). With a data directory every change is written to
/// the offsets journal before it takes effect here, so what a commit acknowledged survives a restart.
/// Callers hold the group's lock, as for every other group field.
/// </summary>
internal sealed class CommittedOffsetMap(string groupId, OffsetJournal? journal)
    : IDictionary<(string Topic, int Partition), CommittedOffset>, IReadOnlyDictionary<(string Topic, int Partition), CommittedOffset>
{
    private readonly Dictionary<(string Topic, int Partition), CommittedOffset> _offsets = [];

    public int Count => _offsets.Count;

    public bool IsReadOnly => false;

    public ICollection<(string Topic, int Partition)> Keys => _offsets.Keys;

    public ICollection<CommittedOffset> Values => _offsets.Values;

    IEnumerable<(string Topic, int Partition)> IReadOnlyDictionary<(string Topic, int Partition), CommittedOffset>.Keys => _offsets.Keys;

    IEnumerable<CommittedOffset> IReadOnlyDictionary<(string Topic, int Partition), CommittedOffset>.Values => _offsets.Values;

    public CommittedOffset this[(string Topic, int Partition) key]
    {
        get => _offsets[key];
        set
        {
            journal?.Record(groupId, key, value);
            _offsets[key] = value;
        }
    }

    public void Add((string Topic, int Partition) key, CommittedOffset value)
    {
        if (_offsets.ContainsKey(key))
        {
            throw new ArgumentException($"Group '{groupId}' already has an offset for {key.Topic}-{key.Partition}.", nameof(key));
        }

        this[key] = value;
    }

    public bool Remove((string Topic, int Partition) key)
    {
        if (!_offsets.ContainsKey(key))
        {
            return false;
        }

        journal?.Remove(groupId, key);
        return _offsets.Remove(key);
    }

    public void Clear()
    {
        foreach (var key in _offsets.Keys.ToList())
        {
            Remove(key);
        }
    }

    public bool ContainsKey((string Topic, int Partition) key) => _offsets.ContainsKey(key);

    public bool TryGetValue((string Topic, int Partition) key, [MaybeNullWhen(false)] out CommittedOffset value) => _offsets.TryGetValue(key, out value);

    /// <summary>Puts back an offset read from the journal at start-up, without writing it again.</summary>
    public void Restore((string Topic, int Partition) key, CommittedOffset value) => _offsets[key] = value;

    public IEnumerator<KeyValuePair<(string Topic, int Partition), CommittedOffset>> GetEnumerator() => _offsets.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<KeyValuePair<(string Topic, int Partition), CommittedOffset>>.Add(KeyValuePair<(string Topic, int Partition), CommittedOffset> item) =>
        Add(item.Key, item.Value);

    bool ICollection<KeyValuePair<(string Topic, int Partition), CommittedOffset>>.Contains(KeyValuePair<(string Topic, int Partition), CommittedOffset> item) =>
        ((ICollection<KeyValuePair<(string, int), CommittedOffset>>)_offsets).Contains(item);

    void ICollection<KeyValuePair<(string Topic, int Partition), CommittedOffset>>.CopyTo(KeyValuePair<(string Topic, int Partition), CommittedOffset>[] array, int arrayIndex) =>
        ((ICollection<KeyValuePair<(string, int), CommittedOffset>>)_offsets).CopyTo(array, arrayIndex);

    bool ICollection<KeyValuePair<(string Topic, int Partition), CommittedOffset>>.Remove(KeyValuePair<(string Topic, int Partition), CommittedOffset> item) =>
        _offsets.TryGetValue(item.Key, out var value) && Equals(value, item.Value) && Remove(item.Key);
}
