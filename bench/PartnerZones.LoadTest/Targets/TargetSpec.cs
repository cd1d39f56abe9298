using System.Globalization;

namespace PartnerZones.LoadTest.Targets;

/// <summary>Where a workload runs: "embedded:N" starts an N-node embedded cluster in this process,
/// anything else is a bootstrap list ("host:port[,host:port...]") of a running cluster or gateway.</summary>
public sealed record TargetSpec
{
    public const string EmbeddedPrefix = "embedded:";

    private TargetSpec(string text, string? bootstrap, int embeddedNodes)
    {
        Text = text;
        Bootstrap = bootstrap;
        EmbeddedNodes = embeddedNodes;
    }

    /// <summary>As given on the command line; names the target in the report.</summary>
    public string Text { get; }

    public string? Bootstrap { get; }

    /// <summary>Nodes of the embedded cluster; 0 for a bootstrap target.</summary>
    public int EmbeddedNodes { get; }

    public static TargetSpec Embedded(int nodes) => new(EmbeddedPrefix + nodes.ToString(CultureInfo.InvariantCulture), null, nodes);

    /// <summary>Parses one target; the error names the value and what would be accepted.</summary>
    public static TargetSpec? Parse(string text, out string? error)
    {
        error = null;
        if (text.StartsWith(EmbeddedPrefix, StringComparison.Ordinal))
        {
            if (int.TryParse(text.AsSpan(EmbeddedPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var nodes) && nodes is >= 1 and <= 9)
            {
                return Embedded(nodes);
            }

            error = $"Target '{text}': the embedded cluster needs 1 to 9 nodes, e.g. embedded:3.";
            return null;
        }

        foreach (var server in text.Split(','))
        {
            var colon = server.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(server.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                error = $"Target '{text}': '{server}' is not host:port; give a bootstrap list such as 127.0.0.1:9092, or embedded:N.";
                return null;
            }
        }

        return new TargetSpec(text, text, 0);
    }

    /// <summary>Starts the embedded cluster, or just names the running one. <paramref name="client"/> and
    /// <paramref name="existingTopic"/> apply to a running one (an embedded cluster needs no login and
    /// gets fresh topics).</summary>
    public async Task<OpenTarget> OpenAsync(ClientProperties client, string? existingTopic, Action<string> log)
    {
        if (Bootstrap is not null)
        {
            ITopicSource topics = existingTopic is null ? new FreshTopics(Bootstrap, client) : new ExistingTopic(Bootstrap, client, existingTopic);
            return new OpenTarget { Spec = this, BootstrapServers = Bootstrap, Client = client, Topics = topics };
        }

        var cluster = await EmbeddedKafka.EmbeddedCluster.StartAsync(
            new EmbeddedKafka.ClusterOptions { Nodes = EmbeddedNodes, BasePort = 0 },
            message => log($"[{Text}] {message}")).ConfigureAwait(false);
        return new OpenTarget
        {
            Spec = this,
            BootstrapServers = cluster.BootstrapServers,
            Topics = new FreshTopics(cluster.BootstrapServers, ClientProperties.None),
            Owned = cluster,
        };
    }

    /// <summary>A target this run builds itself (the gateway comparison's two sides), named in the report by <paramref name="text"/>.</summary>
    public static TargetSpec Named(string text) => new(text, null, 0);
}
