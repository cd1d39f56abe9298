using System.Text;
using Confluent.Kafka;

namespace PartnerZones.Gateway.Tests.Headers;

/// <summary>johndoe's zone with header rules, and the helpers the header tests share: read a topic
/// whole, through the gateway or directly upstream, and look at one record's headers.</summary>
internal static class HeaderZone
{
    public const string ClientId = "header-rules-client";

    public static readonly string Yaml = GatewayFixture.ExampleZoneWith("""
          headers:
            addOnProduce:
              - key: pz-user
                value: "{{user}}"
                overrideIfExists: true
              - key: pz-origin
                value: "client={{clientId}} ip={{userIp}} api={{apiKey}}/{{apiKeyVersion}} host={{gatewayHost}}"
                overrideIfExists: true
              - key: pz-time
                value: "{{timestampMillis}}"
                overrideIfExists: true
              - key: pz-keep
                value: from-gateway
                overrideIfExists: false
            removeOnConsume:
              - keyRegex: "secret-.*"
              - keyRegex: internal
        """);

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Every value of a header key on a message, in order.</summary>
    public static List<string> Values(Message<string, string> message, string key) =>
        [.. (message.Headers ?? []).Where(h => h.Key == key).Select(h => Encoding.UTF8.GetString(h.GetValueBytes()))];

    public static string Single(Message<string, string> message, string key) => Assert.Single(Values(message, key));

    /// <summary>Reads every partition of <paramref name="topic"/> from the start until <paramref name="count"/>
    /// records came (or the time is up).</summary>
    public static List<ConsumeResult<string, string>> Read(ConsumerConfig config, string topic, int count, IsolationLevel isolation = IsolationLevel.ReadUncommitted)
    {
        config.GroupId = $"header-readers-{Guid.NewGuid():N}";
        config.EnableAutoCommit = false;
        config.IsolationLevel = isolation;
        config.EnablePartitionEof = false;
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Assign(Enumerable.Range(0, GatewayFixture.BackingPartitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var results = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + Timeout;
        while (results.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                results.Add(result);
            }
        }

        consumer.Close();
        return results;
    }

    public static ConsumerConfig Upstream(GatewayFixture gateway) => new() { BootstrapServers = gateway.Cluster.BootstrapServers };
}
