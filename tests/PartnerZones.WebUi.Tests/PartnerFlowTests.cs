using System.Net;
using Confluent.Kafka;
using Microsoft.Playwright;

namespace PartnerZones.WebUi.Tests;

/// <summary>
/// The whole story in a browser: sign in, create a zone with the wizard, download config.properties and
/// produce with it from a real Kafka client, watch the status turn Ready without a reload, revoke the
/// credential and see the client cut off, delete the zone through the modal and see it gone from the list
/// and from the gateway.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class PartnerFlowTests(WebUiStack stack)
{
    private const string Zone = "acme-flow";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Create_produce_revoke_and_delete_through_the_browser()
    {
        var page = await stack.SignedInPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        // Details.
        await page.GetByRole(AriaRole.Link, new() { Name = "Create zone" }).First.ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(Zone);
        await page.GetByLabel("Display name").FillAsync("ACME orders feed");
        await page.GetByLabel("URL").FillAsync("https://wiki.example.com/acme");
        await page.GetByLabel("Reason for sharing").FillAsync("ACME's warehouse sends order updates and reads invoices.");
        await Assertions.Expect(page.GetByLabel("Service account")).ToHaveValueAsync(Zone);
        await page.GetByLabel("Contact name").FillAsync("Jane Roe");
        await page.GetByLabel("Role").FillAsync("Integration lead");
        await page.GetByLabel("Email").FillAsync("jane@acme.example");
        await page.GetByLabel("Phone").FillAsync("+44 20 7946 0000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: topics" }).ClickAsync();

        // Topics: orders shared for writing under another name, invoices for reading.
        await page.GetByLabel("Share orders").CheckAsync();
        await page.GetByLabel("Alias for orders").FillAsync("acme-orders");
        await page.GetByLabel("Permission on orders").SelectOptionAsync("WRITE");
        await page.GetByLabel("Share invoices").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: review" }).ClickAsync();
        await Assertions.Expect(page.Locator("#review-yaml")).ToContainTextAsync("backingTopic: orders");
        await WebUiStack.ScreenshotAsync(page, "create-review");

        // Create: the credential is shown once, with a ready config.properties.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create zone" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New credential: copy it now" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).First).ToBeVisibleAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download config.properties" }).ClickAsync());
        Assert.Equal("config.properties", download.SuggestedFilename);
        var properties = await File.ReadAllTextAsync((await download.PathAsync())!);
        await WebUiStack.ScreenshotAsync(page, "create-credentials");

        // The status turns Ready on this page without a reload (a marker set now survives).
        await page.EvaluateAsync("window.__sameDocument = true");
        var badge = page.Locator($"[data-live-zone='{Zone}']");
        await Assertions.Expect(badge).ToHaveTextAsync("Ready", new() { Timeout = (float)Patience.TotalMilliseconds });
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the badge changed without a page load");

        // A real client with the downloaded file produces to the WRITE topic under its alias.
        var config = ClientConfigFrom(properties);
        var errors = new List<string>();
        using var producer = new ProducerBuilder<string, string>(config).SetErrorHandler((_, e) => { lock (errors) { errors.Add(e.Reason); } }).Build();
        var delivered = await producer.ProduceAsync("acme-orders", new Message<string, string> { Key = "order-1", Value = "shipped" });
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);

        // Details: topics, contact, usage from the gateway's metrics, the credential.
        await page.GetByRole(AriaRole.Link, new() { Name = "Go to the zone" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ACME orders feed" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-live-zone]")).ToHaveTextAsync("Ready");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "jane@acme.example" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-usage=connections]")).Not.ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("[data-usage=bytes-in]")).Not.ToHaveTextAsync("0 B");
        await Assertions.Expect(page.Locator("[data-usage=last-seen]")).ToContainTextAsync("just now");
        var credentialRow = page.Locator("tr[data-credential]");
        await Assertions.Expect(credentialRow).ToHaveCountAsync(1);
        await WebUiStack.ScreenshotAsync(page, "zone-details");

        // Revoke: the page confirms, the credential goes, and the connected client is cut off.
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke credential" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Credential revoked" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr[data-credential]")).ToHaveCountAsync(0);
        await WaitForAsync(async () => await ZoneConnectionsAsync() == 0, "the revoked client's connection is closed by the gateway");
        var cut = await Assert.ThrowsAsync<ProduceException<string, string>>(() =>
            producer.ProduceAsync("acme-orders", new Message<string, string> { Key = "order-2", Value = "after revoke" }));
        Assert.NotEqual(ErrorCode.NoError, cut.Error.Code);

        // Delete through the modal: the button stays disabled until DELETE is typed.
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        var delete = dialog.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true });
        await Assertions.Expect(delete).ToBeDisabledAsync();
        await dialog.GetByLabel("Type DELETE to confirm").FillAsync("delete");
        await Assertions.Expect(delete).ToBeDisabledAsync();
        await dialog.GetByLabel("Type DELETE to confirm").FillAsync("DELETE");
        await Assertions.Expect(delete).ToBeEnabledAsync();
        await WebUiStack.ScreenshotAsync(page, "delete-modal");
        await delete.ClickAsync();
        await page.WaitForURLAsync($"{stack.BaseUrl}/?deleted={Zone}");
        await Assertions.Expect(page.Locator($"tr[data-zone='{Zone}']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Zone {Zone} was deleted");

        // ...and gone from the gateway.
        using var gateway = GatewayClient();
        await WaitForAsync(async () => (await gateway.GetAsync($"/gateway/v2/partner-zone/{Zone}")).StatusCode == HttpStatusCode.NotFound,
            "the reconciler removes the zone from the gateway");
        await page.Context.CloseAsync();
    }

    /// <summary>The downloaded file as a librdkafka client reads it: as its comments say, without the Java
    /// JAAS line and with the sasl.username and sasl.password lines.</summary>
    private static ProducerConfig ClientConfigFrom(string properties)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in properties.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("# sasl.username=", StringComparison.Ordinal) || line.StartsWith("# sasl.password=", StringComparison.Ordinal))
            {
                line = line[2..];
            }

            if (line.Length == 0 || line[0] == '#' || line.StartsWith("sasl.jaas.config", StringComparison.Ordinal))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            values[line[..equals]] = line[(equals + 1)..];
        }

        Assert.Equal("SASL_PLAINTEXT", values["security.protocol"]);
        Assert.Equal("PLAIN", values["sasl.mechanism"]);
        return new ProducerConfig
        {
            BootstrapServers = values["bootstrap.servers"],
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.Plain,
            SaslUsername = values["sasl.username"],
            SaslPassword = values["sasl.password"],
            MessageTimeoutMs = 15_000,
            SocketTimeoutMs = 10_000,
        };
    }

    private HttpClient GatewayClient()
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{stack.GatewayHttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{WebUiStack.GatewayAdminName}:{WebUiStack.GatewayAdminPassword}")));
        return http;
    }

    private async Task<long> ZoneConnectionsAsync()
    {
        using var http = GatewayClient();
        var metrics = await http.GetStringAsync("/metrics");
        var prefix = $"pz_gateway_zone_connections{{zone=\"{Zone}\"}} ";
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited {Patience.TotalSeconds} s for: {what}");
            await Task.Delay(250);
        }
    }
}
