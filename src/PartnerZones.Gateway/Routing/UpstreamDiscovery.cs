using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

/// <summary>Asks the upstream cluster, at start-up, which brokers it has and which API versions it serves.</summary>
internal static class UpstreamDiscovery
{
    public static async Task<(Dictionary<int, (string Host, int Port)> Brokers, Dictionary<short, (short Min, short Max)> Apis)> DiscoverAsync(
        UpstreamConfig config, int maxFrameBytes, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var server in config.BootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = server.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(server[(colon + 1)..], out var port))
            {
                errors.Add($"'{server}' is not host:port");
                continue;
            }

            // A server that accepts but never answers must not hold start-up forever.
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(UpstreamConnection.ConnectTimeout);
            try
            {
                await using var connection = await UpstreamConnection.ConnectAsync(server[..colon], port, config, maxFrameBytes, attempt.Token).ConfigureAwait(false);
                var versions = await connection.SendAsync<ApiVersionsResponse>(
                    new ApiVersionsRequest { ClientSoftwareName = "partner-zones-gateway", ClientSoftwareVersion = "1" }, 3, "partner-zones-gateway", attempt.Token).ConfigureAwait(false);
                var apis = versions.ApiKeys.ToDictionary(k => k.ApiKey, k => (k.MinVersion, k.MaxVersion));
                var metadataVersion = (short)Math.Min(12, apis.TryGetValue(MetadataRequest.Key, out var m) ? (int)m.Item2 : 1);
                var metadata = await connection.SendAsync<MetadataResponse>(
                    new MetadataRequest { Topics = [], AllowAutoTopicCreation = false }, metadataVersion, "partner-zones-gateway", attempt.Token).ConfigureAwait(false);
                return (metadata.Brokers.ToDictionary(b => b.NodeId, b => (b.Host, b.Port)), apis);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                errors.Add($"{server}: no answer within {UpstreamConnection.ConnectTimeout.TotalSeconds:0} s");
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UpstreamException or Protocol.Primitives.KafkaDecodeException)
            {
                errors.Add($"{server}: {e.Message}");
            }
        }

        throw new UpstreamException($"No upstream bootstrap server of '{config.BootstrapServers}' answered ({string.Join("; ", errors)}). Check spec.upstream.bootstrapServers and that the cluster is running.");
    }
}
