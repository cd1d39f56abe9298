using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Web;

/// <summary>
/// The real topic list of a cluster, for the create wizard and the edit page. The console asks the
/// gateway, the one thing it is configured to reach: it takes a password for its own ADMIN service
/// account on the passthrough virtual cluster from the gateway's token call (the account is created on
/// first use), and sends a Kafka Metadata request through the gateway's listener. This needs no new
/// gateway endpoint and no console access to the backing cluster. Internal topics (leading "__") are
/// left out. Lists are kept for half a minute, passwords until shortly before they expire.
/// </summary>
public sealed class TopicCatalog(GatewayHttp http, TimeProvider time)
{
    /// <summary>The console's service account on each gateway's passthrough view.</summary>
    public const string ServiceAccount = "pz-console";

    private static readonly TimeSpan ListLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<string> Topics)> _lists = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, string Token)> _tokens = new(StringComparer.Ordinal);

    /// <summary>The cluster's topics sorted by name; a <see cref="TopicListUnavailable"/> says why not.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(KafkaCluster cluster, CancellationToken cancellationToken)
    {
        var key = cluster.Metadata.Name + "\n" + cluster.Spec.BootstrapServers + "\n" + cluster.Spec.AdminApi.Url;
        var now = time.GetUtcNow();
        if (_lists.TryGetValue(key, out var cached) && now - cached.At < ListLifetime)
        {
            return cached.Topics;
        }

        var token = await TokenAsync(cluster, key, cancellationToken).ConfigureAwait(false);
        var config = new AdminClientConfig
        {
            BootstrapServers = cluster.Spec.BootstrapServers,
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.Plain,
            SaslUsername = ServiceAccount,
            SaslPassword = token,
            ClientId = "pz-console-topics",
            SocketTimeoutMs = 5000,
            LogConnectionClose = false,
        };
        IReadOnlyList<string> topics;
        try
        {
            topics = await Task.Run(() =>
            {
                using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
                return (IReadOnlyList<string>)[.. admin.GetMetadata(TimeSpan.FromSeconds(5)).Topics
                    .Where(t => t.Error.Code == ErrorCode.NoError && !t.Topic.StartsWith("__", StringComparison.Ordinal))
                    .Select(t => t.Topic)
                    .Order(StringComparer.Ordinal)];
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException e)
        {
            _tokens.TryRemove(key, out _);
            throw new TopicListUnavailable($"the gateway at {cluster.Spec.BootstrapServers} did not list topics ({e.Error.Reason})");
        }
        catch (ArgumentException e)
        {
            throw new TopicListUnavailable($"the cluster's bootstrapServers '{cluster.Spec.BootstrapServers}' cannot be used ({e.Message})");
        }

        _lists[key] = (now, topics);
        return topics;
    }

    private async Task<string> TokenAsync(KafkaCluster cluster, string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_tokens.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.Token;
        }

        try
        {
            using var request = GatewayHttp.Request(cluster, HttpMethod.Post, $"/admin/vclusters/v1/vcluster/passthrough/username/{ServiceAccount}");
            request.Content = JsonContent.Create(new { lifeTimeSeconds = (long)TokenLifetime.TotalSeconds });
            using var response = await http.Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                // The body is not read: the URL may be any server, and its words are not repeated.
                throw new TopicListUnavailable($"the gateway admin API at {Where(cluster)} answered {(int)response.StatusCode} to the token call");
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var token = JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()
                ?? throw new TopicListUnavailable($"the gateway admin API at {Where(cluster)} gave no token");
            _tokens[key] = (now + TokenLifetime - TimeSpan.FromMinutes(5), token);
            return token;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new TopicListUnavailable($"the gateway admin API at {Where(cluster)} answered the token call with something other than the gateway's JSON; check spec.adminApi.url");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new TopicListUnavailable($"the gateway admin API at {Where(cluster)} is unreachable ({e.Message})");
        }
    }

    private static string Where(KafkaCluster cluster) => AdminApiUrl.Describe(cluster.Spec.AdminApi.Url);
}

/// <summary>Why a cluster's topic list could not be read; the pages let users type topic names instead.</summary>
public sealed class TopicListUnavailable(string reason) : Exception(reason);
