using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PartnerZones.ControlPlane.Web;
using PartnerZones.Resources;

namespace PartnerZones.WebUi.Tests;

/// <summary>Traffic control and header rules through the browser: the wizard's step with the validator's
/// messages beside the rows, the stored resource, the details page, and the edit page changing both.</summary>
[Collection(WebUiCollection.Name)]
public sealed class PoliciesTests(WebUiStack stack)
{
    private const string Zone = "policies-wizard";

    [Fact]
    public async Task The_wizard_creates_a_zone_with_limits_and_header_rules_shown_on_its_page_and_editable()
    {
        var page = await stack.SignedInPageAsync();
        await page.GotoAsync(stack.BaseUrl + "/create");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(Zone);
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: topics" }).ClickAsync();
        await page.GetByLabel("Share orders").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Limits and headers" }).ClickAsync();
        await Assertions.Expect(page.Locator("form[data-step=policies]")).ToBeVisibleAsync();

        // Limits: a toggle and a value each; a commit limit of 0 and a limit on without a value are refused.
        await page.Locator("#limit-produce").CheckAsync();
        await page.Locator("#limit-produce-value").FillAsync("1048576");
        await page.Locator("#limit-commits").CheckAsync();
        await page.Locator("#limit-commits-value").FillAsync("0");
        await page.Locator("#limit-consume").CheckAsync();

        // Headers: fill the blank row, add another, and one key regex; an unknown template is refused.
        await page.Locator("[name='Form.AddHeaders[0].Key']").FillAsync("x-partner");
        await page.Locator("[name='Form.AddHeaders[0].Value']").FillAsync("{{user}}@{{gatewayHost}}");
        await page.Locator("[name='Form.AddHeaders[0].OverrideIfExists']").CheckAsync();
        await page.Locator("[name='Form.RemoveHeaders[0].KeyRegex']").FillAsync("internal-.*");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add header rows" }).ClickAsync();
        await Assertions.Expect(page.Locator("[name='Form.AddHeaders[0].Key']")).ToHaveValueAsync("x-partner");
        await page.Locator("[name='Form.AddHeaders[1].Key']").FillAsync("x-client");
        await page.Locator("[name='Form.AddHeaders[1].Value']").FillAsync("{{foo}}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: review" }).ClickAsync();
        await Assertions.Expect(page.Locator("#limit-commits-error")).ToContainTextAsync("spec.trafficControlPolicies.limitCommitOffset is 0");
        await Assertions.Expect(page.Locator("#limit-consume-error")).ToContainTextAsync("spec.trafficControlPolicies.maxConsumeRate is switched on but has no value");
        await Assertions.Expect(page.Locator("table[data-header-rows=add] tr.has-error .field-error"))
            .ToContainTextAsync("spec.headers.addOnProduce[1].value uses the unknown template '{{foo}}'; use only the templates {{clientId}}");
        await WebUiStack.ScreenshotAsync(page, "create-policies-validation");

        await page.Locator("#limit-commits-value").FillAsync("30");
        await page.Locator("#limit-consume").UncheckAsync();
        await page.Locator("[name='Form.AddHeaders[1].Value']").FillAsync("{{clientId}}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: review" }).ClickAsync();
        var yaml = page.Locator("#review-yaml");
        await Assertions.Expect(yaml).ToContainTextAsync("maxProduceRate: 1048576");
        await Assertions.Expect(yaml).ToContainTextAsync("limitCommitOffset: 30");
        await Assertions.Expect(yaml).ToContainTextAsync("keyRegex: internal-.*");
        // The review's YAML is a file pz apply takes, templates quoted where YAML needs it.
        var reviewed = Assert.Single(PartnerZoneReader.ReadAll(await yaml.TextContentAsync() ?? "", "review"));
        Assert.Equal(["{{user}}@{{gatewayHost}}", "{{clientId}}"], reviewed.Spec.Headers!.AddOnProduce!.Select(h => h.Value));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create zone" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Zone {Zone} was created")).ToBeVisibleAsync();

        // The stored resource has both parts as typed.
        var stored = (await stack.Console.Services.GetRequiredService<ZoneViews>().GetAsync(Zone, CancellationToken.None))!.Spec;
        Assert.Equal(1048576, stored.TrafficControlPolicies!.MaxProduceRate);
        Assert.Null(stored.TrafficControlPolicies.MaxConsumeRate);
        Assert.Equal(30, stored.TrafficControlPolicies.LimitCommitOffset);
        var add = stored.Headers!.AddOnProduce!;
        Assert.Equal(["x-partner", "x-client"], add.Select(h => h.Key));
        Assert.Equal(["{{user}}@{{gatewayHost}}", "{{clientId}}"], add.Select(h => h.Value));
        Assert.Equal([true, false], add.Select(h => h.OverrideIfExists));
        Assert.Equal("internal-.*", Assert.Single(stored.Headers.RemoveOnConsume!).KeyRegex);

        // The details page shows them.
        await page.GotoAsync(stack.BaseUrl + $"/zones/{Zone}");
        await Assertions.Expect(page.Locator("[data-limit=maxProduceRate]")).ToContainTextAsync("1,048,576 bytes per second");
        await Assertions.Expect(page.Locator("[data-limit=maxConsumeRate]")).ToHaveTextAsync("No limit");
        await Assertions.Expect(page.Locator("[data-limit=limitCommitOffset]")).ToHaveTextAsync("30 per minute");
        var rules = page.Locator("table[data-header-rules=add] tbody tr");
        await Assertions.Expect(rules).ToHaveCountAsync(2);
        await Assertions.Expect(rules.First).ToContainTextAsync("x-partner");
        await Assertions.Expect(rules.First).ToContainTextAsync("{{user}}@{{gatewayHost}}");
        await Assertions.Expect(rules.First).ToContainTextAsync("replaced");
        await Assertions.Expect(page.Locator("[data-header-rules=remove]")).ToContainTextAsync("internal-.*");
        await WebUiStack.ScreenshotAsync(page, "zone-policies");

        // The edit page: the produce limit switched off, the second header removed, a bad regex refused first.
        await page.GotoAsync(stack.BaseUrl + $"/zones/{Zone}/edit");
        await Assertions.Expect(page.Locator("#limit-produce")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#limit-produce-value")).ToHaveValueAsync("1048576");
        await page.Locator("#limit-produce").UncheckAsync();
        await page.Locator("[name='Form.AddHeaders[1].Remove']").CheckAsync();
        await page.Locator("[name='Form.RemoveHeaders[0].KeyRegex']").FillAsync("(a)\\1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(page.Locator("table[data-header-rows=remove] tr.has-error .field-error"))
            .ToContainTextAsync("spec.headers.removeOnConsume[0].keyRegex '(a)\\1' uses a construct the gateway's linear-time matcher does not support");
        await page.Locator("[name='Form.RemoveHeaders[0].KeyRegex']").FillAsync("internal-.*");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-limit=maxProduceRate]")).ToHaveTextAsync("No limit");
        await Assertions.Expect(rules).ToHaveCountAsync(1);
        var edited = (await stack.Console.Services.GetRequiredService<ZoneViews>().GetAsync(Zone, CancellationToken.None))!.Spec;
        Assert.Null(edited.TrafficControlPolicies!.MaxProduceRate);
        Assert.Equal(30, edited.TrafficControlPolicies.LimitCommitOffset);
        Assert.Equal("x-partner", Assert.Single(edited.Headers!.AddOnProduce!).Key);
        await page.Context.CloseAsync();
    }
}
