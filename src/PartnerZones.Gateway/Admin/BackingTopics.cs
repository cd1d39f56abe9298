using Confluent.Kafka;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.State;

namespace PartnerZones.Gateway.Admin;

/// <summary>
/// Which of a zone's backing topics exist in the upstream cluster, for
/// <c>GET /gateway/v2/partner-zone/{name}/status</c>. A zone may name topics that do not exist yet (the
/// partner sees them as unknown until they do); this is how the Console finds out and says so.
/// One admin client, made on first use and kept, because a check may come every few seconds.
/// </summary>
public sealed class BackingTopics(UpstreamConfig upstream) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private IAdminClient? _admin;
    private bool _disposed;

    /// <summary>The topics of <paramref name="topics"/> the upstream cluster does not have. Throws
    /// <see cref="KafkaException"/> when the cluster does not answer.</summary>
    public Task<IReadOnlyList<string>> MissingAsync(IReadOnlyCollection<string> topics, CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<string>>(() =>
        {
            // The whole topic list, not a metadata request per name: asking for a named topic can make a
            // broker with auto.create.topics.enable create it, and this check must never create anything.
            var metadata = Admin().GetMetadata(Timeout);
            var present = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).Select(t => t.Topic).ToHashSet(StringComparer.Ordinal);
            return [.. topics.Where(t => !present.Contains(t)).Distinct(StringComparer.Ordinal)];
        }, cancellationToken);

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _admin?.Dispose();
            _admin = null;
        }
    }

    private IAdminClient Admin()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _admin ??= new AdminClientBuilder(KafkaClientSettings.Apply(new AdminClientConfig(), upstream, "partner-zones-gateway-topic-check")).Build();
        }
    }
}
