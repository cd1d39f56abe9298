using System.Net.Http.Headers;
using System.Text;
using PartnerZones.ControlPlane.Reconciliation;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Web;

/// <summary>One HTTP client for the UI's reads from gateways (metrics, the token call), with short
/// timeouts: a page must render even when a gateway does not answer, so it waits at most a few seconds.
/// Answers are buffered up to <see cref="MaxAnswerBytes"/> and no further (the client counts what
/// arrives and fails the call past it), and redirects are not followed: the admin password goes only
/// to the URL the KafkaCluster names.</summary>
public sealed class GatewayHttp : IDisposable
{
    /// <summary>Most bytes of one answer: the Prometheus text of a gateway with thousands of zones fits.</summary>
    public const int MaxAnswerBytes = 8 * 1024 * 1024;

    public GatewayHttp()
    {
        Client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
        })
        {
            Timeout = TimeSpan.FromSeconds(4),
            MaxResponseContentBufferSize = MaxAnswerBytes,
        };
    }

    public HttpClient Client { get; }

    /// <summary>A request to the cluster's admin API as the console's admin user there. <paramref name="path"/>
    /// is a fixed path ("/metrics"); its segments are escaped and appended to the URL's path prefix. A URL
    /// that is not a base URL (a query, user-info...) is never called: the request fails as an
    /// <see cref="HttpRequestException"/>, which the callers already report as the gateway not answering.</summary>
    public static HttpRequestMessage Request(KafkaCluster cluster, HttpMethod method, string path)
    {
        var admin = cluster.Spec.AdminApi;
        var baseUrl = AdminApiUrl.Parse(admin.Url)
            ?? throw new HttpRequestException($"spec.adminApi.url of KafkaCluster/{cluster.Metadata.Name} {AdminApiUrl.Problem(admin.Url)}");
        var request = new HttpRequestMessage(method, GatewayPath.Parse(path).Under(baseUrl));
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{admin.Username}:{admin.Password}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        return request;
    }

    public void Dispose() => Client.Dispose();
}
