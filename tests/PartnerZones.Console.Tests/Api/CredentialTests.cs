using System.Net;
using System.Text.Json;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Tests.Cli;
using static PartnerZones.ControlPlane.Tests.Api.Documents;

namespace PartnerZones.ControlPlane.Tests.Api;

/// <summary>Credential endpoints and `pz partner-zone` commands over a gateway admin API faked in memory,
/// plus the answer of the default HTTP client when the gateway is unreachable (the reconciler tests run
/// the same endpoints against a real gateway).</summary>
public sealed class CredentialTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-credential-tests-").FullName;
    private readonly FakeGatewayAdmin _gateway = new();
    private TestConsole _console = null!;
    private string _zone = "";

    public async Task InitializeAsync()
    {
        _console = await TestConsole.StartAsync(new StoreConfig { Sqlite = Path.Combine(_directory, "c.db") }, _gateway);
        var cluster = await CreateClusterAsync(_console.Client);
        _zone = Unique("zone");
        var (response, body) = await PutAsync(_console.Client, "partner-zone", Zone(_zone, cluster, "johndoe"));
        Assert.True(response.IsSuccessStatusCode, body.ToString());
    }

    public async Task DisposeAsync()
    {
        await _console.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Generate_list_and_revoke_through_the_gateway()
    {
        // The path users already script against, and the same under /api.
        var (legacy, legacyBody) = await SendAsync(_console.Client, HttpMethod.Post, $"/public/partner-zone/v2/{_zone}/generate-credentials");
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.Equal("johndoe", legacyBody.GetProperty("username").GetString());
        Assert.Equal("127.0.0.1:9094", legacyBody.GetProperty("bootstrapServers").GetString());
        Assert.Equal(_gateway.Issued.Single().Password, legacyBody.GetProperty("password").GetString());
        Assert.Equal(TimeSpan.FromDays(30), _gateway.Issued.Single().Lifetime);

        var (api, apiBody) = await SendAsync(_console.Client, HttpMethod.Post, $"/api/public/partner-zone/v2/{_zone}/generate-credentials", "{\"lifeTimeSeconds\": 3600}");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.InRange(apiBody.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(50), DateTimeOffset.UtcNow.AddMinutes(70));

        var list = await GetJsonAsync(_console.Client, $"/api/public/partner-zone/v2/{_zone}/credentials");
        Assert.Equal(2, list.GetArrayLength());
        Assert.DoesNotContain(legacyBody.GetProperty("password").GetString()!, list.ToString());

        var id = apiBody.GetProperty("id").GetString();
        var (revoked, _) = await SendAsync(_console.Client, HttpMethod.Delete, $"/api/public/partner-zone/v2/{_zone}/credentials/{id}");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(1, (await GetJsonAsync(_console.Client, $"/api/public/partner-zone/v2/{_zone}/credentials")).GetArrayLength());
    }

    [Fact]
    public async Task Bad_requests_missing_zones_and_gateway_failures_are_json_errors()
    {
        var (missing, missingBody) = await SendAsync(_console.Client, HttpMethod.Post, "/public/partner-zone/v2/no-such-zone/generate-credentials");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("PartnerZone 'no-such-zone' does not exist", missingBody.GetProperty("msg").GetString());

        var (bad, badBody) = await SendAsync(_console.Client, HttpMethod.Post, $"/public/partner-zone/v2/{_zone}/generate-credentials", "{\"lifeTimeSeconds\": -5, \"scope\": 1}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("unknown field scope", badBody.GetProperty("msg").GetString());

        using var anonymous = _console.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/public/partner-zone/v2/{_zone}/generate-credentials", null)).StatusCode);

        _gateway.FailWith = "gateway http://127.0.0.1:8888 unreachable: connection refused";
        var (failed, failedBody) = await SendAsync(_console.Client, HttpMethod.Post, $"/public/partner-zone/v2/{_zone}/generate-credentials");
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("Gateway error", failedBody.GetProperty("title").GetString());
        Assert.Equal(_gateway.FailWith, failedBody.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task With_the_default_http_client_an_unreachable_gateway_is_a_502_naming_it()
    {
        await using var plain = await TestConsole.StartAsync(new StoreConfig { Sqlite = Path.Combine(_directory, "plain.db") });
        // A port nothing listens on: bound and released, so no other test's gateway can be behind it now.
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var cluster = Unique("gw");
        var document = Cluster(cluster);
        document["spec"]!["adminApi"]!["url"] = $"http://127.0.0.1:{port}";
        Assert.True((await PutAsync(plain.Client, "kafka-cluster", document)).Response.IsSuccessStatusCode);
        var zone = Unique("zone");
        await PutAsync(plain.Client, "partner-zone", Zone(zone, cluster));
        var (response, body) = await SendAsync(plain.Client, HttpMethod.Post, $"/public/partner-zone/v2/{zone}/generate-credentials");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains($"gateway admin API at http://127.0.0.1:{port} (KafkaCluster/{cluster}) is unreachable", body.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task Pz_partner_zone_commands_print_password_properties_and_json()
    {
        var environment = new Dictionary<string, string> { ["PZ_BASE_URL"] = _console.Url.ToString(), ["PZ_API_KEY"] = _console.ApiKey };
        var (exit, password, error) = await Pz.RunAsync(environment, null, "partner-zone", "generate-credentials", _zone);
        Assert.True(exit == 0, error);
        Assert.Equal(_gateway.Issued.Last().Password + "\n", password);

        (exit, var properties, _) = await Pz.RunAsync(environment, null, "partner-zone", "generate-credentials", _zone, "-o", "properties", "--lifetime", "600");
        Assert.Equal(0, exit);
        var lines = properties.Split('\n');
        Assert.Contains("bootstrap.servers=127.0.0.1:9094", lines);
        Assert.Contains("security.protocol=SASL_PLAINTEXT", lines);
        Assert.Contains("sasl.mechanism=PLAIN", lines);
        Assert.Contains($"sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"johndoe\" password=\"{_gateway.Issued.Last().Password}\";", lines);
        Assert.Equal(TimeSpan.FromSeconds(600), _gateway.Issued.Last().Lifetime);

        (exit, var json, _) = await Pz.RunAsync(environment, null, "partner-zone", "generate-credentials", _zone, "-o", "json");
        Assert.Equal(0, exit);
        var id = JsonDocument.Parse(json).RootElement.GetProperty("id").GetString()!;

        (exit, var list, _) = await Pz.RunAsync(environment, null, "partner-zone", "credentials", _zone);
        Assert.Equal(0, exit);
        Assert.Contains(id, list);
        Assert.DoesNotContain(_gateway.Issued.Last().Password, list);

        (exit, var revoked, _) = await Pz.RunAsync(environment, null, "partner-zone", "revoke-credentials", _zone, id);
        Assert.Equal(0, exit);
        Assert.Equal($"Credential/{id}: Revoked\n", revoked);

        (exit, _, error) = await Pz.RunAsync(environment, null, "partner-zone", "revoke-credentials", _zone, id);
        Assert.Equal(1, exit);
        Assert.Equal($"pz partner-zone revoke-credentials: gateway http://127.0.0.1:8888: no credential '{id}' for zone '{_zone}'\n", error);
    }
}
