using System.Net.Http.Headers;
using System.Text;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Web;

/// <summary>One HTTP client for the UI's reads from gateways (metrics, the token call), with short
/// timeouts: a page must render even when a gateway does not answer, so it waits at most a few seconds.</summary>
public sealed class GatewayHttp : IDisposable
{
    public GatewayHttp()
    {
        Client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2), PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(4),
        };
    }

    public HttpClient Client { get; }

    /// <summary>A request to the cluster's admin API as the console's admin user there.</summary>
    public static HttpRequestMessage Request(KafkaCluster cluster, HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, cluster.Spec.AdminApi.Url.TrimEnd('/') + path);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{cluster.Spec.AdminApi.Username}:{cluster.Spec.AdminApi.Password}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        return request;
    }

    public void Dispose() => Client.Dispose();
}
