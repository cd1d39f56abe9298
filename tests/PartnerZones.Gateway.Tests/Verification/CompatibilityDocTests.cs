using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Routing;
using PartnerZones.Gateway.Tests.Configuration;

namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>
/// docs/compatibility.md promises partners an offer, API by API and version by version. Its table is the one
/// <see cref="CompatibilityVersionTable"/> renders from the code, in front of the embedded cluster in each of
/// its generations (Kafka 3.9's ranges and Kafka 4.0's), with the offer computed exactly as the gateway
/// computes it at start-up (<see cref="UpstreamDiscovery"/>, then <see cref="UpstreamApis"/>). A change to a
/// codec, a handler, the offer or the translations that is not in the doc fails here with the fresh table.
/// </summary>
public sealed class CompatibilityDocTests
{
    private const string Begin = "<!-- generated: version table -->";
    private const string End = "<!-- end generated -->";

    /// <summary>Set to 1 to have the test rewrite the doc's table instead of failing.</summary>
    private const string UpdateVariable = "PZ_UPDATE_DOCS";

    [Fact]
    public async Task The_version_table_in_the_compatibility_doc_is_the_one_the_code_renders()
    {
        var fresh = CompatibilityVersionTable.Render(
        [
            ("In front of `pz kafka` (Kafka 3.9's ranges)", await OfferInFrontOfAsync(KafkaApiGeneration.Kafka39)),
            ("In front of `pz kafka --api-generation 4.0` (Kafka 4.0's ranges)", await OfferInFrontOfAsync(KafkaApiGeneration.Kafka40)),
        ]);

        var path = Path.Combine(RepoPaths.RepoRoot(), "docs", "compatibility.md");
        var doc = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = doc.IndexOf(Begin, StringComparison.Ordinal);
        var end = doc.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{path} must hold the table between '{Begin}' and '{End}'.");
        var sectionStart = start + Begin.Length + 1;
        var current = doc[sectionStart..end];
        if (current == fresh)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, doc[..sectionStart] + fresh + doc[end..]);
            return;
        }

        Assert.Fail(
            $"The version table in docs/compatibility.md is not what the code offers and serves. Run this test with {UpdateVariable}=1 " +
            $"to rewrite it (then read the diff: it is what partners are now offered), or paste this between the markers:\n\n{fresh}");
    }

    /// <summary>The offer of a gateway in front of an embedded cluster of <paramref name="generation"/>, built as
    /// GatewayHost builds it: from the ApiVersions the upstream answers at start-up.</summary>
    private static async Task<UpstreamApis> OfferInFrontOfAsync(KafkaApiGeneration generation)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { ApiGeneration = generation });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (_, apis) = await UpstreamDiscovery.DiscoverAsync(
            new UpstreamConfig { BootstrapServers = cluster.BootstrapServers }, new LimitsConfig().MaxFrameBytes, timeout.Token);
        return new UpstreamApis(apis);
    }
}
