using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>Calls the admin API and returns status and JSON body, for assertions on both.</summary>
internal sealed class AdminApi(HttpClient http) : IDisposable
{
    public static AdminApi For(int port, string? user = GatewayFixture.AdminUser, string? password = GatewayFixture.AdminPassword)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        if (user is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return new AdminApi(http);
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json", string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(HttpStatusCode Status, JsonNode? Body)> PutAsync(string path, string json) => SendAsync(HttpMethod.Put, path, json);

    public Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<(HttpStatusCode Status, JsonNode? Body)> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    /// <summary>The token call exactly as users script it.</summary>
    public async Task<string> TokenAsync(string vcluster, string username, long lifetimeSeconds = 7776000)
    {
        var (status, body) = await PostAsync($"/admin/vclusters/v1/vcluster/{vcluster}/username/{username}", $"{{\"lifeTimeSeconds\": {lifetimeSeconds}}}");
        Assert.True(status == HttpStatusCode.OK, $"token call answered {(int)status}: {body}");
        return body!["token"]!.GetValue<string>();
    }

    /// <summary>Issues a credential and returns (id, secret).</summary>
    public async Task<(string Id, string Secret)> IssueAsync(string account, long lifetimeSeconds = 3600)
    {
        var (status, body) = await PostAsync("/gateway/v2/credential", $"{{\"serviceAccount\": \"{account}\", \"lifeTimeSeconds\": {lifetimeSeconds}}}");
        Assert.True(status == HttpStatusCode.Created, $"issue answered {(int)status}: {body}");
        return (body!["id"]!.GetValue<string>(), body["secret"]!.GetValue<string>());
    }

    public async Task RevokeAsync(string id)
    {
        var (status, body) = await PostAsync($"/gateway/v2/credential/{id}/revoke", "{}");
        Assert.True(status == HttpStatusCode.OK, $"revoke answered {(int)status}: {body}");
    }

    public void Dispose() => http.Dispose();
}
