using System.Net;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Tests.Api;
using static PartnerZones.ControlPlane.Tests.Api.Documents;

namespace PartnerZones.ControlPlane.Tests.Verification;

/// <summary>Both generate-credentials routes answer the same thing: the new password with its id, expiry,
/// user name and bootstrap address, each credential the gateway's own (a gateway faked in memory; the
/// reconciler tests issue through a real one).</summary>
public sealed class CredentialRouteTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-credential-routes-").FullName;
    private readonly FakeGatewayAdmin _gateway = new();
    private TestConsole _console = null!;

    public async Task InitializeAsync() =>
        _console = await TestConsole.StartAsync(new StoreConfig { Sqlite = Path.Combine(_directory, "c.db") }, _gateway);

    public async Task DisposeAsync()
    {
        await _console.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("/public/partner-zone/v2")]
    [InlineData("/api/public/partner-zone/v2")]
    public async Task A_route_answers_password_id_expiry_user_and_bootstrap(string prefix)
    {
        var cluster = await CreateClusterAsync(_console.Client);
        var (zone, account) = (Unique("zone"), Unique("sa"));
        Assert.True((await PutAsync(_console.Client, "partner-zone", Zone(zone, cluster, account))).Response.IsSuccessStatusCode);

        var (response, body) = await SendAsync(_console.Client, HttpMethod.Post, $"{prefix}/{zone}/generate-credentials", "{\"lifeTimeSeconds\": 7200}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var issued = Assert.Single(_gateway.Issued, i => i.Zone == zone);
        Assert.Equal(issued.Password, body.GetProperty("password").GetString());
        Assert.Equal(TimeSpan.FromSeconds(7200), issued.Lifetime);
        Assert.Equal(account, body.GetProperty("username").GetString());
        Assert.Equal("127.0.0.1:9094", body.GetProperty("bootstrapServers").GetString());
        Assert.Equal("PLAIN", body.GetProperty("saslMechanism").GetString());
        Assert.InRange(body.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(110), DateTimeOffset.UtcNow.AddMinutes(130));

        // The id is the one the credential is listed and revoked by.
        var id = body.GetProperty("id").GetString()!;
        var listed = await GetJsonAsync(_console.Client, $"/api/public/partner-zone/v2/{zone}/credentials");
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(_console.Client, HttpMethod.Delete, $"/api/public/partner-zone/v2/{zone}/credentials/{id}")).Response.StatusCode);
        Assert.Equal(0, (await GetJsonAsync(_console.Client, $"/api/public/partner-zone/v2/{zone}/credentials")).GetArrayLength());
    }
}
