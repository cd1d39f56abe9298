using System.Net;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// Asks the backing cluster directly, as its administrator would, about state Confluent.Kafka's admin
/// client cannot list: transactions (ListTransactions) and idempotent producers (DescribeProducers).
/// Each node answers only for what it coordinates or leads, so every node is asked.
/// </summary>
internal static class UpstreamInspector
{
    /// <summary>Every transactional id the cluster's coordinators know, with its state.</summary>
    public static async Task<Dictionary<string, string>> TransactionsAsync(GatewayFixture gateway)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in gateway.Cluster.EndPoints)
        {
            var response = await SendAsync<ListTransactionsResponse>(node, new ListTransactionsRequest(), 0);
            Assert.Equal(0, response.ErrorCode);
            foreach (var txn in response.TransactionStates)
            {
                states[txn.TransactionalId] = txn.TransactionState;
            }
        }

        return states;
    }

    /// <summary>The idempotent producers each leader knows for each partition of the topic.</summary>
    public static async Task<Dictionary<int, List<DescribeProducersResponse.ProducerState>>> ProducersAsync(GatewayFixture gateway, string topic, IReadOnlyDictionary<int, int> leaders)
    {
        var producers = new Dictionary<int, List<DescribeProducersResponse.ProducerState>>();
        foreach (var (partition, leader) in leaders)
        {
            var request = new DescribeProducersRequest { Topics = [new DescribeProducersRequest.TopicRequest { Name = topic, PartitionIndexes = [partition] }] };
            var response = await SendAsync<DescribeProducersResponse>(gateway.Cluster.EndPoints[leader], request, 0);
            var answer = Assert.Single(Assert.Single(response.Topics).Partitions);
            Assert.Equal(0, answer.ErrorCode);
            producers[partition] = answer.ActiveProducers;
        }

        return producers;
    }

    private static async Task<TResponse> SendAsync<TResponse>(IPEndPoint endPoint, IKafkaRequest request, short version)
        where TResponse : IKafkaResponse, new()
    {
        using var connection = await KafkaWireClient.ConnectAsync(endPoint);
        return await connection.SendAsync<TResponse>(request, version);
    }
}
