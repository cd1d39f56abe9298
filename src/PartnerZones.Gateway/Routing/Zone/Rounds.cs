namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>
/// Splits the aliases a request names into rounds in which each backing topic appears once: two aliases
/// of one backing topic can never share one upstream request (their partitions would merge). Almost
/// every request is a single round.
/// </summary>
internal static class Rounds
{
    public static List<List<T>> ByBacking<T>(IEnumerable<T> items, Func<T, string> backing)
    {
        var rounds = new List<List<T>>();
        var used = new List<HashSet<string>>();
        foreach (var item in items)
        {
            var key = backing(item);
            var round = used.FindIndex(set => !set.Contains(key));
            if (round < 0)
            {
                rounds.Add([]);
                used.Add(new HashSet<string>(StringComparer.Ordinal));
                round = rounds.Count - 1;
            }

            rounds[round].Add(item);
            used[round].Add(key);
        }

        return rounds;
    }
}
