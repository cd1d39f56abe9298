using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.State;
using PartnerZones.Gateway.Tests.StateSharing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>Credential expiry and session lifetime: clients are told when their login ends, may
/// re-authenticate on the same connection (KIP-368), and are cut off when they do not.</summary>
public sealed class SessionLifetimeTests : IAsyncLifetime
{
    private const long MaxSessionMs = 3000;

    private readonly ConcurrentQueue<AuditEvent> _audit = new();
    private EmbeddedCluster _cluster = null!;
    private GatewayHost _gateway = null!;
    private AdminApi _api = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _cluster.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = "kafka-topic-a", NumPartitions = 1, ReplicationFactor = 1 }]);
        }

        int http;
        (_gateway, http) = await GatewayInstance.StartAsync(_cluster, adjust: spec => spec with { Limits = spec.Limits with { MaxSessionLifetimeMs = MaxSessionMs } });
        _gateway.Runtime.Audit.Emitting += _audit.Enqueue;
        _api = AdminApi.For(http);
        await AdminApiTests.AccountAsync(_api, "lifetime");
        await _api.PutAsync("/gateway/v2/partner-zone", AdminApiTests.Zone("lifetime-zone", "lifetime", "WRITE"));
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _gateway.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task An_expiring_credential_sets_the_session_lifetime_and_the_session_ends_with_it()
    {
        var (_, secret) = await _api.IssueAsync("lifetime", lifetimeSeconds: 2);
        using var client = await KafkaWireClient.ConnectAsync(_gateway.BootstrapServers);
        var login = await client.LoginPlainAsync("lifetime", secret);
        Assert.Equal(0, login.ErrorCode);
        Assert.InRange(login.SessionLifetimeMs, 1, 2000);
        Assert.NotEmpty((await client.SendAsync<MetadataResponse>(new MetadataRequest { Topics = [] }, 1)).Brokers);

        // No re-authentication: the gateway closes the connection when the lifetime ends.
        Assert.Empty(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        // The audit record of the close is written as the session ends, which may be just after the socket closes.
        for (var waited = 0; waited < 50 && !_audit.ToArray().Any(e => e is { Action: "session.closed", User: "lifetime" }); waited++)
        {
            await Task.Delay(100);
        }

        Assert.Contains(_audit.ToArray(), e => e is { Action: "session.closed", User: "lifetime" } && e.Detail!.Contains("lifetime", StringComparison.Ordinal));

        using var late = await KafkaWireClient.ConnectAsync(_gateway.BootstrapServers);
        var refused = await late.LoginPlainAsync("lifetime", secret);
        Assert.Equal(58, refused.ErrorCode);
        Assert.Contains(_audit, e => e is { Action: "login", Outcome: "failure", User: "lifetime" } && e.Detail!.Contains("expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Re_authentication_on_the_connection_renews_it_with_a_newer_credential_of_the_same_account()
    {
        var (_, old) = await _api.IssueAsync("lifetime", lifetimeSeconds: 600);
        var (newId, fresh) = await _api.IssueAsync("lifetime", lifetimeSeconds: 600);
        using var client = await KafkaWireClient.ConnectAsync(_gateway.BootstrapServers);
        var login = await client.LoginPlainAsync("lifetime", old);
        Assert.Equal(0, login.ErrorCode);
        Assert.InRange(login.SessionLifetimeMs, 1, MaxSessionMs);

        await Task.Delay(1500);
        var again = await client.LoginPlainAsync("lifetime", fresh);
        Assert.Equal(0, again.ErrorCode);
        Assert.InRange(again.SessionLifetimeMs, MaxSessionMs - 500, MaxSessionMs);
        Assert.Contains(_gateway.Runtime.Sessions.Sessions, s => s.CredentialId == newId);

        // Past the first login's lifetime the connection still serves: the re-authentication renewed it.
        await Task.Delay(2000);
        Assert.NotEmpty((await client.SendAsync<MetadataResponse>(new MetadataRequest { Topics = [] }, 1)).Brokers);
        Assert.Contains(_audit, e => e is { Action: "reauthenticate", Outcome: "success", User: "lifetime" });
    }

    [Fact]
    public async Task Re_authentication_as_another_principal_is_refused_and_closes_the_connection()
    {
        var (_, secret) = await _api.IssueAsync("lifetime");
        var (_, adminSecret) = await _api.IssueAsync(await AdminAccountAsync());
        using var client = await KafkaWireClient.ConnectAsync(_gateway.BootstrapServers);
        Assert.Equal(0, (await client.LoginPlainAsync("lifetime", secret)).ErrorCode);

        var handshake = await client.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        Assert.Equal(0, handshake.ErrorCode);
        var other = await client.SendAsync<SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = Encoding.UTF8.GetBytes($"\0ops\0{adminSecret}") }, 2);
        Assert.Equal(58, other.ErrorCode);
        Assert.Empty(await client.WaitForCloseAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task Librdkafka_re_authenticates_and_keeps_producing_across_several_session_lifetimes()
    {
        var (id, secret) = await _api.IssueAsync("lifetime", lifetimeSeconds: 600);
        var errors = new ConcurrentQueue<Error>();
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig
        {
            BootstrapServers = _gateway.BootstrapServers,
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.Plain,
            SaslUsername = "lifetime",
            SaslPassword = secret,
        }).SetErrorHandler((_, e) => errors.Enqueue(e)).Build();

        // Three lifetimes of steady producing; every send must succeed.
        var until = DateTime.UtcNow.AddMilliseconds(3 * MaxSessionMs);
        var sent = 0;
        while (DateTime.UtcNow < until && sent < 200)
        {
            var result = await producer.ProduceAsync("shared", new Message<Null, string> { Value = $"m{sent}" });
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
            sent++;
            await Task.Delay(100);
        }

        Assert.True(sent >= 10, $"only {sent} records sent");
        Assert.Contains(_audit, e => e is { Action: "reauthenticate", Outcome: "success", User: "lifetime" } && e.CredentialId == id);
        Assert.DoesNotContain(_audit, e => e is { Action: "session.closed", User: "lifetime" } && e.CredentialId == id);
    }

    private async Task<string> AdminAccountAsync()
    {
        var (status, body) = await _api.PutAsync("/gateway/v2/service-account", """{"metadata": {"name": "ops"}, "spec": {"type": "ADMIN"}}""");
        Assert.True(status == System.Net.HttpStatusCode.OK, body?.ToJsonString());
        return "ops";
    }
}
