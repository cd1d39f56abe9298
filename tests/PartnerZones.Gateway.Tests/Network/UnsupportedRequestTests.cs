using PartnerZones.Gateway.Tests.Admin;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Network;

/// <summary>
/// A request the gateway does not serve (an API no codec knows) closes the connection, as Apache Kafka does, but never
/// silently: a warning names the principal, the client id, the client software (from ApiVersions v3), the
/// API, its version and the range served, and counters record the close by reason and the request by API
/// and version. A client that retries the same request in a loop gets one log line per interval.
/// </summary>
public sealed class UnsupportedRequestTests : IAsyncLifetime
{
    private LoggedGateway _logged = null!;

    public async Task InitializeAsync() => _logged = await LoggedGateway.StartAsync();

    public async Task DisposeAsync() => await _logged.DisposeAsync();

    [Fact]
    public async Task An_unsupported_request_after_login_is_logged_once_per_interval_and_counted()
    {
        using var api = AdminApi.For(_logged.HttpPort);
        await AdminApiTests.AccountAsync(api, "prober");
        await api.PutAsync("/gateway/v2/partner-zone", AdminApiTests.Zone("probed-zone", "prober", "READ"));
        var (_, secret) = await api.IssueAsync("prober");

        // API key 50 (DescribeUserScramCredentials) has no codec here, so it is offered to no one and served to
        // no one; the client sends it three times, reconnecting each time.
        const short Unknown = 50;
        const short Version = 0;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await using var client = await KafkaWireClient.ConnectAsync(_logged.Gateway.BootstrapServers, clientId: "probe-client");
            await client.ExchangeAsync(new ApiVersionsRequest { ClientSoftwareName = "probe-software", ClientSoftwareVersion = "9.9" }, 3);
            await client.LoginAsync("prober", secret);
            await client.WriteAsync(client.Frame(Unknown, Version, client.NextCorrelationId(), []));
            Assert.Empty(await client.WaitForCloseAsync());
        }

        var metrics = _logged.Gateway.Runtime.Metrics;
        Assert.Equal(3, metrics.UnsupportedRequests(Unknown, Version));
        Assert.Equal(3, metrics.ClosedByGateway("unsupported_request"));
        var text = metrics.Render();
        Assert.Contains("pz_gateway_unsupported_requests_total{api=\"50\",version=\"0\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("pz_gateway_connections_closed_total{reason=\"unsupported_request\"} 3", text, StringComparison.Ordinal);

        var lines = _logged.Logs.Entries.Where(e => e.Category == "PartnerZones.Gateway.Connections").Select(e => e.Message).ToList();
        var line = Assert.Single(lines);
        foreach (var part in new[] { "partner 'prober' of zone 'probed-zone'", "probe-client", "probe-software 9.9", "API key 50", "v0", "served: not at all" })
        {
            Assert.Contains(part, line, StringComparison.Ordinal);
        }
    }
}
