using System.Text;
using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>
/// Lists only the zone's own transactions, without the prefix, as Kafka lists only the transactional ids
/// a principal may describe. State, producer id and duration filters go upstream as sent; an id pattern
/// (v2) is applied upstream to the partner's ids behind the zone's prefix, so the upstream's regular
/// expression dialect stays the one the partner gets, and the answer is filtered by prefix again here
/// whatever the pattern matched.
/// </summary>
internal sealed class ListTransactionsHandler : ZoneHandler<ListTransactionsRequest>
{
    public override string Served => "filtered to the zone: its own transactions, without the prefix";

    public override string Refusal => "other zones' and the cluster's transactions are left out";

    protected override Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, ListTransactionsRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        request.TransactionalIdPattern = ZonePattern(zone.GroupPrefix, request.TransactionalIdPattern);
        return context.ForwardAsync<ListTransactionsResponse>(header, request, response =>
        {
            response.TransactionStates = [.. response.TransactionStates
                .Where(t => zone.Strip(t.TransactionalId) is not null)
                .Select(t =>
                {
                    t.TransactionalId = zone.Strip(t.TransactionalId)!;
                    return t;
                })];
        }, cancellationToken);
    }

    /// <summary>The upstream pattern: the zone's prefix, literally, then the partner's pattern (null or
    /// empty means every id, as in Kafka). Kafka matches the whole id.</summary>
    private static string ZonePattern(string prefix, string? pattern)
    {
        var quoted = new StringBuilder(prefix.Length * 2);
        foreach (var c in prefix)
        {
            if (@"\.^$|?*+()[]{}".Contains(c, StringComparison.Ordinal))
            {
                quoted.Append('\\');
            }

            quoted.Append(c);
        }

        if (string.IsNullOrEmpty(pattern))
        {
            return $"{quoted}.*";
        }

        // Anchors around the partner's pattern would sit in the middle of the upstream's: the whole id
        // is matched anyway, so they are dropped.
        if (pattern.StartsWith('^'))
        {
            pattern = pattern[1..];
        }

        if (pattern.EndsWith('$') && !pattern.EndsWith(@"\$", StringComparison.Ordinal))
        {
            pattern = pattern[..^1];
        }

        return $"{quoted}(?:{pattern})";
    }
}
