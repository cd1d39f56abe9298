using System.Diagnostics;
using System.Net;
using System.Text;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Tests.Cli;
using PartnerZones.ControlPlane.Tests.Reconciliation;
using PartnerZones.Testing;
using static PartnerZones.ControlPlane.Tests.Api.Documents;

namespace PartnerZones.ControlPlane.Tests.Api;

/// <summary>
/// spec.adminApi.url of a KafkaCluster: only a base URL is accepted, and the stored admin password is bound
/// to it. A console with its reconciler running calls two local HTTP listeners standing in for the
/// gateway the cluster was applied with and for a URL someone else would like the password sent to.
/// </summary>
public sealed class AdminApiUrlTests : IAsyncLifetime
{
    private const string Password = "stored-gateway-password";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("pz-admin-url-tests-").FullName;
    private readonly ScriptedHttpServer _gateway = new(_ => ScriptedResponse.Json(200, "[]"));
    private readonly ScriptedHttpServer _elsewhere = new(_ => ScriptedResponse.Json(200, "[]"));
    private TestConsole _console = null!;

    public async Task InitializeAsync() =>
        _console = await TestConsole.StartAsync(new StoreConfig { Sqlite = Path.Combine(_directory, "c.db") }, reconciler: GatewayUnderTest.Pace);

