using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Security;
using PartnerZones.ControlPlane.Tests.Api;

namespace PartnerZones.ControlPlane.Tests.Security;

/// <summary>The console serves https with the certificate of its configuration, believes X-Forwarded-* only
/// from its trusted proxies, and marks cookies Secure whenever the request was https.</summary>
public sealed class TransportTests : IDisposable
{
    private static readonly IPAddress Proxy = IPAddress.Parse("127.0.0.2");
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-console-tls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task An_https_listen_address_serves_the_configured_certificate_with_secure_cookies()
    {
        using var certificate = WriteSelfSignedPem("server.crt", "server.key");
        var path = Path.Combine(_directory, "console.yaml");
        File.WriteAllText(path, """
            apiVersion: v2
            kind: Console
            metadata:
              name: console
            spec:
              listen: https://127.0.0.1:0
              tls:
                certificateFile: server.crt
                keyFile: server.key
              admins:
                - name: admin
                  passwordHash: HASH
            """.Replace("HASH", PasswordHash.Hash(TestConsole.AdminPassword, iterations: 10_000), StringComparison.Ordinal));
        var loaded = ConsoleConfigLoader.Load(path);
        Assert.Equal(Path.Combine(_directory, "server.crt"), loaded.Spec.Tls!.CertificateFile);

        await using var console = await SecurityConsole.StartAsync(spec => spec with { Listen = loaded.Spec.Listen, Tls = loaded.Spec.Tls });
        Assert.Equal("https", console.Url.Scheme);
        X509Certificate? served = null;
        using var client = console.Client(acceptCertificate: c =>
        {
            served = c;
            return c.GetCertHashString() == certificate.GetCertHashString();
        });

        var (csrf, session) = await SignInCookiesAsync(client);
        Assert.NotNull(served);
        Assert.Contains("; secure", csrf, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Forwarded_https_makes_cookies_secure_only_from_a_trusted_proxy()
    {
        await using var console = await SecurityConsole.StartAsync(spec => spec with { TrustedProxies = [Proxy.ToString()] });

        using var viaProxy = console.Client(Proxy);
        viaProxy.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var (proxiedCsrf, proxiedSession) = await SignInCookiesAsync(viaProxy);
        Assert.Contains("; secure", proxiedCsrf, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; secure", proxiedSession, StringComparison.OrdinalIgnoreCase);

        using var direct = console.Client(IPAddress.Loopback);
        direct.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var (directCsrf, directSession) = await SignInCookiesAsync(direct);
        Assert.DoesNotContain("secure", directCsrf, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", directSession, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_client_address_a_trusted_proxy_forwards_is_the_one_whose_budget_is_spent()
    {
        var limits = new LoginLimits { PasswordFailuresPerSource = 2 };
        await using var console = await SecurityConsole.StartAsync(spec => spec with { TrustedProxies = [Proxy.ToString()] }, new ConsoleHostOptions { LoginLimits = limits });
        const string tokens = $"{Documents.Base}/token";

        using var guesser = console.AdminClient("wrong-password", Proxy);
        guesser.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        for (var i = 0; i < limits.PasswordFailuresPerSource; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync(tokens)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync(tokens)).StatusCode);

        // Another client behind the same proxy is another address.
        using var colleague = console.AdminClient(TestConsole.AdminPassword, Proxy);
        colleague.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.8");
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync(tokens)).StatusCode);

        // Claiming the locked address without being the proxy changes nothing: the peer's own address counts.
        using var pretender = console.AdminClient(TestConsole.AdminPassword, IPAddress.Loopback);
        pretender.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        Assert.Equal(HttpStatusCode.OK, (await pretender.GetAsync(tokens)).StatusCode);
    }

    [Fact]
    public void Tls_proxy_and_session_mistakes_are_named_with_their_fix()
    {
        var store = new StoreConfig { Sqlite = "console.db" };
        string Errors(Func<ConsoleSpec, ConsoleSpec> adjust)
        {
            var config = TestConsole.Config(store);
            return string.Join("\n", ConsoleConfigLoader.Validate(config with { Spec = adjust(config.Spec) }));
        }

        Assert.Contains("spec.listen 'https://127.0.0.1:8443' is https but spec.tls is missing; add spec.tls", Errors(s => s with { Listen = "https://127.0.0.1:8443" }));
        Assert.Contains("spec.tls is set but spec.listen 'http://127.0.0.1:8080' is http; write spec.listen as https://", Errors(s => s with { Listen = "http://127.0.0.1:8080", Tls = new TlsConfig { CertificateFile = "a.crt", KeyFile = "a.key" } }));
        Assert.Contains("spec.tls.keyFile is missing; a PEM certificate needs its PEM private key", Errors(s => s with { Listen = "https://127.0.0.1:8443", Tls = new TlsConfig { CertificateFile = "a.crt" } }));
        Assert.Contains("spec.trustedProxies[1] '10.0.0.300' is not an IP address or a network in CIDR notation; write the proxy's address like '10.0.0.5'",
            Errors(s => s with { TrustedProxies = ["10.0.0.5", "10.0.0.300", "10.1.0.0/16"] }));
        Assert.DoesNotContain("trustedProxies[0]", Errors(s => s with { TrustedProxies = ["10.0.0.5", "10.0.0.300", "10.1.0.0/16"] }));
        Assert.Contains("spec.sessions.lifetimeHours is 0; give hours between 1 and 720", Errors(s => s with { Sessions = new SessionConfig { LifetimeHours = 0 } }));

        var path = Path.Combine(_directory, "missing-cert.yaml");
        File.WriteAllText(path, """
            apiVersion: v2
            kind: Console
            metadata:
              name: console
            spec:
              listen: https://127.0.0.1:8443
              tls:
                certificateFile: nowhere.crt
                keyFile: nowhere.key
              admins:
                - name: admin
                  passwordHash: HASH
            """.Replace("HASH", PasswordHash.Hash("x", iterations: 10_000), StringComparison.Ordinal));
        var error = Assert.Throws<PartnerZones.Resources.ResourceException>(() => ConsoleConfigLoader.Load(path));
        Assert.Contains($"spec.tls.certificateFile '{Path.Combine(_directory, "nowhere.crt")}' cannot be loaded", error.Message);
        Assert.Contains("give a PEM certificate with its PEM private key in spec.tls.keyFile", error.Message);
    }

    /// <summary>GETs the sign-in page and posts the right password with no cookie container, so the raw
    /// Set-Cookie lines can be read: the antiforgery cookie's and the session cookie's.</summary>
    private static async Task<(string Csrf, string Session)> SignInCookiesAsync(HttpClient client)
    {
        var page = await client.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csrf = SetCookie(page, "pz_csrf");
        using var post = WebBrowser.Form("/signin", WebBrowser.TokenIn(await page.Content.ReadAsStringAsync()),
            ("user", TestConsole.AdminName), ("password", TestConsole.AdminPassword), ("returnUrl", "/"));
        post.Headers.Add("Cookie", csrf.Split(';')[0]);
        var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return (csrf, SetCookie(signedIn, "pz_session"));
    }

    private static string SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) && values.FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal)) is { } line
            ? line
            : throw new InvalidOperationException($"no {name} cookie was set ({(int)response.StatusCode})");

    private X509Certificate2 WriteSelfSignedPem(string certificateFile, string keyFile)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=pz-console-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(_directory, certificateFile), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_directory, keyFile), key.ExportPkcs8PrivateKeyPem());
        return certificate;
    }
}
