using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>Every login and every change is an audit event: a structured log line and a record on the audit topic.</summary>
public sealed class AuditTests : IAsyncLifetime
{
    private LoggedGateway _logged = null!;

    public async Task InitializeAsync() => _logged = await LoggedGateway.StartAsync("audit-test-gw");

    public async Task DisposeAsync() => await _logged.DisposeAsync();

    [Fact]
    public async Task Logins_and_changes_are_logged_and_written_to_the_audit_topic()
    {
        using var api = AdminApi.For(_logged.HttpPort);
        await AdminApiTests.AccountAsync(api, "audited");
        await api.PutAsync("/gateway/v2/partner-zone", AdminApiTests.Zone("audited-zone", "audited", "READ"));
        var (id, secret) = await api.IssueAsync("audited");
        using (var wrong = AdminApi.For(_logged.HttpPort, password: "wrong-password-000"))
        {
            await wrong.GetAsync("/gateway/v2/partner-zone");
        }

        using (var bad = await KafkaWireClient.ConnectAsync(_logged.Gateway.BootstrapServers, "raw-test-client"))
        {
            Assert.Equal(58, (await bad.LoginPlainAsync("audited", "not-the-secret")).ErrorCode);
        }

        using var good = await KafkaWireClient.ConnectAsync(_logged.Gateway.BootstrapServers, "raw-test-client");
        Assert.Equal(0, (await good.LoginPlainAsync("audited", secret)).ErrorCode);
        await api.RevokeAsync(id);
        Assert.Empty(await good.WaitForCloseAsync(TimeSpan.FromSeconds(1)));

        // Account, zone, issue, failed admin login, failed and successful partner login, revoke, closed session.
        var records = await AuditRecordsAsync(expected: 8);
        var failure = Assert.Single(records, r => r["action"]?.GetValue<string>() == "login" && r["outcome"]?.GetValue<string>() == "failure");
        Assert.Equal("audited", failure["user"]!.GetValue<string>());
        Assert.Equal("raw-test-client", failure["clientId"]!.GetValue<string>());
        Assert.StartsWith("127.0.0.1:", failure["clientAddress"]!.GetValue<string>());
        Assert.Equal("PLAIN", failure["mechanism"]!.GetValue<string>());
        Assert.Equal("wrong secret", failure["detail"]!.GetValue<string>());
        Assert.Equal("audit-test-gw", failure["instance"]!.GetValue<string>());

        var success = Assert.Single(records, r => r["action"]?.GetValue<string>() == "login" && r["outcome"]?.GetValue<string>() == "success");
        Assert.Equal(id, success["credentialId"]!.GetValue<string>());
        Assert.Contains(records, r => r["action"]?.GetValue<string>() == "upsert" && r["resource"]?.GetValue<string>() == "PartnerZone/audited-zone" && r["user"]?.GetValue<string>() == GatewayFixture.AdminUser);
        Assert.Contains(records, r => r["action"]?.GetValue<string>() == "credential.issue" && r["credentialId"]?.GetValue<string>() == id);
        Assert.Contains(records, r => r["action"]?.GetValue<string>() == "credential.revoke" && r["credentialId"]?.GetValue<string>() == id);
        Assert.Contains(records, r => r["action"]?.GetValue<string>() == "session.closed" && r["detail"]?.GetValue<string>() == "credential revoked");
        Assert.Contains(records, r => r["action"]?.GetValue<string>() == "admin.login" && r["outcome"]?.GetValue<string>() == "failure");
        Assert.DoesNotContain(records, r => r.ToJsonString().Contains(secret, StringComparison.Ordinal));

        // The same events as structured log lines, with their fields as properties.
        var line = Assert.Single(_logged.Logs.Entries, e => e.Properties.GetValueOrDefault("Action") as string == "login" && e.Properties.GetValueOrDefault("Outcome") as string == "failure");
        Assert.Equal("PartnerZones.Gateway.Audit", line.Category);
        Assert.Equal("raw-test-client", line.Properties["ClientId"]);
        Assert.Contains("audit login failure user=audited", line.Message, StringComparison.Ordinal);
    }

    /// <summary>Reads the audit topic from the start until <paramref name="expected"/> records arrived (or 30 s).</summary>
    private Task<List<JsonNode>> AuditRecordsAsync(int expected)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = _logged.Cluster.BootstrapServers,
            GroupId = "audit-reader",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Assign(new TopicPartitionOffset("__pz_gateway_audit", 0, Offset.Beginning));
        var records = new List<JsonNode>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && records.Count < 100)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result?.Message is { } message)
            {
                records.Add(JsonNode.Parse(message.Value)!);
            }
            else if (records.Count >= expected)
            {
                break;
            }
        }

        return Task.FromResult(records);
    }
}