    public async Task DisposeAsync()
    {
        await _console.DisposeAsync();
        await _gateway.DisposeAsync();
        await _elsewhere.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_new_admin_url_without_the_password_is_refused_and_the_password_never_reaches_it()
    {
        var name = Unique("gw");
        var (created, createdBody) = await PutAsync(_console.Client, "kafka-cluster", ClusterAt(name, _gateway.Url, Password));
        Assert.True(created.IsSuccessStatusCode, createdBody.ToString());
        await PassesAsync(_gateway, 1);

        var (moved, movedBody) = await PutAsync(_console.Client, "kafka-cluster", ClusterAt(name, _elsewhere.Url, password: null));
        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        var error = Assert.Single(Errors(movedBody));
        Assert.Contains($"KafkaCluster '{name}': spec.adminApi.url changes from '{_gateway.Url}' to '{_elsewhere.Url}'", error);
        Assert.Contains("send spec.adminApi.password again when changing spec.adminApi.url", error);
        var stored = await GetJsonAsync(_console.Client, $"{Base}/kafka-cluster/{name}");
        Assert.Equal(_gateway.Url, stored.GetProperty("spec").GetProperty("adminApi").GetProperty("url").GetString());

        // Several passes later the reconciler still calls only the stored URL, and nothing reached the other.
        await PassesAsync(_gateway, 3);
        Assert.DoesNotContain(_elsewhere.Requests, r => r.Authorization is not null);
        Assert.Empty(_elsewhere.Requests);

        // The same target written differently (a trailing '/', the default port of the scheme aside) keeps it.
        var (same, sameBody) = await PutAsync(_console.Client, "kafka-cluster", ClusterAt(name, _gateway.Url + "/", password: null));
        Assert.True(same.IsSuccessStatusCode, sameBody.ToString());
        var before = _gateway.Requests.Count;
        await PassesAsync(_gateway, 2);
        Assert.All(_gateway.Requests.Skip(before), r => Assert.Equal(Basic("admin", Password), r.Authorization));

        // With the password sent again the new URL is accepted, and gets that password only.
        var (withPassword, withPasswordBody) = await PutAsync(_console.Client, "kafka-cluster", ClusterAt(name, _elsewhere.Url, "password-for-elsewhere"));
        Assert.True(withPassword.IsSuccessStatusCode, withPasswordBody.ToString());
        await PassesAsync(_elsewhere, 1);
        Assert.All(_elsewhere.Requests, r => Assert.Equal(Basic("admin", "password-for-elsewhere"), r.Authorization));
    }

    [Fact]
    public async Task Calls_go_under_the_path_prefix_of_the_admin_url()
    {
        await using var prefixed = new ScriptedHttpServer(_ => ScriptedResponse.Json(200, "[]"));
        var (created, body) = await PutAsync(_console.Client, "kafka-cluster", ClusterAt(Unique("gw"), prefixed.Url + "/pz%20admin/", Password));
        Assert.True(created.IsSuccessStatusCode, body.ToString());
        var clock = Stopwatch.StartNew();
        while (prefixed.Requests.IsEmpty)
        {
            Assert.True(clock.Elapsed < Patience, $"the reconciler did not call {prefixed.Url} in {Patience.TotalSeconds} s");
            await Task.Delay(50);
        }

        Assert.Equal("/pz%20admin/gateway/v2/partner-zone", prefixed.Requests.First().Target);
    }

    [Fact]
    public async Task Pz_apply_of_a_new_admin_url_without_the_password_fails_naming_the_fix()
    {
        var name = Unique("gw");
        var (created, createdBody) = await PutAsync(_console.Client, "kafka-cluster", ClusterAt(name, _gateway.Url, Password));
        Assert.True(created.IsSuccessStatusCode, createdBody.ToString());
        var file = Path.Combine(_directory, $"{name}.yaml");
        await File.WriteAllTextAsync(file, $"""
            apiVersion: v2
            kind: KafkaCluster
            metadata:
              name: {name}
            spec:
              bootstrapServers: 127.0.0.1:9094
              adminApi:
                url: {_elsewhere.Url}
                username: admin
            """);

        var environment = new Dictionary<string, string> { ["PZ_BASE_URL"] = _console.Url.ToString(), ["PZ_API_KEY"] = _console.ApiKey };
        var (exit, _, error) = await Pz.RunAsync(environment, null, "apply", "-f", file);
        Assert.NotEqual(0, exit);
        Assert.Contains($"Could not apply KafkaCluster/{name}", error);
        Assert.Contains("send spec.adminApi.password again when changing spec.adminApi.url", error);
        var stored = await GetJsonAsync(_console.Client, $"{Base}/kafka-cluster/{name}");
        Assert.Equal(_gateway.Url, stored.GetProperty("spec").GetProperty("adminApi").GetProperty("url").GetString());
    }

    [Theory]
    [InlineData("http://127.0.0.1:8888/?x=", "has a query")]
    [InlineData("http://127.0.0.1:8888?", "has a query")]
    [InlineData("http://127.0.0.1:8888/admin#frag", "has a fragment")]
    [InlineData("http://user:s3cret-in-url@127.0.0.1:8888", "carries a user name or password")]
    [InlineData("ftp://127.0.0.1:8888", "is not an http:// or https:// URL (its scheme is 'ftp')")]
    [InlineData("http://127.0.0.1:8888 ", "has spaces around it")]
    public async Task An_admin_url_that_is_not_a_base_url_is_refused_naming_the_fix(string url, string problem)
    {
        var (response, body) = await PutAsync(_console.Client, "kafka-cluster", ClusterAt(Unique("gw"), url, Password));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single(Errors(body));
        Assert.Contains("spec.adminApi.url", error);
        Assert.Contains(problem, error);
        Assert.Contains("set it to the base URL of the gateway's admin API", error);
        Assert.DoesNotContain("s3cret-in-url", body.ToString());
    }

    [Theory]
    [InlineData("http://127.0.0.1:8888")]
    [InlineData("https://gateway.example.com/pz-admin/")]
    [InlineData("http://[::1]:8888/prefix")]
    public async Task A_base_url_with_an_optional_path_prefix_is_accepted(string url)
    {
        var (response, body) = await PutAsync(_console.Client, "kafka-cluster", ClusterAt(Unique("gw"), url, Password), dryMode: true);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
    }

    private static System.Text.Json.Nodes.JsonObject ClusterAt(string name, string url, string? password)
    {
        var cluster = Cluster(name, password);
        cluster["spec"]!["adminApi"]!["url"] = url;
        return cluster;
    }

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    /// <summary>Waits until <paramref name="server"/> got <paramref name="passes"/> more zone listings: one per reconciler pass.</summary>
    private static async Task PassesAsync(ScriptedHttpServer server, int passes)
    {
        static int Listings(ScriptedHttpServer s) => s.Requests.Count(r => r.Method == "GET" && r.Target == "/gateway/v2/partner-zone");
        var target = Listings(server) + passes;
        var clock = Stopwatch.StartNew();
        while (Listings(server) < target)
        {
            Assert.True(clock.Elapsed < Patience, $"the reconciler did not call {server.Url} {passes} more times in {Patience.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
