using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka.State;

namespace PartnerZones.EmbeddedKafka.Tests;

/// <summary>A topic name is checked to its very end: in .NET regexes '$' also matches before a final '\n',
/// so "orders\n" passed and lived beside "orders".</summary>
public sealed class TopicNameTests
{
    [Theory]
    [InlineData("t\n")]
    [InlineData("orders\n")]
    public void A_name_with_a_trailing_line_break_is_illegal(string name) =>
        Assert.Contains("is illegal", ClusterState.ValidateName(name));

    [Fact]
    public async Task CreateTopics_refuses_a_trailing_line_break_with_invalid_topic()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 1 });
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();

        var illegal = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync([new TopicSpecification { Name = "t\n", NumPartitions = 1, ReplicationFactor = 1 }]));
        Assert.Equal(ErrorCode.TopicException, illegal.Results[0].Error.Code);
        Assert.DoesNotContain(admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics, t => t.Topic.StartsWith('t'));
    }
}
