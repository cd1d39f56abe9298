using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.Resources;
using PartnerZones.Testing;

namespace PartnerZones.WebUi.Tests;

/// <summary>The create wizard's checks, with the API's own validator messages beside the fields.</summary>
[Collection(WebUiCollection.Name)]
public sealed class WizardTests(WebUiStack stack)
{
    [Fact]
    public async Task Each_step_shows_field_level_messages_and_review_shows_the_yaml()
    {
        await stack.ApplyZoneAsync(WebUiStack.Zone("taken-name", ("orders", "orders", "READ")));
        var page = await stack.SignedInPageAsync();
        await page.GotoAsync(stack.BaseUrl + "/create");
        await WebUiStack.ScreenshotAsync(page, "create-details");

        // A name the validator refuses: the message sits beside the name field.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Bad_Name");
        await page.GetByLabel("Service account").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: topics" }).ClickAsync();
        var nameError = page.Locator("#name-error");
        await Assertions.Expect(nameError).ToContainTextAsync("metadata.name 'Bad_Name' must be lower-case letters");
        await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await WebUiStack.ScreenshotAsync(page, "create-validation");

        // A name already in use.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("taken-name");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: topics" }).ClickAsync();
        await Assertions.Expect(nameError).ToContainTextAsync("A zone named 'taken-name' already exists");

        // The service account is proposed from the name as it is typed.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("");
        await page.GetByLabel("Name", new() { Exact = true }).PressSequentiallyAsync("wizard-checks");
        await Assertions.Expect(page.GetByLabel("Service account")).ToHaveValueAsync("wizard-checks");
        await page.GetByLabel("Email").FillAsync("ops@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: topics" }).ClickAsync();

        // Topics: the cluster's real list, searchable; nothing picked is an error.
        // (Other tests may add topics to the shared cluster; Verification.WizardTopicTests proves the list is live.)
        var rows = page.Locator("#topic-rows tr[data-filter-text]");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        var offered = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.filterText)");
        Assert.Superset(WebUiStack.Topics.ToHashSet(StringComparer.Ordinal), offered.ToHashSet(StringComparer.Ordinal));
        await page.GetByLabel("Search topics").FillAsync("pay");
        await Assertions.Expect(page.Locator("#topic-rows tr[data-filter-text]:visible")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#topic-rows tr[data-filter-text]:visible code")).ToHaveTextAsync("payments");
        await page.GetByLabel("Search topics").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: review" }).ClickAsync();
        await Assertions.Expect(page.Locator("#topics-error")).ToContainTextAsync("Pick at least one topic");

        // An alias Kafka cannot carry is refused by the validator, on its row.
        await page.GetByLabel("Share invoices").CheckAsync();
        await page.GetByLabel("Alias for invoices").FillAsync("bad alias!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: review" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr.has-error .field-error")).ToContainTextAsync("spec.topics[0].name 'bad alias!' has characters Kafka does not allow");
        await WebUiStack.ScreenshotAsync(page, "create-topics");

        await page.GetByLabel("Alias for invoices").FillAsync("partner-invoices");
        await page.GetByLabel("Permission on invoices").SelectOptionAsync("WRITE");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: review" }).ClickAsync();
        var yaml = page.Locator("#review-yaml");
        await Assertions.Expect(yaml).ToContainTextAsync("kind: PartnerZone");
        await Assertions.Expect(yaml).ToContainTextAsync("name: wizard-checks");
        await Assertions.Expect(yaml).ToContainTextAsync("backingTopic: invoices");
        await Assertions.Expect(yaml).ToContainTextAsync("name: partner-invoices");
        await Assertions.Expect(yaml).ToContainTextAsync("permission: WRITE");
        await Assertions.Expect(yaml).ToContainTextAsync("email: ops@example.com");

        // Back keeps every choice.
        await page.GetByRole(AriaRole.Button, new() { Name = "Back" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Share invoices")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Alias for invoices")).ToHaveValueAsync("partner-invoices");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_gateway_answering_the_wrong_json_shows_the_created_zone_failed_not_an_error_page()
    {
        // A second KafkaCluster whose URL answers 200 with an empty JSON array to everything.
        const string cluster = "wrong-shape";
        const string zone = "wizard-wrong-shape";
        await using var listener = new ScriptedHttpServer(_ => ScriptedResponse.Json(200, "[]"));
        var service = stack.Console.Services.GetRequiredService<ResourceService>();
        var document = new KafkaCluster
        {
            Metadata = new ResourceMetadata { Name = cluster },
            Spec = new KafkaClusterSpec
            {
                BootstrapServers = "127.0.0.1:9",
                AdminApi = new GatewayAdminApi { Url = listener.Url, Username = "console", Password = "listener-password" },
            },
        };
        await service.UpsertAsync(new KafkaClusterRules(), JsonSerializer.SerializeToElement(document, ResourceJson.Options), false, CancellationToken.None);
        try
        {
            var page = await stack.SignedInPageAsync();
            await page.GotoAsync(stack.BaseUrl + "/create");
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync(zone);
            await page.GetByLabel("Gateway").SelectOptionAsync(cluster);
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: topics" }).ClickAsync();

            // Its topic list cannot be read: the topic is typed instead.
            await Assertions.Expect(page.GetByText("The cluster's topic list could not be read")).ToBeVisibleAsync();
            await page.GetByLabel("Backing topic not listed").FillAsync("orders");
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: review" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Create zone" }).ClickAsync();

            // The zone was written: the page says so, with why no credential came, and its status turns Failed.
            await Assertions.Expect(page.GetByText($"Zone {zone} was created")).ToBeVisibleAsync();
            var problem = page.Locator(".error-summary");
            await Assertions.Expect(problem).ToContainTextAsync($"No credential could be issued yet: gateway admin API at {listener.Url} (KafkaCluster/{cluster}) answered POST /gateway/v2/credential with an empty array where a JSON object was expected");
            await Assertions.Expect(page.Locator($"[data-live-zone='{zone}']")).ToHaveTextAsync("Failed", new() { Timeout = 60_000 });
            await WebUiStack.ScreenshotAsync(page, "create-wrong-shape");

            await page.GetByRole(AriaRole.Link, new() { Name = "Go to the zone" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-failed-reason-text]")).ToContainTextAsync($"(KafkaCluster/{cluster}) answered GET /gateway/v2/partner-zone/{zone}/status with an empty array where a JSON object was expected");
            await page.Context.CloseAsync();
        }
        finally
        {
            // Other tests expect the stack's one cluster; the reconciler gets a pass to let go of this one
            // while its listener still answers.
            try
            {
                // The listener can never confirm a removal: forced out, so the cluster can go.
                await service.DeleteAsync(new PartnerZoneRules(), zone, CancellationToken.None, force: true);
            }
            catch (RequestRejected)
            {
            }

            await service.DeleteAsync(new KafkaClusterRules(), cluster, CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }
}
