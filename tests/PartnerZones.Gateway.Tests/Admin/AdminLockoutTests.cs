using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Testing;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>
/// Password guessing on the admin API: each source address and each user name has a failure budget; past
/// it the gateway answers 429 with Retry-After without checking any password (the right one included),
/// for a lockout that grows with every further failure. Every failure is counted in the metrics.
/// Sources are distinct loopback addresses (127.0.0.x), so one test plays several machines.
/// </summary>
public sealed class AdminLockoutTests
{
    private const string TokenPath = "/admin/vclusters/v1/vcluster/passthrough/username/admin";

    private static readonly string Right = RawHttp.Basic(GatewayFixture.AdminUser, GatewayFixture.AdminPassword);

    private static readonly string Wrong = RawHttp.Basic(GatewayFixture.AdminUser, "not-the-admin-password");

    [Fact]
    public async Task A_source_over_its_budget_is_locked_out_with_a_growing_Retry_After_while_other_sources_still_log_in()
    {
        await using var fixture = await GatewayFixture.StartAsync(1, http: h => h with
        {
            AdminLogin = new AdminLoginLimits { FailuresPerSource = 3, FailuresPerUser = 100, FirstLockoutMs = 2000, MaxLockoutMs = 60_000 },
        });
        var guesser = IPAddress.Parse("127.0.0.2");
        var failuresBefore = await FailureCountAsync(fixture.HttpPort);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(401, (await Send(fixture, Wrong, guesser)).Status);
        }

        var locked = await Send(fixture, Wrong, guesser);
        Assert.Equal(429, locked.Status);
        Assert.Contains("Too many failed admin logins", locked.Body, StringComparison.Ordinal);
        var firstWait = int.Parse(locked.Headers["Retry-After"], CultureInfo.InvariantCulture);
        Assert.InRange(firstWait, 1, 2);

        // Locked out: even the right password is refused, before it is checked.
        var rightWhileLocked = await Send(fixture, Right, guesser);
        Assert.Equal(429, rightWhileLocked.Status);
        Assert.True(rightWhileLocked.Headers.ContainsKey("Retry-After"));

        // Another machine is not affected.
        Assert.Equal(200, (await Send(fixture, Right, IPAddress.Parse("127.0.0.3"))).Status);

        // Every failure was counted (the guesser's four; the refusals while locked check no password).
        Assert.Equal(failuresBefore + 4, await FailureCountAsync(fixture.HttpPort));

        // Once the lockout ends the next wrong guess locks out for twice as long.
        await Task.Delay(TimeSpan.FromSeconds(firstWait) + TimeSpan.FromMilliseconds(300));
        var again = await Send(fixture, Wrong, guesser);
        Assert.Equal(429, again.Status);
        Assert.InRange(int.Parse(again.Headers["Retry-After"], CultureInfo.InvariantCulture), 3, 4);
    }

    [Fact]
    public async Task A_user_over_its_budget_is_locked_out_from_every_source_and_the_right_password_works_after()
    {
        await using var fixture = await GatewayFixture.StartAsync(1, http: h => h with
        {
            AdminLogin = new AdminLoginLimits { FailuresPerSource = 100, FailuresPerUser = 3, FirstLockoutMs = 1500, MaxLockoutMs = 1500 },
        });

        // A distributed guesser: each failure from a different address.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(401, (await Send(fixture, Wrong, IPAddress.Parse($"127.0.0.{10 + i}"))).Status);
        }

        Assert.Equal(429, (await Send(fixture, Wrong, IPAddress.Parse("127.0.0.20"))).Status);
        var fresh = IPAddress.Parse("127.0.0.21");
        Assert.Equal(429, (await Send(fixture, Right, fresh)).Status);

        await Task.Delay(1800);
        Assert.Equal(200, (await Send(fixture, Right, fresh)).Status);
    }

    [Fact]
    public async Task The_admin_api_serves_https_when_the_http_section_names_a_certificate()
    {
        using var certificates = new TestCertificates();
        await using var fixture = await GatewayFixture.StartAsync(1, http: h => h with
        {
            Tls = new TlsConfig { CertificateFile = certificates.CertificateFile, KeyFile = certificates.KeyFile },
        });

        using var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(certificates.CaFile);
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, chain, _) =>
            {
                chain!.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return chain.Build(certificate!);
            },
        };
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{fixture.HttpPort}") };
        https.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{GatewayFixture.AdminUser}:{GatewayFixture.AdminPassword}")));
        using var answer = await https.GetAsync(new Uri("/gateway/v2/partner-zone", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

        // Plain http on the same port is not served: the password never crosses the network in the clear.
        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.HttpPort}"), Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync(new Uri("/health/live", UriKind.Relative)));
    }

    private static Task<RawHttp.Response> Send(GatewayFixture fixture, string authorization, IPAddress source) =>
        RawHttp.SendAsync(fixture.HttpPort, "POST", TokenPath, body: "{\"lifeTimeSeconds\": 60}", authorization: authorization, source: source);

    private static async Task<long> FailureCountAsync(int port)
    {
        var metrics = (await RawHttp.SendAsync(port, "GET", "/metrics")).Body;
        var line = metrics.Split('\n').Single(l => l.StartsWith("pz_gateway_authentication_failures_total", StringComparison.Ordinal));
        return long.Parse(line.Split(' ')[^1], CultureInfo.InvariantCulture);
    }
}
