using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using PartnerZones.Resources;
using static PartnerZones.ControlPlane.Tests.Api.Documents;

namespace PartnerZones.ControlPlane.Tests.Api;

/// <summary>The REST API, run once per store (<see cref="SqliteApiTests"/>, <see cref="PostgresApiTests"/>):
/// every behaviour must be the same whichever database holds the state.</summary>
public abstract class ApiTests(IStoreFixture fixture)
{
    private TestConsole Console => fixture.Console;

    private HttpClient Client => fixture.Console.Client;

    [Fact]
    public async Task Upsert_answers_created_then_not_changed_then_updated()
    {
        var cluster = await CreateClusterAsync(Client);
        var name = Unique("zone");
        var zone = Zone(name, cluster);

        var (created, first) = await PutAsync(Client, "partner-zone", zone);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("CREATED", first.GetProperty("upsertResult").GetString());
        var metadata = first.GetProperty("resource").GetProperty("metadata");
        var id = Guid.Parse(metadata.GetProperty("id").GetString()!);
        var updatedAt = metadata.GetProperty("updatedAt").GetDateTimeOffset();
        Assert.Equal("PENDING", metadata.GetProperty("status").GetString());
        Assert.False(metadata.TryGetProperty("failedReason", out _));
        Assert.InRange(updatedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        var (_, again) = await PutAsync(Client, "partner-zone", zone);
        Assert.Equal("NOT_CHANGED", again.GetProperty("upsertResult").GetString());
        Assert.Equal(id.ToString(), again.GetProperty("resource").GetProperty("metadata").GetProperty("id").GetString());
        Assert.Equal(updatedAt, again.GetProperty("resource").GetProperty("metadata").GetProperty("updatedAt").GetDateTimeOffset());

        // Labels in another order are the same labels.
        zone["metadata"]!["labels"] = new JsonObject { ["b"] = "2", ["a"] = "1" };
        Assert.Equal("UPDATED", (await PutAsync(Client, "partner-zone", zone)).Body.GetProperty("upsertResult").GetString());
        zone["metadata"]!["labels"] = new JsonObject { ["a"] = "1", ["b"] = "2" };
        Assert.Equal("NOT_CHANGED", (await PutAsync(Client, "partner-zone", zone)).Body.GetProperty("upsertResult").GetString());

        await Task.Delay(5);
        zone["spec"]!["topics"]!.AsArray().RemoveAt(1);
        var (_, updated) = await PutAsync(Client, "partner-zone", zone);
        Assert.Equal("UPDATED", updated.GetProperty("upsertResult").GetString());
        var stored = await GetJsonAsync(Client, $"{Base}/partner-zone/{name}");
        Assert.Equal(id.ToString(), stored.GetProperty("metadata").GetProperty("id").GetString());
        Assert.True(stored.GetProperty("metadata").GetProperty("updatedAt").GetDateTimeOffset() > updatedAt);
        Assert.Equal(1, stored.GetProperty("spec").GetProperty("topics").GetArrayLength());
        Assert.Equal("PENDING", stored.GetProperty("metadata").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Dry_mode_reports_the_result_and_changes_nothing()
    {
        var cluster = await CreateClusterAsync(Client);
        var name = Unique("zone");
        var (_, dry) = await PutAsync(Client, "partner-zone", Zone(name, cluster), dryMode: true);
        Assert.Equal("CREATED", dry.GetProperty("upsertResult").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"{Base}/partner-zone/{name}")).StatusCode);

        await PutAsync(Client, "partner-zone", Zone(name, cluster));
        var before = await GetJsonAsync(Client, $"{Base}/partner-zone/{name}");
        var changed = Zone(name, cluster);
        changed["spec"]!["displayName"] = "Changed";
        var (_, dryUpdate) = await PutAsync(Client, "partner-zone", changed, dryMode: true);
        Assert.Equal("UPDATED", dryUpdate.GetProperty("upsertResult").GetString());
        Assert.Equal("Changed", dryUpdate.GetProperty("resource").GetProperty("spec").GetProperty("displayName").GetString());
        var after = await GetJsonAsync(Client, $"{Base}/partner-zone/{name}");
        Assert.Equal(before.ToString(), after.ToString());

        // Dry mode still validates.
        var (invalid, body) = await PutAsync(Client, "partner-zone", Zone(name, "no-such-cluster"), dryMode: true);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("no-such-cluster", body.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task Invalid_zone_is_400_with_every_problem_named()
    {
        var zone = Zone("Bad_Name", "");
        zone["spec"]!["serviceAccount"] = "acme";
        zone["spec"]!["topics"] = new JsonArray
        {
            new JsonObject { ["name"] = "orders", ["backingTopic"] = "orders", ["permission"] = "ADMIN" },
            new JsonObject { ["name"] = "orders", ["backingTopic"] = "bad topic", ["permission"] = "READ" },
        };
        var (response, body) = await PutAsync(Client, "partner-zone", zone);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Invalid PartnerZone", body.GetProperty("title").GetString());
        var errors = Errors(body);
        Assert.Contains(errors, e => e.Contains("metadata.name") && e.Contains("lower-case"));
        Assert.Contains(errors, e => e.Contains("spec.cluster is empty"));
        Assert.Contains(errors, e => e.Contains("spec.topics[0].permission is 'ADMIN'") && e.Contains("READ or WRITE"));
        Assert.Contains(errors, e => e.Contains("spec.topics[1].name 'orders' is used twice"));
        Assert.Contains(errors, e => e.Contains("spec.topics[1].backingTopic") && e.Contains("characters Kafka does not allow"));
        Assert.Equal(5, errors.Length);
        // The human message carries every problem too.
        Assert.All(errors, e => Assert.Contains(e, body.GetProperty("msg").GetString()));

        var empty = Zone(Unique("zone"), await CreateClusterAsync(Client));
        empty["spec"]!["topics"] = new JsonArray();
        var (emptyResponse, emptyBody) = await PutAsync(Client, "partner-zone", empty);
        Assert.Equal(HttpStatusCode.BadRequest, emptyResponse.StatusCode);
        Assert.Contains("spec.topics is empty", emptyBody.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task Unknown_fields_are_400_never_stored()
    {
        var cluster = await CreateClusterAsync(Client);
        var name = Unique("zone");
        var zone = Zone(name, cluster);
        zone["spec"]!["colour"] = "blue";
        zone["spec"]!["trafficControlPolicies"] = new JsonObject { ["maxBytesPerSecond"] = 10 };
        zone["spec"]!["topics"]![0]!["headers"] = new JsonObject { ["x"] = "y" };
        zone["metadata"]!["Name"] = "case matters";
        var (response, body) = await PutAsync(Client, "partner-zone", zone);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = Errors(body);
        Assert.Contains(errors, e => e.Contains("unknown field spec.colour") && e.Contains("known fields here"));
        Assert.Contains(errors, e => e.Contains("unknown field spec.trafficControlPolicies.maxBytesPerSecond") && e.Contains("maxProduceRate"));
        Assert.Contains(errors, e => e.Contains("unknown field spec.topics[0].headers"));
        Assert.Contains(errors, e => e.Contains("unknown field metadata.Name"));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"{Base}/partner-zone/{name}")).StatusCode);

        var wrongTypes = Zone(name, cluster);
        wrongTypes["spec"]!["topics"] = "topic-a";
        wrongTypes["spec"]!["serviceAccount"] = 42;
        var (_, typeBody) = await PutAsync(Client, "partner-zone", wrongTypes);
        Assert.Contains(Errors(typeBody), e => e.Contains("spec.topics must be a list"));
        Assert.Contains(Errors(typeBody), e => e.Contains("spec.serviceAccount must be a string"));
    }

    [Fact]
    public async Task A_zone_needs_a_known_cluster_and_its_own_service_account()
    {
        var (missing, body) = await PutAsync(Client, "partner-zone", Zone(Unique("zone"), "no-such-cluster"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("spec.cluster 'no-such-cluster' is not a KafkaCluster the console knows", body.GetProperty("msg").GetString());

        var cluster = await CreateClusterAsync(Client);
        var account = Unique("sa");
        var first = Unique("zone");
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(Client, "partner-zone", Zone(first, cluster, account))).Response.StatusCode);
        var (taken, takenBody) = await PutAsync(Client, "partner-zone", Zone(Unique("zone"), cluster, account));
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Contains($"service account '{account}' already belongs to PartnerZone '{first}'", takenBody.GetProperty("msg").GetString());

        // The long form names the service account too, and is checked the same way.
        var longForm = Zone(Unique("zone"), cluster);
        ((JsonObject)longForm["spec"]!).Remove("serviceAccount");
        longForm["spec"]!["authenticationMode"] = new JsonObject { ["type"] = "PLAIN", ["serviceAccount"] = account };
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync(Client, "partner-zone", longForm)).Response.StatusCode);
        longForm["spec"]!["authenticationMode"]!["serviceAccount"] = Unique("sa");
        var (ok, okBody) = await PutAsync(Client, "partner-zone", longForm);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("PLAIN", okBody.GetProperty("resource").GetProperty("spec").GetProperty("authenticationMode").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Requests_without_a_valid_key_are_401_with_a_json_reason()
    {
        using var anonymous = Console.CreateClient();
        var (none, noneBody) = await SendAsync(anonymous, HttpMethod.Get, $"{Base}/partner-zone");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Unauthorized", noneBody.GetProperty("title").GetString());
        Assert.Contains("Authorization: Bearer", noneBody.GetProperty("msg").GetString());
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);

        using var wrong = Console.CreateClient(new AuthenticationHeaderValue("Bearer", "pzk_not-a-key"));
        foreach (var (method, path) in new[] { (HttpMethod.Get, $"{Base}/kafka-cluster"), (HttpMethod.Get, $"{Base}/partner-zone/x"), (HttpMethod.Delete, $"{Base}/partner-zone/x") })
        {
            var (response, body) = await SendAsync(wrong, method, path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("not valid", body.GetProperty("msg").GetString());
        }

        var (put, _) = await PutAsync(wrong, "partner-zone", Zone(Unique("zone"), "gw"));
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);

        // An admin password is not an API key.
        using var basic = Console.AdminClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await basic.GetAsync($"{Base}/partner-zone")).StatusCode);
    }

    [Fact]
    public async Task List_get_and_delete()
    {
        var cluster = await CreateClusterAsync(Client);
        var names = new[] { Unique("zone"), Unique("zone") };
        foreach (var name in names)
        {
            await PutAsync(Client, "partner-zone", Zone(name, cluster));
        }

        var list = await GetJsonAsync(Client, $"{Base}/partner-zone");
        var listed = list.EnumerateArray().Select(z => z.GetProperty("metadata").GetProperty("name").GetString()!).ToList();
        Assert.Subset(listed.ToHashSet(), names.ToHashSet());
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.All(list.EnumerateArray(), z => Assert.Equal("PartnerZone", z.GetProperty("kind").GetString()));

        var (deleted, deletedBody) = await SendAsync(Client, HttpMethod.Delete, $"{Base}/partner-zone/{names[0]}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("DELETED", deletedBody.GetProperty("result").GetString());
        var (gone, goneBody) = await SendAsync(Client, HttpMethod.Get, $"{Base}/partner-zone/{names[0]}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("Not found", goneBody.GetProperty("title").GetString());
        Assert.Contains($"PartnerZone '{names[0]}' does not exist", goneBody.GetProperty("msg").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(Client, HttpMethod.Delete, $"{Base}/partner-zone/{names[0]}")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"{Base}/partner-zone/{names[1]}")).StatusCode);
    }

    [Fact]
    public async Task Cluster_password_is_write_only_and_a_used_cluster_cannot_be_deleted()
    {
        var name = Unique("gw");
        var (_, created) = await PutAsync(Client, "kafka-cluster", Cluster(name, "s3cret"));
        Assert.DoesNotContain("s3cret", created.ToString());
        var stored = await GetJsonAsync(Client, $"{Base}/kafka-cluster/{name}");
        Assert.False(stored.GetProperty("spec").GetProperty("adminApi").TryGetProperty("password", out _));
        Assert.DoesNotContain("s3cret", (await GetJsonAsync(Client, $"{Base}/kafka-cluster")).ToString());

        // What `get` shows can be applied again: without the password it keeps the stored one.
        Assert.Equal("NOT_CHANGED", (await PutAsync(Client, "kafka-cluster", Cluster(name, password: null))).Body.GetProperty("upsertResult").GetString());
        Assert.Equal("UPDATED", (await PutAsync(Client, "kafka-cluster", Cluster(name, "other"))).Body.GetProperty("upsertResult").GetString());
        var (newWithout, newWithoutBody) = await PutAsync(Client, "kafka-cluster", Cluster(Unique("gw"), password: null));
        Assert.Equal(HttpStatusCode.BadRequest, newWithout.StatusCode);
        Assert.Contains("spec.adminApi.password is empty", newWithoutBody.GetProperty("msg").GetString());

        var zone = Unique("zone");
        await PutAsync(Client, "partner-zone", Zone(zone, name));
        var (conflict, conflictBody) = await SendAsync(Client, HttpMethod.Delete, $"{Base}/kafka-cluster/{name}");
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains($"'{zone}'", conflictBody.GetProperty("msg").GetString());
        await SendAsync(Client, HttpMethod.Delete, $"{Base}/partner-zone/{zone}");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Client, HttpMethod.Delete, $"{Base}/kafka-cluster/{name}")).Response.StatusCode);
    }

    [Fact]
    public async Task Invalid_cluster_is_400_with_every_problem_named()
    {
        var cluster = Cluster("Bad Name");
        cluster["spec"]!["bootstrapServers"] = "127.0.0.1:9094,nohost,host:99999";
        cluster["spec"]!["adminApi"]!["url"] = "ftp://gateway";
        cluster["spec"]!["adminApi"]!["username"] = "";
        var (response, body) = await PutAsync(Client, "kafka-cluster", cluster);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = Errors(body);
        Assert.Contains(errors, e => e.Contains("metadata.name"));
        Assert.Contains(errors, e => e.Contains("'nohost' is not host:port"));
        Assert.Contains(errors, e => e.Contains("'host:99999' has no port"));
        Assert.Contains(errors, e => e.Contains("spec.adminApi.url 'ftp://gateway'"));
        Assert.Contains(errors, e => e.Contains("spec.adminApi.username is empty"));
        Assert.Equal(5, errors.Length);
    }

    [Fact]
    public async Task Bad_bodies_and_wrong_endpoints_get_json_errors()
    {
        var cluster = await CreateClusterAsync(Client);
        var (wrongKind, wrongKindBody) = await PutAsync(Client, "kafka-cluster", Zone(Unique("zone"), cluster));
        Assert.Equal(HttpStatusCode.BadRequest, wrongKind.StatusCode);
        Assert.Contains("send PartnerZone documents to /api/public/console/v2/partner-zone", wrongKindBody.GetProperty("msg").GetString());

        var (broken, brokenBody) = await SendAsync(Client, HttpMethod.Put, $"{Base}/partner-zone", "{\"apiVersion\": \"v2\",\n \"kind\": ");
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("invalid JSON at line 2", brokenBody.GetProperty("msg").GetString());

        var (empty, emptyBody) = await SendAsync(Client, HttpMethod.Put, $"{Base}/partner-zone", "");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("body is empty", emptyBody.GetProperty("msg").GetString());

        var (notObject, notObjectBody) = await SendAsync(Client, HttpMethod.Put, $"{Base}/partner-zone", "[1, 2]");
        Assert.Equal(HttpStatusCode.BadRequest, notObject.StatusCode);
        Assert.Contains("the document must be an object", notObjectBody.GetProperty("msg").GetString());

        var (yaml, yamlBody) = await SendAsync(Client, HttpMethod.Put, $"{Base}/partner-zone", "kind: PartnerZone", "application/yaml");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, yaml.StatusCode);
        Assert.Contains("application/json", yamlBody.GetProperty("msg").GetString());

        // Expect: 100-continue, as clients sending large bodies do: the console refuses on Content-Length
        // before the body is sent (without it, the refusal races the upload and the client may see a reset).
        using (var large = new HttpRequestMessage(HttpMethod.Put, $"{Base}/partner-zone") { Content = new StringContent("\"" + new string('x', 2 * 1024 * 1024) + "\"", System.Text.Encoding.UTF8, "application/json") })
        {
            large.Headers.ExpectContinue = true;
            using var tooLarge = await Client.SendAsync(large);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
            Assert.Contains("larger than 1024 KiB", await tooLarge.Content.ReadAsStringAsync());
        }

        var (unknown, unknownBody) = await SendAsync(Client, HttpMethod.Get, $"{Base}/no-such-kind");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("/openapi/v1.json", unknownBody.GetProperty("msg").GetString());

        var (method, methodBody) = await SendAsync(Client, HttpMethod.Post, $"{Base}/partner-zone", "{}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
        Assert.Equal("Method not allowed", methodBody.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Concurrent_upserts_of_one_new_resource_create_it_once()
    {
        var cluster = await CreateClusterAsync(Client);
        var name = Unique("zone");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var (response, body) = await PutAsync(Client, "partner-zone", Zone(name, cluster));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return body.GetProperty("upsertResult").GetString();
        }));
        Assert.Equal(1, results.Count(r => r == "CREATED"));
        Assert.Equal(7, results.Count(r => r == "NOT_CHANGED"));
    }

    [Fact]
    public async Task Admins_create_list_and_revoke_api_keys()
    {
        using var admin = Console.AdminClient();
        var name = Unique("ci");
        var (created, token) = await SendAsync(admin, HttpMethod.Post, $"{Base}/token", $"{{\"name\": \"{name}\"}}");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = token.GetProperty("token").GetString()!;
        Assert.StartsWith("pzk_", key);
        Assert.Equal("admin", token.GetProperty("createdBy").GetString());

        using var withKey = Console.CreateClient(new AuthenticationHeaderValue("Bearer", key));
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync($"{Base}/partner-zone")).StatusCode);

        var list = await GetJsonAsync(admin, $"{Base}/token");
        var entry = list.EnumerateArray().Single(t => t.GetProperty("name").GetString() == name);
        Assert.DoesNotContain(key, list.ToString());
        Assert.False(entry.TryGetProperty("token", out _));
        Assert.True(entry.TryGetProperty("lastUsedAt", out _));

        var (revoked, revokedBody) = await SendAsync(admin, HttpMethod.Delete, $"{Base}/token/{name}");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(token.GetProperty("id").GetString(), revokedBody[0].GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await withKey.GetAsync($"{Base}/partner-zone")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(admin, HttpMethod.Delete, $"{Base}/token/{name}")).Response.StatusCode);

        var (badName, badNameBody) = await SendAsync(admin, HttpMethod.Post, $"{Base}/token", "{\"name\": \"Not Valid\", \"scope\": \"all\"}");
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Contains("unknown field scope", badNameBody.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task Token_endpoints_need_an_admin_password_not_an_api_key()
    {
        using var wrongPassword = Console.AdminClient("wrong");
        var (response, body) = await SendAsync(wrongPassword, HttpMethod.Get, $"{Base}/token");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("admin login failed", body.GetProperty("msg").GetString());
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);

        using var unknownUser = Console.CreateClient(new AuthenticationHeaderValue("Basic", Convert.ToBase64String("nobody:test-admin-password"u8.ToArray())));
        Assert.Equal(HttpStatusCode.Unauthorized, (await unknownUser.GetAsync($"{Base}/token")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.GetAsync($"{Base}/token")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(Client, HttpMethod.Post, $"{Base}/token", "{\"name\": \"x\"}")).Response.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        using var anonymous = Console.CreateClient();
        var document = await GetJsonAsync(anonymous, "/openapi/v1.json");
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { $"{Base}/partner-zone", $"{Base}/partner-zone/{{name}}", $"{Base}/kafka-cluster", $"{Base}/kafka-cluster/{{name}}", $"{Base}/token",
                     "/public/partner-zone/v2/{name}/generate-credentials", "/api/public/partner-zone/v2/{name}/credentials/{id}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }

        var put = paths.GetProperty($"{Base}/partner-zone").GetProperty("put");
        Assert.True(put.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(put.GetProperty("responses").TryGetProperty("400", out _));
        Assert.Contains("dryMode", put.ToString());

        // The zone policies are described with their units, bounds and templates.
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var limits = schemas.GetProperty("TrafficControlPolicies");
        Assert.Contains("throttle_time_ms", limits.GetProperty("description").GetString());
        var produce = limits.GetProperty("properties").GetProperty("maxProduceRate");
        Assert.Contains("Bytes per second", produce.GetProperty("description").GetString());
        Assert.Equal(1, produce.GetProperty("minimum").GetInt64());
        Assert.Equal(PartnerZoneValidator.MaxByteRate, produce.GetProperty("maximum").GetInt64());
        Assert.Contains("commits per minute", limits.GetProperty("properties").GetProperty("limitCommitOffset").GetProperty("description").GetString());
        var value = schemas.GetProperty("HeaderToAdd").GetProperty("properties").GetProperty("value").GetProperty("description").GetString();
        Assert.Contains(HeaderTemplates.Listed, value);
        Assert.Contains("linear time", schemas.GetProperty("HeaderToRemove").GetProperty("properties").GetProperty("keyRegex").GetProperty("description").GetString());
        Assert.True(schemas.GetProperty("HeaderRules").GetProperty("properties").TryGetProperty("addOnProduce", out _));
        Assert.True(schemas.GetProperty("PartnerZoneSpec").GetProperty("properties").TryGetProperty("trafficControlPolicies", out _));
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        using var anonymous = Console.CreateClient();
        Assert.Equal("live", (await GetJsonAsync(anonymous, "/health/live")).GetProperty("status").GetString());
        Assert.Equal("ready", (await GetJsonAsync(anonymous, "/health/ready")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task State_survives_a_restart_on_the_same_store()
    {
        var store = await fixture.NewStoreAsync();
        string key, name = Unique("gw");
        await using (var first = await TestConsole.StartAsync(store))
        {
            key = first.ApiKey;
            Assert.Equal("CREATED", (await PutAsync(first.Client, "kafka-cluster", Cluster(name))).Body.GetProperty("upsertResult").GetString());
        }

        await using var second = await TestConsole.StartAsync(store);
        using var oldKey = second.CreateClient(new AuthenticationHeaderValue("Bearer", key));
        var cluster = await GetJsonAsync(oldKey, $"{Base}/kafka-cluster/{name}");
        Assert.Equal("127.0.0.1:9094", cluster.GetProperty("spec").GetProperty("bootstrapServers").GetString());
        Assert.Equal("NOT_CHANGED", (await PutAsync(second.Client, "kafka-cluster", Cluster(name))).Body.GetProperty("upsertResult").GetString());
    }
}

public sealed class SqliteApiTests(SqliteFixture fixture) : ApiTests(fixture), IClassFixture<SqliteFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiTests(PostgresFixture fixture) : ApiTests(fixture);
