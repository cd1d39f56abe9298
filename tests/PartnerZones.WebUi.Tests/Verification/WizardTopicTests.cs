using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Playwright;

namespace PartnerZones.WebUi.Tests.Verification;

/// <summary>The wizard's topic step lists the cluster's real topics: one created a moment ago appears
/// (a console of its own, so no cached list hides it), each row's alias defaults to the backing name,
/// READ and WRITE are offered, search narrows the rows, and the review's YAML carries the choices.</summary>
[Collection(WebUiCollection.Name)]
public sealed class WizardTopicTests(WebUiStack stack)
{
    [Fact]
    public async Task A_topic_created_now_is_offered_with_its_own_name_as_alias()
    {
        var fresh = $"verify-fresh-{Guid.NewGuid():N}"[..24];
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = stack.Cluster.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = fresh, NumPartitions = 1, ReplicationFactor = 1 }]);
        }

        var directory = Directory.CreateTempSubdirectory("pz-webui-verify-").FullName;
        try
        {
            await using var console = await Verify.StartOwnConsoleAsync(stack, directory, withCluster: true);
            var url = console.Address.ToString().TrimEnd('/');
            var page = await stack.NewPageAsync();
            await Verify.SignInAsync(page, url);
            await page.GotoAsync(url + "/create");
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("verify-topics");
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: topics" }).ClickAsync();

            // The real list: the shared topics and the one just created, nothing made up.
            var rows = page.Locator("#topic-rows tr[data-filter-text]");
            var offered = (await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.filterText)")).ToHashSet(StringComparer.Ordinal);
            Assert.Contains(fresh, offered);
            Assert.Superset(WebUiStack.Topics.ToHashSet(StringComparer.Ordinal), offered);
            Assert.All(offered, t => Assert.False(t.StartsWith("__", StringComparison.Ordinal), $"internal topic {t} offered"));

            // Alias defaults to the backing name; the permission is READ or WRITE.
            await Assertions.Expect(page.GetByLabel($"Alias for {fresh}")).ToHaveValueAsync(fresh);
            await Assertions.Expect(page.GetByLabel("Alias for payments")).ToHaveValueAsync("payments");
            var options = await page.GetByLabel($"Permission on {fresh}").Locator("option").EvaluateAllAsync<string[]>("o => o.map(x => x.value)");
            Assert.Equal(["READ", "WRITE"], options);
            await Assertions.Expect(page.GetByLabel($"Permission on {fresh}")).ToHaveValueAsync("READ");

            // Search by part of the new name leaves one row.
            await page.GetByLabel("Search topics").FillAsync(fresh[^8..]);
            await Assertions.Expect(page.Locator("#topic-rows tr[data-filter-text]:visible")).ToHaveCountAsync(1);
            await page.GetByLabel($"Share {fresh}").CheckAsync();
            await page.GetByLabel($"Permission on {fresh}").SelectOptionAsync("WRITE");
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: review" }).ClickAsync();
            var yaml = page.Locator("#review-yaml");
            await Assertions.Expect(yaml).ToContainTextAsync($"name: {fresh}");
            await Assertions.Expect(yaml).ToContainTextAsync($"backingTopic: {fresh}");
            await Assertions.Expect(yaml).ToContainTextAsync("permission: WRITE");
            await Assertions.Expect(yaml).ToContainTextAsync("serviceAccount: verify-topics");
            await page.Context.CloseAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
            // Leave the shared cluster's topic list as the other tests expect it.
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = stack.Cluster.BootstrapServers }).Build();
            await admin.DeleteTopicsAsync([fresh]);
        }
    }
}
