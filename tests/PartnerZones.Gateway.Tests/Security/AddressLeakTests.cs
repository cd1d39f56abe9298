using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>
/// A whole partner session with a real client (librdkafka): metadata, produce, a consumer group that
/// consumes and commits, DescribeCluster, group listing and offsets (each behind a FindCoordinator),
/// with every byte the gateway sends recorded by relays. None of it may carry an upstream broker's
/// host:port (as text, or as the host followed by the port as a big-endian int32), the upstream cluster
/// id, or any name, id or group of the backing cluster outside the zone.
/// </summary>
public sealed class AddressLeakTests(RelayedGatewayFixture fixture) : IClassFixture<RelayedGatewayFixture>
{
    [Fact]
    public async Task No_upstream_address_or_cluster_id_reaches_a_client_in_a_full_session()
    {
        var groupId = "leak-scan-" + Guid.NewGuid().ToString("N");
        try
        {
            var partner = fixture.Partner();

            using (var admin = new AdminClientBuilder(partner).Build())
            {
                var metadata = admin.GetMetadata(TimeSpan.FromSeconds(30));
                Assert.Equal(["topic-a", "topic-b"], metadata.Topics.Select(t => t.Topic).Order());
                Assert.All(metadata.Brokers, b => Assert.Equal(RelayedGatewayFixture.AdvertisedHost, b.Host));

                var cluster = await admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = TimeSpan.FromSeconds(30) });
                Assert.Equal(fixture.Gateway.Runtime.ClusterId, cluster.ClusterId);
                Assert.All(cluster.Nodes, n => Assert.Equal(RelayedGatewayFixture.AdvertisedHost, n.Host));
            }

            using (var producer = new ProducerBuilder<string, string>(new ProducerConfig(partner) { Acks = Acks.All }).Build())
            {
                for (var i = 0; i < 20; i++)
                {
                    var delivered = await producer.ProduceAsync("topic-a", new Message<string, string> { Key = $"k{i}", Value = $"{groupId}-{i}" });
                    Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
                }
            }

            var consumed = 0;
            using (var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig(partner)
            {
                GroupId = groupId,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
                SessionTimeoutMs = 6000,
            }).Build())
            {
                consumer.Subscribe("topic-b");
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (consumed < 20 && DateTime.UtcNow < deadline)
                {
                    var result = consumer.Consume(TimeSpan.FromMilliseconds(250));
                    if (result?.Message?.Value?.StartsWith(groupId, StringComparison.Ordinal) == true)
                    {
                        consumed++;
                    }
                }

                var committed = consumer.Commit();
                Assert.NotEmpty(committed);
                consumer.Close();
            }

            Assert.Equal(20, consumed);

            using (var admin = new AdminClientBuilder(partner).Build())
            {
                var groups = await admin.ListConsumerGroupsAsync();
                Assert.Contains(groups.Valid, g => g.GroupId == groupId);
                var described = await admin.DescribeConsumerGroupsAsync([groupId]);
                Assert.Equal(groupId, Assert.Single(described.ConsumerGroupDescriptions).GroupId);
                var offsets = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(groupId, null)]);
                Assert.Contains(Assert.Single(offsets).Partitions, p => p.Topic == "topic-b" && p.Offset.Value > 0);
            }
        }
        finally
        {
            // Scanned even when the session failed: a leaked address is the likelier cause then.
            AssertNothingLeaked();
        }

        Assert.Contains(fixture.Relays.SelectMany(r => r.Connections), c => LeakScanner.Count(c.ToClient(), Encoding.UTF8.GetBytes(groupId)) > 0);
    }

    private void AssertNothingLeaked()
    {
        var connections = fixture.Relays.SelectMany(r => r.Connections).ToList();
        var brokerPorts = fixture.Gateway.Runtime.Brokers.NodeIds.Select(fixture.Gateway.Runtime.Brokers.GatewayPort).ToHashSet();
        Assert.Contains(connections, c => brokerPorts.Contains(c.ListenPort));

        // The scan finds addresses laid out as responses carry them: the gateway's own are there.
        var advertised = Secret.Address("gateway", RelayedGatewayFixture.AdvertisedHost, brokerPorts.First()).Last().Bytes;
        Assert.Contains(connections, c => LeakScanner.Count(c.ToClient(), advertised) > 0);

        var scanner = fixture.Backing.Scanner(RelayedGatewayFixture.AdvertisedHost);
        foreach (var connection in connections)
        {
            var bytes = connection.ToClient();
            scanner.AssertAbsent(bytes, $"connection via port {connection.ListenPort} ({bytes.Length} bytes)");
        }
    }
}
