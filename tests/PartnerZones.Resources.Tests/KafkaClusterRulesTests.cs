namespace PartnerZones.Resources.Tests;

/// <summary>A KafkaCluster's metadata follows the same rules as a PartnerZone's: labels are checked, and a
/// name with a line break is refused in a message that stays on one line.</summary>
public sealed class KafkaClusterRulesTests
{
    private static KafkaCluster Cluster(string name, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ResourceMetadata { Name = name, Labels = labels },
        Spec = new KafkaClusterSpec
        {
            BootstrapServers = "127.0.0.1:9094",
            AdminApi = new GatewayAdminApi { Url = "http://127.0.0.1:8888", Username = "admin", Password = "a-long-password" },
        },
    };

    [Fact]
    public void Labels_are_checked_like_a_zones()
    {
        Assert.Empty(KafkaClusterValidator.Validate(Cluster("gateway", new() { ["team"] = "platform" })));
        var errors = KafkaClusterValidator.Validate(Cluster("gateway", new() { ["team"] = "platform team\n" }));
        Assert.Contains(errors, e => e.Contains("metadata.labels", StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_with_a_line_break_is_refused_on_one_line()
    {
        Assert.Empty(KafkaClusterValidator.Validate(Cluster("gateway")));
        var errors = KafkaClusterValidator.Validate(Cluster("gateway\n"));
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.DoesNotContain('\n', e));
        Assert.Contains(errors, e => e.StartsWith(@"KafkaCluster 'gateway\n': metadata.name", StringComparison.Ordinal));
    }
}
