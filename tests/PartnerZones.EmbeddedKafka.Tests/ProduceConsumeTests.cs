using Confluent.Kafka;

namespace PartnerZones.EmbeddedKafka.Tests;

/// <summary>Confluent.Kafka produces and consumes through the embedded cluster, on one and three nodes.</summary>
public sealed class ProduceConsumeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Records_produced_with_acks_all_are_consumed_by_a_group_in_order_per_partition(int nodes)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = nodes });
        await Clients.CreateTopicAsync(cluster, "events", partitions: 4);

        const int count = 2000;
        using (var producer = new ProducerBuilder<string, string>(Clients.Producer(cluster)).Build())
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce("events", new Message<string, string> { Key = $"k{i % 17}", Value = $"v{i}" });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        using var consumer = new ConsumerBuilder<string, string>(Clients.Consumer(cluster, "readers")).Build();
        consumer.Subscribe("events");
        var received = Clients.ConsumeAtLeast(consumer, count, TimeSpan.FromSeconds(60));

        Assert.Equal(count, received.Count);
        Assert.Equal(count, received.Select(r => r.Message.Value).Distinct().Count());
        foreach (var partition in received.GroupBy(r => r.Partition.Value))
        {
            var offsets = partition.Select(r => r.Offset.Value).ToList();
            Assert.Equal(Enumerable.Range(0, offsets.Count).Select(o => (long)o), offsets);
        }

        // Same key, same partition, in produce order.
        foreach (var key in received.GroupBy(r => r.Message.Key))
        {
            Assert.Single(key.Select(r => r.Partition.Value).Distinct());
            var values = key.Select(r => int.Parse(r.Message.Value[1..])).ToList();
            Assert.Equal(values.Order(), values);
        }

        consumer.Commit();
        var committed = consumer.Committed(TimeSpan.FromSeconds(10));
        Assert.Equal(count, committed.Sum(c => c.Offset.Value));
        consumer.Close();
    }
}
