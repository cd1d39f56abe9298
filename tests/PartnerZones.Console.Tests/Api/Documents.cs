using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PartnerZones.ControlPlane.Tests.Api;

/// <summary>Request bodies and calls the API tests share. Names are unique per call, so tests sharing a
/// console never see each other's resources.</summary>
internal static class Documents
{
    public const string Base = "/api/public/console/v2";

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static JsonObject Cluster(string name, string? password = "gateway-secret") => new()
    {
        ["apiVersion"] = "v2",
        ["kind"] = "KafkaCluster",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["bootstrapServers"] = "127.0.0.1:9094",
            ["adminApi"] = password is null
                ? new JsonObject { ["url"] = "http://127.0.0.1:8888", ["username"] = "admin" }
                : new JsonObject { ["url"] = "http://127.0.0.1:8888", ["username"] = "admin", ["password"] = password },
        },
    };

    public static JsonObject Zone(string name, string cluster, string? account = null) => new()
    {
        ["apiVersion"] = "v2",
        ["kind"] = "PartnerZone",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["team"] = "data" } },
        ["spec"] = new JsonObject
        {
            ["cluster"] = cluster,
            ["serviceAccount"] = account ?? name + "-sa",
            ["topics"] = new JsonArray
            {
                new JsonObject { ["name"] = "topic-a", ["backingTopic"] = "kafka-topic-a", ["permission"] = "WRITE" },
                new JsonObject { ["name"] = "topic-b", ["backingTopic"] = "kafka-topic-a", ["permission"] = "READ" },
            },
        },
    };

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> PutAsync(HttpClient client, string kindPath, JsonNode document, bool dryMode = false) =>
        await SendAsync(client, HttpMethod.Put, $"{Base}/{kindPath}{(dryMode ? "?dryMode=true" : "")}", document.ToJsonString());

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response, body);
    }

    public static async Task<string> CreateClusterAsync(HttpClient client)
    {
        var name = Unique("gw");
        var (response, body) = await PutAsync(client, "kafka-cluster", Cluster(name));
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return name;
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static string[] Errors(JsonElement body) => [.. body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)];
}
