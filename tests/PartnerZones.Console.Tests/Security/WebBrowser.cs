using System.Net;
using System.Text.RegularExpressions;

namespace PartnerZones.ControlPlane.Tests.Security;

/// <summary>
/// What a browser does with the web UI, over plain HTTP: keeps cookies, reads the antiforgery token from a
/// page's form, and posts forms with it. Redirects are not followed, so a test sees each answer.
/// </summary>
public sealed partial class WebBrowser : IDisposable
{
    private readonly Uri _base;

    public WebBrowser(SecurityConsole console, IPAddress? from = null, X509Certificate2Check? acceptCertificate = null)
    {
        _base = console.Url;
        Http = console.Client(from, cookies: Cookies, acceptCertificate: acceptCertificate);
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    /// <summary>The Cookie header this browser would send: what an attacker who copied its cookies replays.</summary>
    public string CookieHeader => Cookies.GetCookieHeader(_base);

    /// <summary>GETs a page that must answer 200 and returns the antiforgery token of its first form.</summary>
    public async Task<string> FormTokenAsync(string path)
    {
        var response = await Http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}");
        return TokenIn(html);
    }

    public static string TokenIn(string html)
    {
        var match = Token().Match(html);
        Assert.True(match.Success, "the page has no antiforgery token");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Posts a form the way the browser would, with the token given.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string token, params (string Name, string Value)[] fields) =>
        Http.SendAsync(Form(path, token, fields));

    /// <summary>Signs in through the sign-in page; returns the answer to the form post.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string password = TestConsole.AdminPassword, string user = TestConsole.AdminName)
    {
        var token = await FormTokenAsync("/signin");
        return await PostAsync("/signin", token, ("user", user), ("password", password), ("returnUrl", "/"));
    }

    /// <summary>A form post as a browser sends it (Accept: text/html), for any client.</summary>
    public static HttpRequestMessage Form(string path, string token, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent([.. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)), new("__csrf", token)]),
        };
        request.Headers.Accept.ParseAdd("text/html");
        return request;
    }

    /// <summary>The path (without query) a redirect points to, whether the Location is absolute or relative.</summary>
    public static string RedirectPath(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new InvalidOperationException($"answer {(int)response.StatusCode} has no Location");
        return location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex(@"<input[^>]*name=""__csrf""[^>]*value=""([^""]+)""")]
    private static partial Regex Token();
}
