using System.Buffers.Binary;
using System.Collections.Concurrent;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>
/// Every (API key, version) the upstream cluster received, from the cluster's frame observer, checked against
/// what the upstream really serves. The observer sees only requests the cluster answered (one below its minimum
/// closes the connection unseen), so the tests both require their old-version exchanges to succeed and check
/// here that what did arrive was at served versions, and at the versions the translation is meant to use.
/// </summary>
public sealed class UpstreamVersions
{
    /// <summary>Kafka 4.0 lists Produce from v0 (KAFKA-18659) but closes the connection on v0-2.</summary>
    private const short FirstProduceKafka40Serves = 3;

    private readonly ConcurrentDictionary<(short Key, short Version), int> _seen = new();

    /// <summary>Whole request frames of the APIs whose translated fields a test inspects; only these, since the
    /// gateway's state reader polls all the time.</summary>
    private readonly ConcurrentQueue<byte[]> _joinGroups = new();

    /// <summary>For the cluster's FrameObserver: a request frame starts with its int16 API key and int16 version.</summary>
    public void Observe(int node, ReadOnlyMemory<byte> request, ReadOnlyMemory<byte>? response)
    {
        var span = request.Span;
        if (span.Length >= 4)
        {
            var key = BinaryPrimitives.ReadInt16BigEndian(span);
            _seen.AddOrUpdate((key, BinaryPrimitives.ReadInt16BigEndian(span[2..])), 1, (_, n) => n + 1);
            if (key == JoinGroupRequest.Key)
            {
                _joinGroups.Enqueue(span.ToArray());
            }
        }
    }

    /// <summary>Every JoinGroup the upstream received, decoded at the version it came at.</summary>
    public IReadOnlyList<(short Version, JoinGroupRequest Request)> JoinGroups() =>
    [
        .. _joinGroups.Select(frame =>
        {
            var reader = new KafkaReader(frame);
            var header = RequestHeader.Read(ref reader);
            var request = new JoinGroupRequest();
            request.Read(ref reader, header.ApiVersion);
            return (header.ApiVersion, request);
        }),
    ];

    public bool Saw(short apiKey, short version) => _seen.ContainsKey((apiKey, version));

    /// <summary>The versions of one API the upstream received, in order.</summary>
    public IReadOnlyList<short> VersionsOf(short apiKey) => [.. _seen.Keys.Where(k => k.Key == apiKey).Select(k => k.Version).Order()];

    /// <summary>Fails naming every (API, version) the upstream received below the lowest version it serves:
    /// <paramref name="advertised"/> is its ApiVersions answer, corrected for Produce.</summary>
    public void AssertNoneBelow(IReadOnlyDictionary<short, short> advertised)
    {
        var below = _seen.Keys
            .Where(k => k.Version < Served(k.Key, advertised))
            .Select(k => $"{ApiMessages.Find(k.Key)?.Name ?? k.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)} v{k.Version}")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(below.Count == 0, $"The upstream received versions it does not serve: {string.Join(", ", below)}");
    }

    private static short Served(short apiKey, IReadOnlyDictionary<short, short> advertised)
    {
        Assert.True(advertised.TryGetValue(apiKey, out var lowest), $"The upstream received API key {apiKey}, which it does not list at all.");
        return apiKey == ProduceRequest.Key ? Math.Max(lowest, FirstProduceKafka40Serves) : lowest;
    }
}
