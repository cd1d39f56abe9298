using System.Net;
using Confluent.Kafka;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>The admin HTTP API against one gateway: authentication, the token call, zones, accounts and credentials.</summary>
public sealed class AdminApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string TokenPath = "/admin/vclusters/v1/vcluster/passthrough/username/admin";

    [Fact]
    public async Task Token_call_needs_admin_credentials()
    {
        using var anonymous = AdminApi.For(fixture.HttpPort, user: null);
        var (status, body) = await anonymous.PostAsync(TokenPath, "{\"lifeTimeSeconds\": 7776000}");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("HTTP Basic", body!["message"]!.GetValue<string>());

        using var wrong = AdminApi.For(fixture.HttpPort, password: "not-the-admin-password");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PostAsync(TokenPath, "{\"lifeTimeSeconds\": 7776000}")).Status);

        using var unknown = AdminApi.For(fixture.HttpPort, user: "mallory");
        Assert.Equal(HttpStatusCode.Unauthorized, (await unknown.GetAsync("/gateway/v2/partner-zone")).Status);

        // Health and metrics stay open.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).Status);
    }

    [Fact]
    public async Task Token_call_as_written_gives_a_passthrough_password()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        var token = await api.TokenAsync("passthrough", "admin");
        Assert.True(Base64UrlBytes(token) >= 32, "the token carries at least 256 random bits");

        using var admin = new AdminClientBuilder(Client("admin", token)).Build();
        var topics = admin.GetMetadata(TimeSpan.FromSeconds(20)).Topics.Select(t => t.Topic).ToList();
        Assert.Contains("kafka-topic-a", topics);
        Assert.Contains("private-topic", topics);
    }

    [Fact]
    public async Task Token_on_a_zone_is_the_partner_password_for_that_zone()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        var token = await api.TokenAsync(GatewayFixture.ZoneName, "johndoe", 600);
        using var partner = new AdminClientBuilder(fixture.Partner(token)).Build();
        Assert.Equal(["topic-a", "topic-b"], partner.GetMetadata(TimeSpan.FromSeconds(20)).Topics.Select(t => t.Topic).Order());

        var (status, body) = await api.PostAsync($"/admin/vclusters/v1/vcluster/{GatewayFixture.ZoneName}/username/someone-else", "{\"lifeTimeSeconds\": 60}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("served by service account 'johndoe'", body!["message"]!.GetValue<string>());

        (status, body) = await api.PostAsync("/admin/vclusters/v1/vcluster/no-such-zone/username/johndoe", "{\"lifeTimeSeconds\": 60}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("passthrough", body!["message"]!.GetValue<string>());

        (status, body) = await api.PostAsync("/admin/vclusters/v1/vcluster/passthrough/username/johndoe", "{\"lifeTimeSeconds\": 60}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("PARTNER account", body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Zone_upsert_reports_created_not_changed_updated_and_honours_dry_mode()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        await AccountAsync(api, "acme");

        var (status, body) = await api.PutAsync("/gateway/v2/partner-zone?dryMode=true", Zone("acme-zone", "acme", "READ"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("CREATED", body!["upsertResult"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/gateway/v2/partner-zone/acme-zone")).Status);

        (status, body) = await api.PutAsync("/gateway/v2/partner-zone", Zone("acme-zone", "acme", "READ"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("CREATED", body!["upsertResult"]!.GetValue<string>());
        var version = body["resource"]!["metadata"]!["resourceVersion"]!.GetValue<string>();

        (status, body) = await api.PutAsync("/gateway/v2/partner-zone", Zone("acme-zone", "acme", "READ"));
        Assert.Equal("NOT_CHANGED", body!["upsertResult"]!.GetValue<string>());
        Assert.Equal(version, body["resource"]!["metadata"]!["resourceVersion"]!.GetValue<string>());

        (status, body) = await api.PutAsync("/gateway/v2/partner-zone?dryMode=true", Zone("acme-zone", "acme", "WRITE"));
        Assert.Equal("UPDATED", body!["upsertResult"]!.GetValue<string>());
        (_, body) = await api.GetAsync("/gateway/v2/partner-zone/acme-zone");
        Assert.Equal("READ", body!["spec"]!["topics"]![0]!["permission"]!.GetValue<string>());

        (status, body) = await api.PutAsync("/gateway/v2/partner-zone", Zone("acme-zone", "acme", "WRITE"));
        Assert.Equal("UPDATED", body!["upsertResult"]!.GetValue<string>());
        (_, body) = await api.GetAsync("/gateway/v2/partner-zone/acme-zone");
        Assert.Equal("WRITE", body!["spec"]!["topics"]![0]!["permission"]!.GetValue<string>());

        (_, body) = await api.GetAsync("/gateway/v2/partner-zone");
        Assert.Contains("acme-zone", body!.AsArray().Select(z => z!["metadata"]!["name"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/gateway/v2/partner-zone/acme-zone")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/gateway/v2/partner-zone/acme-zone")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync("/gateway/v2/partner-zone/acme-zone")).Status);
    }

    [Fact]
    public async Task A_stale_resource_version_is_a_conflict()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        await AccountAsync(api, "stale");
        var (_, body) = await api.PutAsync("/gateway/v2/partner-zone", Zone("stale-zone", "stale", "READ"));
        var first = body!["resource"]!["metadata"]!["resourceVersion"]!.GetValue<string>();

        // Someone else changes it...
        (_, body) = await api.PutAsync("/gateway/v2/partner-zone", Zone("stale-zone", "stale", "WRITE", version: first));
        Assert.Equal("UPDATED", body!["upsertResult"]!.GetValue<string>());

        // ...so a write based on the first version is refused, and nothing changes.
        var (status, conflict) = await api.PutAsync("/gateway/v2/partner-zone", Zone("stale-zone", "stale", "READ", version: first));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains($"changed since version {first}", conflict!["message"]!.GetValue<string>());
        (_, body) = await api.GetAsync("/gateway/v2/partner-zone/stale-zone");
        Assert.Equal("WRITE", body!["spec"]!["topics"]![0]!["permission"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Conflict, (await api.SendAsync(HttpMethod.Delete, "/gateway/v2/partner-zone/stale-zone", ifMatch: $"\"{first}\"")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, "/gateway/v2/partner-zone/stale-zone", ifMatch: body["metadata"]!["resourceVersion"]!.GetValue<string>())).Status);
    }

    [Fact]
    public async Task Service_accounts_can_be_listed_changed_and_deleted_when_unused()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        var (status, body) = await api.PutAsync("/gateway/v2/service-account", """{"apiVersion":"v2","kind":"ServiceAccount","metadata":{"name":"temp"},"spec":{"type":"PARTNER"}}""");
        Assert.Equal("CREATED", body!["upsertResult"]!.GetValue<string>());
        (_, body) = await api.GetAsync("/gateway/v2/service-account");
        Assert.Contains("temp", body!.AsArray().Select(a => a!["metadata"]!["name"]!.GetValue<string>()));
        var (id, _) = await api.IssueAsync("temp");

        // johndoe serves the example zone: it cannot be deleted or turned into an admin.
        (status, body) = await api.DeleteAsync("/gateway/v2/service-account/johndoe");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains(GatewayFixture.ZoneName, body!["message"]!.GetValue<string>());
        (status, body) = await api.PutAsync("/gateway/v2/service-account", """{"metadata":{"name":"johndoe"},"spec":{"type":"ADMIN"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("ADMIN account; a zone needs a PARTNER account", body!["message"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/gateway/v2/service-account/temp")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/gateway/v2/credential/{id}")).Status);
    }

    [Fact]
    public async Task Credentials_show_the_secret_once_and_list_metadata_only()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        var (status, body) = await api.PostAsync("/gateway/v2/credential", """{"serviceAccount": "johndoe", "lifeTimeSeconds": 3600, "description": "test"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var id = body!["id"]!.GetValue<string>();
        var secret = body["secret"]!.GetValue<string>();
        Assert.True(Base64UrlBytes(secret) >= 32);
        var expires = DateTimeOffset.Parse(body["expiresAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));

        var (_, list) = await api.GetAsync("/gateway/v2/credential?serviceAccount=johndoe");
        var text = list!.ToJsonString();
        Assert.Contains(id, text);
        Assert.DoesNotContain(secret, text);
        Assert.DoesNotContain("secretHash", text);
        Assert.DoesNotContain("storedKey", text);
        Assert.DoesNotContain("\"secret\"", text);

        using var partner = new AdminClientBuilder(fixture.Partner(secret)).Build();
        Assert.Equal(2, partner.GetMetadata(TimeSpan.FromSeconds(20)).Topics.Count);

        (status, body) = await api.PostAsync("/gateway/v2/credential", """{"serviceAccount": "ghost", "lifeTimeSeconds": 60}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("ServiceAccount 'ghost' does not exist", body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Credential_reads_show_the_last_login_and_open_sessions_of_this_instance()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        var (id, secret) = await api.IssueAsync("johndoe");
        var (_, fresh) = await api.GetAsync($"/gateway/v2/credential/{id}");
        Assert.Null(fresh!["lastUsedAt"]);
        Assert.Equal(0, fresh["openSessions"]!.GetValue<int>());

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var client = await KafkaWireClient.ConnectAsync(fixture.Gateway.BootstrapServers);
        Assert.Equal(0, (await client.LoginPlainAsync("johndoe", secret)).ErrorCode);
        var (_, used) = await api.GetAsync($"/gateway/v2/credential/{id}");
        var lastUsed = DateTimeOffset.Parse(used!["lastUsedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(lastUsed, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(1, used["openSessions"]!.GetValue<int>());

        var (_, list) = await api.GetAsync("/gateway/v2/credential?serviceAccount=johndoe");
        var listed = list!.AsArray().Single(c => c!["id"]!.GetValue<string>() == id)!;
        Assert.Equal(used["lastUsedAt"]!.GetValue<string>(), listed["lastUsedAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rotation_keeps_two_credentials_live_and_revoking_one_leaves_the_other()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        var (oldId, oldSecret) = await api.IssueAsync("johndoe");
        var (_, newSecret) = await api.IssueAsync("johndoe");

        using (var first = await KafkaWireClient.ConnectAsync(fixture.Gateway.BootstrapServers))
        {
            Assert.Equal(0, (await first.LoginPlainAsync("johndoe", oldSecret)).ErrorCode);
        }

        using var live = await KafkaWireClient.ConnectAsync(fixture.Gateway.BootstrapServers);
        Assert.Equal(0, (await live.LoginPlainAsync("johndoe", oldSecret)).ErrorCode);
        using var other = await KafkaWireClient.ConnectAsync(fixture.Gateway.BootstrapServers);
        Assert.Equal(0, (await other.LoginPlainAsync("johndoe", newSecret)).ErrorCode);

        await api.RevokeAsync(oldId);
        Assert.Empty(await live.WaitForCloseAsync(TimeSpan.FromSeconds(1))); // the session on the revoked credential is closed within a second of the answer

        using (var again = await KafkaWireClient.ConnectAsync(fixture.Gateway.BootstrapServers))
        {
            Assert.Equal(58, (await again.LoginPlainAsync("johndoe", oldSecret)).ErrorCode);
        }

        // The other credential's session is untouched and still served.
        Assert.NotEmpty((await other.SendAsync<MetadataResponse>(new MetadataRequest { Topics = [] }, 1)).Brokers);
        var (_, view) = await api.GetAsync($"/gateway/v2/credential/{oldId}");
        Assert.Equal("REVOKED", view!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Changing_a_zone_closes_its_live_sessions_and_reconnects_see_the_new_zone()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        await AccountAsync(api, "reshaped");
        await api.PutAsync("/gateway/v2/partner-zone", Zone("reshaped-zone", "reshaped", "READ"));
        var (_, secret) = await api.IssueAsync("reshaped");

        using var live = await KafkaWireClient.ConnectAsync(fixture.Gateway.BootstrapServers);
        Assert.Equal(0, (await live.LoginPlainAsync("reshaped", secret)).ErrorCode);

        // A change that does not touch topics or permissions leaves live sessions alone.
        var described = Zone("reshaped-zone", "reshaped", "READ").Replace("\"cluster\": \"gateway\",", "\"cluster\": \"gateway\", \"description\": \"now described\",", StringComparison.Ordinal);
        var (status, body) = await api.PutAsync("/gateway/v2/partner-zone", described);
        Assert.Equal("UPDATED", body!["upsertResult"]!.GetValue<string>());
        Assert.True(await live.StaysOpenAsync(TimeSpan.FromMilliseconds(700)));
        Assert.NotEmpty((await live.SendAsync<MetadataResponse>(new MetadataRequest { Topics = [] }, 1)).Brokers);

        (status, _) = await api.PutAsync("/gateway/v2/partner-zone", Zone("reshaped-zone", "reshaped", "READ", alias: "renamed"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(await live.WaitForCloseAsync(TimeSpan.FromSeconds(1)));

        using var admin = new AdminClientBuilder(Client("reshaped", secret)).Build();
        Assert.Equal(["renamed"], admin.GetMetadata(TimeSpan.FromSeconds(20)).Topics.Select(t => t.Topic));

        using var doomed = await KafkaWireClient.ConnectAsync(fixture.Gateway.BootstrapServers);
        Assert.Equal(0, (await doomed.LoginPlainAsync("reshaped", secret)).ErrorCode);
        await api.DeleteAsync("/gateway/v2/partner-zone/reshaped-zone");
        Assert.Empty(await doomed.WaitForCloseAsync(TimeSpan.FromSeconds(1)));
        using var refused = await KafkaWireClient.ConnectAsync(fixture.Gateway.BootstrapServers);
        Assert.Equal(58, (await refused.LoginPlainAsync("reshaped", secret)).ErrorCode);
    }

    internal static string Zone(string name, string account, string permission, string? version = null, string alias = "shared") => $$"""
        {
          "apiVersion": "v2",
          "kind": "PartnerZone",
          "metadata": { "name": "{{name}}"{{(version is null ? "" : $", \"resourceVersion\": \"{version}\"")}} },
          "spec": {
            "cluster": "gateway",
            "serviceAccount": "{{account}}",
            "topics": [ { "name": "{{alias}}", "backingTopic": "kafka-topic-a", "permission": "{{permission}}" } ]
          }
        }
        """;

    internal static async Task AccountAsync(AdminApi api, string name, string mechanisms = "\"PLAIN\"")
    {
        var (status, body) = await api.PutAsync("/gateway/v2/service-account", $$$"""{"metadata": {"name": "{{{name}}}"}, "spec": {"type": "PARTNER", "saslMechanisms": [{{{mechanisms}}}]}}""");
        Assert.True(status == HttpStatusCode.OK, $"account upsert answered {(int)status}: {body}");
    }

    private ClientConfig Client(string user, string password) => new()
    {
        BootstrapServers = fixture.Gateway.BootstrapServers,
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = SaslMechanism.Plain,
        SaslUsername = user,
        SaslPassword = password,
    };

    private static int Base64UrlBytes(string value) =>
        Convert.FromBase64String(value.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (value.Length % 4)) % 4)).Length;
}
