using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>
/// Real ids of backing topics for requests that must name them by id upstream (OffsetCommit and
/// OffsetFetch v10). The ids are learned from the Metadata answers that pass through the gateway
/// (<see cref="TopicIdCatalog"/>); one the catalog lacks (this instance started after the partner's last
/// Metadata request) is asked for upstream, never auto-creating anything.
/// </summary>
internal static class BackingTopicIds
{
    public static async Task LearnAsync(ZoneContext context, string? clientId, IEnumerable<string> backingTopics, CancellationToken cancellationToken)
    {
        var catalog = context.Runtime.TopicIds;
        var missing = backingTopics.Where(b => catalog.IdOf(b) is null).Distinct(StringComparer.Ordinal).ToList();
        // Topic ids arrived in Metadata v10; an upstream without them cannot have served a v10 offset request either.
        var version = context.Coordinators.Version(MetadataRequest.Key, MetadataRequest.HighestVersion);
        if (missing.Count == 0 || version < 10)
        {
            return;
        }

        var request = new MetadataRequest
        {
            Topics = [.. missing.Select(name => new MetadataRequest.MetadataRequestTopic { Name = name })],
            AllowAutoTopicCreation = false,
        };
        var connection = await context.Upstream.GetAsync(cancellationToken).ConfigureAwait(false);
        var response = await connection.SendAsync<MetadataResponse>(request, version, clientId, cancellationToken).ConfigureAwait(false);
        foreach (var topic in response.Topics)
        {
            if (topic is { ErrorCode: 0, Name: { } name })
            {
                catalog.Learn(name, topic.TopicId);
            }
        }
    }
}
