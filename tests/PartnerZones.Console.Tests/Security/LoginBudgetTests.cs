using System.Net;
using System.Text.Json;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Security;
using PartnerZones.ControlPlane.Tests.Api;

namespace PartnerZones.ControlPlane.Tests.Security;

/// <summary>Password guessing spends a failure budget per client address and per user name; once spent the
/// console answers 429 with Retry-After, checks no password, and is open again when the window has passed.</summary>
public sealed class LoginBudgetTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Colleague = IPAddress.Parse("127.0.0.3");
    private const string Tokens = $"{Documents.Base}/token";

    [Fact]
    public async Task Parallel_wrong_passwords_from_one_address_get_429_and_other_addresses_still_sign_in()
    {
        var time = new ManualTime();
        await using var console = await SecurityConsole.StartAsync(options: new ConsoleHostOptions { Time = time });
        var budget = new LoginLimits().PasswordFailuresPerSource;

        using var guesser = console.AdminClient("wrong-password", Attacker);
        var answers = await Task.WhenAll(Enumerable.Range(0, budget * 3).Select(_ => guesser.GetAsync(Tokens)));
        var refused = answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized);
        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(refused <= budget, $"{refused} wrong passwords were checked, more than the budget of {budget}");
        Assert.Equal(answers.Length, refused + limited.Count);
        Assert.NotEmpty(limited);
        foreach (var answer in limited)
        {
            var retryAfter = answer.Headers.RetryAfter?.Delta;
            Assert.True(retryAfter > TimeSpan.Zero && retryAfter <= new LoginLimits().Window, $"Retry-After was {retryAfter}");
            var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
            Assert.Contains("Retry-After", body.GetProperty("msg").GetString());
        }

        // The admin at another address is not locked out by the guessing.
        using var colleague = console.AdminClient(TestConsole.AdminPassword, Colleague);
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync(Tokens)).StatusCode);

        // From the guessing address even the right password is refused, on the API and on the sign-in page.
        using var right = console.AdminClient(TestConsole.AdminPassword, Attacker);
        var locked = await right.GetAsync(Tokens);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.NotNull(locked.Headers.RetryAfter?.Delta);
        using var browser = new WebBrowser(console, Attacker);
        var page = await browser.SignInAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.NotNull(page.Headers.RetryAfter?.Delta);
        Assert.Contains("Too many failed sign-ins", await page.Content.ReadAsStringAsync());

        // Once the window has passed, the right password works from there again.
        time.Advance(new LoginLimits().Window);
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync(Tokens)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync()).StatusCode);
    }

    [Fact]
    public async Task Guessing_one_name_from_many_addresses_locks_that_name_only()
    {
        var time = new ManualTime();
        var limits = new LoginLimits { PasswordFailuresPerSource = 3, PasswordFailuresPerUser = 5 };
        const string second = "second-admin";
        await using var console = await SecurityConsole.StartAsync(
            spec => spec with { Admins = [.. spec.Admins, new AdminUser { Name = second, PasswordHash = PasswordHash.Hash("second-password", iterations: 10_000) }] },
            new ConsoleHostOptions { Time = time, LoginLimits = limits });

        for (var i = 0; i < limits.PasswordFailuresPerUser; i++)
        {
            using var guesser = console.AdminClient("wrong-password", IPAddress.Parse($"127.0.1.{1 + (i / limits.PasswordFailuresPerSource)}"));
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync(Tokens)).StatusCode);
        }

        using var admin = console.AdminClient(TestConsole.AdminPassword, Colleague);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await admin.GetAsync(Tokens)).StatusCode);
        using var other = console.AdminClient("second-password", Colleague, second);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(Tokens)).StatusCode);

        time.Advance(limits.Window);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(Tokens)).StatusCode);
    }

    [Fact]
    public async Task Unknown_api_keys_spend_the_address_budget()
    {
        var time = new ManualTime();
        var limits = new LoginLimits { ApiKeyFailuresPerSource = 4 };
        await using var console = await SecurityConsole.StartAsync(options: new ConsoleHostOptions { Time = time, LoginLimits = limits });
        const string zones = $"{Documents.Base}/partner-zone";

        using var guesser = console.KeyClient("pzk_not-a-key", Attacker);
        var answers = await Task.WhenAll(Enumerable.Range(0, limits.ApiKeyFailuresPerSource * 3).Select(_ => guesser.GetAsync(zones)));
        Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized) <= limits.ApiKeyFailuresPerSource);
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.TooManyRequests && a.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        using var validThere = console.KeyClient(console.ApiKey, Attacker);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await validThere.GetAsync(zones)).StatusCode);
        using var validElsewhere = console.KeyClient(console.ApiKey, Colleague);
        Assert.Equal(HttpStatusCode.OK, (await validElsewhere.GetAsync(zones)).StatusCode);

        time.Advance(limits.Window);
        Assert.Equal(HttpStatusCode.OK, (await validThere.GetAsync(zones)).StatusCode);
    }

    [Fact]
    public async Task Password_checks_beyond_the_bound_wait_briefly_then_get_503()
    {
        // A slow hash (about a second) and one check at a time: the second of two parallel logins cannot get a slot in time.
        const string slow = "slow-admin";
        var limits = new LoginLimits { ConcurrentPasswordChecks = 1, PasswordCheckQueueTimeout = TimeSpan.FromMilliseconds(50) };
        await using var console = await SecurityConsole.StartAsync(
            spec => spec with { Admins = [.. spec.Admins, new AdminUser { Name = slow, PasswordHash = PasswordHash.Hash("slow-password", iterations: 1_000_000) }] },
            new ConsoleHostOptions { LoginLimits = limits });

        var clients = Enumerable.Range(0, 3).Select(i => console.AdminClient("wrong-password", IPAddress.Parse($"127.0.2.{i + 1}"), slow)).ToList();
        var answers = await Task.WhenAll(clients.Select(c => c.GetAsync(Tokens)));
        clients.ForEach(c => c.Dispose());
        var busy = answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.All(busy, a => Assert.NotNull(a.Headers.RetryAfter?.Delta));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.Unauthorized);
    }
}
