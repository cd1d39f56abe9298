using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using static PartnerZones.ControlPlane.Tests.Api.Documents;

namespace PartnerZones.ControlPlane.Tests.Verification;

/// <summary>
/// Contracts that hold for every endpoint, checked against the list of operations in the console's own
/// OpenAPI document, so an endpoint added later is covered or makes these tests fail: no operation answers
/// without credentials, and each one answers a bad request with a JSON error that has a title and a
/// message naming the problem. Also the read-only metadata and dry-mode rules for both kinds. Run on
/// SQLite and on PostgreSQL.
/// </summary>
public abstract class EndpointContractTests(IStoreFixture fixture)
{
    private const string Credentials = "/api/public/partner-zone/v2";
    private const string LegacyCredentials = "/public/partner-zone/v2";

    private TestConsole Console => fixture.Console;

    [Fact]
    public async Task Every_documented_operation_refuses_a_request_without_credentials_with_a_json_error()
    {
        var operations = await OperationsAsync();
        Assert.True(operations.Count >= 14, $"the OpenAPI document lists only {operations.Count} operations: {string.Join(", ", operations)}");
        using var anonymous = Console.CreateClient();
        using var wrongKey = Console.CreateClient(new AuthenticationHeaderValue("Bearer", "pzk_not-a-key"));
        foreach (var (method, template) in operations)
        {
            var path = Fill(template);
            foreach (var client in new[] { anonymous, wrongKey })
            {
                var (response, body) = await SendAsync(client, method, path, method == HttpMethod.Get || method == HttpMethod.Delete ? null : "{}");
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode} without valid credentials");
                AssertError(body, $"{method} {path}");
            }
        }
    }

    [Fact]
    public async Task Every_documented_operation_answers_bad_input_with_a_title_and_a_message_naming_it()
    {
        var cluster = await CreateClusterAsync(Console.Client);
        var zone = Unique("zone");
        Assert.True((await PutAsync(Console.Client, "partner-zone", Zone(zone, cluster))).Response.IsSuccessStatusCode);
        using var admin = Console.AdminClient();
        using var wrongAdmin = Console.AdminClient("wrong-password");
        using var wrongKey = Console.CreateClient(new AuthenticationHeaderValue("Bearer", "pzk_not-a-key"));

        // One bad request per operation; the list endpoints take no input but the credentials, so theirs is a wrong one.
        var cases = new List<(HttpMethod Method, string Template, HttpClient Client, string Path, string? Body, HttpStatusCode Status, string Says)>
        {
            (HttpMethod.Put, $"{Base}/kafka-cluster", Console.Client, $"{Base}/kafka-cluster", """{"apiVersion": "v2", "kind": "KafkaCluster", "metadata": {"name": "gw"}, "spec": {"bootstrapServers": "x"}, "extra": 1}""", HttpStatusCode.BadRequest, "unknown field extra"),
            (HttpMethod.Put, $"{Base}/kafka-cluster", Console.Client, $"{Base}/kafka-cluster?dryMode=maybe", Cluster(Unique("gw")).ToJsonString(), HttpStatusCode.BadRequest, "dryMode is 'maybe'"),
            (HttpMethod.Get, $"{Base}/kafka-cluster", wrongKey, $"{Base}/kafka-cluster", null, HttpStatusCode.Unauthorized, "not valid"),
            (HttpMethod.Get, $"{Base}/kafka-cluster/{{name}}", Console.Client, $"{Base}/kafka-cluster/no-such-cluster", null, HttpStatusCode.NotFound, "KafkaCluster 'no-such-cluster' does not exist"),
            (HttpMethod.Delete, $"{Base}/kafka-cluster/{{name}}", Console.Client, $"{Base}/kafka-cluster/no-such-cluster", null, HttpStatusCode.NotFound, "KafkaCluster 'no-such-cluster' does not exist"),
            (HttpMethod.Put, $"{Base}/partner-zone", Console.Client, $"{Base}/partner-zone", """{"apiVersion": "v2", "kind": "PartnerZone", "metadata": {"name": "z"}, "spec": {"cluster": "gw", "topics": "a"}}""", HttpStatusCode.BadRequest, "spec.topics must be a list"),
            (HttpMethod.Put, $"{Base}/partner-zone", Console.Client, $"{Base}/partner-zone?dryMode=yes", Zone(Unique("zone"), cluster).ToJsonString(), HttpStatusCode.BadRequest, "dryMode is 'yes'"),
            (HttpMethod.Get, $"{Base}/partner-zone", wrongKey, $"{Base}/partner-zone", null, HttpStatusCode.Unauthorized, "not valid"),
            (HttpMethod.Get, $"{Base}/partner-zone/{{name}}", Console.Client, $"{Base}/partner-zone/no-such-zone", null, HttpStatusCode.NotFound, "PartnerZone 'no-such-zone' does not exist"),
            (HttpMethod.Delete, $"{Base}/partner-zone/{{name}}", Console.Client, $"{Base}/partner-zone/no-such-zone", null, HttpStatusCode.NotFound, "PartnerZone 'no-such-zone' does not exist"),
            (HttpMethod.Post, $"{Base}/token", admin, $"{Base}/token", """{"name": "Not A Name"}""", HttpStatusCode.BadRequest, "must be lower-case letters, digits and '-'"),
            (HttpMethod.Get, $"{Base}/token", wrongAdmin, $"{Base}/token", null, HttpStatusCode.Unauthorized, "admin login failed"),
            (HttpMethod.Delete, $"{Base}/token/{{idOrName}}", admin, $"{Base}/token/no-such-key", null, HttpStatusCode.NotFound, "no active API key has the id or name 'no-such-key'"),
            (HttpMethod.Post, $"{Credentials}/{{name}}/generate-credentials", Console.Client, $"{Credentials}/no-such-zone/generate-credentials", null, HttpStatusCode.NotFound, "PartnerZone 'no-such-zone' does not exist"),
            (HttpMethod.Post, $"{Credentials}/{{name}}/generate-credentials", Console.Client, $"{Credentials}/{zone}/generate-credentials", """{"lifeTimeSeconds": 0}""", HttpStatusCode.BadRequest, "lifeTimeSeconds is 0; use 1 to"),
            (HttpMethod.Post, $"{LegacyCredentials}/{{name}}/generate-credentials", Console.Client, $"{LegacyCredentials}/no-such-zone/generate-credentials", null, HttpStatusCode.NotFound, "PartnerZone 'no-such-zone' does not exist"),
            (HttpMethod.Post, $"{LegacyCredentials}/{{name}}/generate-credentials", Console.Client, $"{LegacyCredentials}/{zone}/generate-credentials", """{"lifeTimeSeconds": "soon"}""", HttpStatusCode.BadRequest, "lifeTimeSeconds is the string \"soon\"; it must be a whole number"),
            (HttpMethod.Get, $"{Credentials}/{{name}}/credentials", Console.Client, $"{Credentials}/no-such-zone/credentials", null, HttpStatusCode.NotFound, "PartnerZone 'no-such-zone' does not exist"),
            (HttpMethod.Delete, $"{Credentials}/{{name}}/credentials/{{id}}", Console.Client, $"{Credentials}/no-such-zone/credentials/c-0", null, HttpStatusCode.NotFound, "PartnerZone 'no-such-zone' does not exist"),
        };

        var operations = await OperationsAsync();
        var uncovered = operations.Where(o => !cases.Any(c => c.Method == o.Method && c.Template == o.Template)).ToList();
        Assert.True(uncovered.Count == 0, $"operations without a bad-input case here: {string.Join(", ", uncovered)}");

        foreach (var c in cases)
        {
            var (response, body) = await SendAsync(c.Client, c.Method, c.Path, c.Body);
            var what = $"{c.Method} {c.Path}";
            Assert.True(response.StatusCode == c.Status, $"{what} answered {(int)response.StatusCode}, expected {(int)c.Status}: {body}");
            AssertError(body, what);
            Assert.Contains(c.Says, body.GetProperty("msg").GetString());
        }

        // The rejected requests changed nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await Console.Client.GetAsync($"{Base}/kafka-cluster/gw")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Console.Client.GetAsync($"{Base}/partner-zone/z")).StatusCode);
    }

    [Fact]
    public async Task Dry_mode_accepts_true_and_false_in_any_case_and_only_true_writes_nothing()
    {
        var name = Unique("gw");
        var (dry, dryBody) = await SendAsync(Console.Client, HttpMethod.Put, $"{Base}/kafka-cluster?dryMode=TRUE", Cluster(name).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        Assert.Equal("CREATED", dryBody.GetProperty("upsertResult").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Console.Client.GetAsync($"{Base}/kafka-cluster/{name}")).StatusCode);

        var (real, realBody) = await SendAsync(Console.Client, HttpMethod.Put, $"{Base}/kafka-cluster?dryMode=false", Cluster(name).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        Assert.Equal("CREATED", realBody.GetProperty("upsertResult").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Console.Client.GetAsync($"{Base}/kafka-cluster/{name}")).StatusCode);

        // Dry mode reports NOT_CHANGED and UPDATED for a cluster as it does for a zone, and still writes nothing.
        Assert.Equal("NOT_CHANGED", (await PutAsync(Console.Client, "kafka-cluster", Cluster(name), dryMode: true)).Body.GetProperty("upsertResult").GetString());
        var changed = Cluster(name);
        changed["spec"]!["bootstrapServers"] = "127.0.0.1:19094";
        Assert.Equal("UPDATED", (await PutAsync(Console.Client, "kafka-cluster", changed, dryMode: true)).Body.GetProperty("upsertResult").GetString());
        Assert.Equal("127.0.0.1:9094", (await GetJsonAsync(Console.Client, $"{Base}/kafka-cluster/{name}")).GetProperty("spec").GetProperty("bootstrapServers").GetString());
    }

    [Fact]
    public async Task Read_only_metadata_in_a_request_is_ignored_for_both_kinds()
    {
        var cluster = Unique("gw");
        var zone = Unique("zone");
        var forgedId = Guid.NewGuid().ToString();
        var forged = new Func<JsonObject, JsonObject>(document =>
        {
            document["metadata"]!["id"] = forgedId;
            document["metadata"]!["status"] = "READY";
            document["metadata"]!["failedReason"] = "forged";
            document["metadata"]!["updatedAt"] = "2001-01-01T00:00:00Z";
            return document;
        });

        foreach (var (kindPath, document) in new[] { ("kafka-cluster", forged(Cluster(cluster))), ("partner-zone", forged(Zone(zone, cluster))) })
        {
            var (response, body) = await PutAsync(Console.Client, kindPath, document);
            Assert.True(response.IsSuccessStatusCode, body.ToString());
            Assert.Equal("CREATED", body.GetProperty("upsertResult").GetString());
            var metadata = body.GetProperty("resource").GetProperty("metadata");
            Assert.NotEqual(forgedId, metadata.GetProperty("id").GetString());
            Assert.Equal("PENDING", metadata.GetProperty("status").GetString());
            Assert.False(metadata.TryGetProperty("failedReason", out _));
            Assert.True(metadata.GetProperty("updatedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(-1));

            // Sending other read-only values again is not a change either.
            document["metadata"]!["status"] = "FAILED";
            document["metadata"]!["id"] = Guid.NewGuid().ToString();
            var (_, again) = await PutAsync(Console.Client, kindPath, document);
            Assert.Equal("NOT_CHANGED", again.GetProperty("upsertResult").GetString());
            var stored = (await GetJsonAsync(Console.Client, $"{Base}/{kindPath}/{document["metadata"]!["name"]}")).GetProperty("metadata");
            Assert.Equal(metadata.GetProperty("id").GetString(), stored.GetProperty("id").GetString());
            Assert.Equal("PENDING", stored.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Fields_to_remove_do_not_hide_the_other_problems_of_a_document()
    {
        var zone = Zone("Bad_Name", "no-such-cluster", Unique("sa"));
        zone["spec"]!["trafficControlPolicies"] = new JsonObject { ["maxBytesPerSecond"] = 10 };
        zone["spec"]!["topics"]![0]!["headers"] = new JsonObject { ["x"] = "y" };
        zone["spec"]!["topics"]![1]!["permission"] = "ADMIN";
        zone["spec"]!["colour"] = "blue";
        var (response, body) = await PutAsync(Console.Client, "partner-zone", zone);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = Errors(body);
        Assert.Contains(errors, e => e.Contains("unknown field spec.trafficControlPolicies.maxBytesPerSecond"));
        Assert.Contains(errors, e => e.Contains("unknown field spec.topics[0].headers"));
        Assert.Contains(errors, e => e.Contains("unknown field spec.colour"));
        Assert.Contains(errors, e => e.Contains("metadata.name") && e.Contains("lower-case"));
        Assert.Contains(errors, e => e.Contains("spec.topics[1].permission is 'ADMIN'"));
        Assert.Equal(5, errors.Length);

        // Checks against other resources run too once the document itself is otherwise valid.
        var valid = Zone(Unique("zone"), "no-such-cluster");
        valid["spec"]!["trafficControlPolicies"] = new JsonObject { ["maxBytesPerSecond"] = 10 };
        var (_, validBody) = await PutAsync(Console.Client, "partner-zone", valid);
        Assert.Contains(Errors(validBody), e => e.Contains("unknown field spec.trafficControlPolicies.maxBytesPerSecond"));
        Assert.Contains(Errors(validBody), e => e.Contains("spec.cluster 'no-such-cluster' is not a KafkaCluster the console knows"));

        var cluster = Cluster(Unique("gw"));
        cluster["spec"]!["bootstrapServers"] = "";
        cluster["spec"]!["tls"] = true;
        var (_, clusterBody) = await PutAsync(Console.Client, "kafka-cluster", cluster);
        Assert.Contains(Errors(clusterBody), e => e.Contains("unknown field spec.tls"));
        Assert.Contains(Errors(clusterBody), e => e.Contains("spec.bootstrapServers is empty"));

        // A wrong type leaves nothing reliable to check further: that problem alone is named.
        var wrongType = Zone(Unique("zone"), "no-such-cluster");
        wrongType["spec"]!["topics"] = "topic-a";
        wrongType["spec"]!["colour"] = "blue";
        var (_, wrongTypeBody) = await PutAsync(Console.Client, "partner-zone", wrongType);
        Assert.Equal(2, Errors(wrongTypeBody).Length);
    }

    /// <summary>Every (method, path template) of the OpenAPI document.</summary>
    private async Task<List<(HttpMethod Method, string Template)>> OperationsAsync()
    {
        using var anonymous = Console.CreateClient();
        var document = await GetJsonAsync(anonymous, "/openapi/v1.json");
        return [.. document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(op => op.Name is "get" or "put" or "post" or "delete" or "patch")
                .Select(op => (new HttpMethod(op.Name.ToUpperInvariant()), path.Name)))];
    }

    private static string Fill(string template) => System.Text.RegularExpressions.Regex.Replace(template, @"\{[^}]+\}", "x");

    private static void AssertError(JsonElement body, string what)
    {
        Assert.True(body.ValueKind == JsonValueKind.Object, $"{what}: the answer is not a JSON object: {body}");
        Assert.True(body.TryGetProperty("title", out var title) && title.GetString() is { Length: > 0 }, $"{what}: no title in {body}");
        Assert.True(body.TryGetProperty("msg", out var msg) && msg.GetString() is { Length: > 10 }, $"{what}: no msg in {body}");
    }
}

public sealed class SqliteEndpointContractTests(SqliteFixture fixture) : EndpointContractTests(fixture), IClassFixture<SqliteFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresEndpointContractTests(PostgresFixture fixture) : EndpointContractTests(fixture);
