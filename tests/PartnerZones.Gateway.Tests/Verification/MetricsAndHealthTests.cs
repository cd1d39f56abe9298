using System.Globalization;
using System.Net;
using PartnerZones.Gateway.Tests.Security;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>
/// What /metrics and the health endpoints say, series by series: connections, requests and bytes in and
/// out per zone (the partner's zone and the admins' passthrough apart), failed logins counted one by one,
/// upstream failures, and a readiness that turns 503 while no upstream broker can be reached.
/// </summary>
[Collection(VerificationCollection.Name)]
public sealed class MetricsAndHealthTests
{
    private const string Zone = GatewayFixture.ZoneName;

    [Fact]
    public async Task Per_zone_connections_requests_and_bytes_and_failed_logins_are_counted()
    {
        await using var gateway = await GatewayFixture.StartAsync(1);
        using var http = Http(gateway);
        var before = await ScrapeAsync(http);
        Assert.Equal(0, Value(before, "pz_gateway_zone_connections", Zone, missingAs: 0));
        var failuresBefore = Value(before, "pz_gateway_authentication_failures_total");

        await using (var partner = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers))
        await using (var admin = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers))
        {
            await partner.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
            await admin.LoginAsync("admin", GatewayFixture.AdminSecret);
            for (var i = 0; i < 3; i++)
            {
                await partner.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);
            }

            await admin.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);

            var open = await ScrapeAsync(http);
            Assert.Equal(1, Value(open, "pz_gateway_zone_connections", Zone));
            Assert.Equal(1, Value(open, "pz_gateway_zone_connections", "passthrough"));
            Assert.True(Value(open, "pz_gateway_requests_total", Zone) >= 3);
            Assert.True(Value(open, "pz_gateway_requests_total", "passthrough") >= 1);
            Assert.True(Value(open, "pz_gateway_bytes_in_total", Zone) > 0);
            Assert.True(Value(open, "pz_gateway_bytes_out_total", Zone) > Value(open, "pz_gateway_bytes_in_total", Zone), "three metadata answers are larger than their requests");
            Assert.True(Value(open, "pz_gateway_open_connections") >= 2);
        }

        // Two wrong passwords: two more failures, and nothing counted for the zone.
        for (var i = 0; i < 2; i++)
        {
            await using var stranger = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers);
            Assert.Equal(0, (await stranger.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1)).ErrorCode);
            Assert.NotEqual(0, (await stranger.AuthenticateAsync(KafkaWireClient.PlainToken("", "johndoe", "wrong-password"))).ErrorCode);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string after;
        while (Value(after = await ScrapeAsync(http), "pz_gateway_zone_connections", Zone) != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, Value(after, "pz_gateway_zone_connections", Zone));
        Assert.Equal(0, Value(after, "pz_gateway_zone_connections", "passthrough"));
        Assert.Equal(failuresBefore + 2, Value(after, "pz_gateway_authentication_failures_total"));
    }

    [Fact]
    public async Task Readiness_follows_the_upstream_and_its_failure_is_counted()
    {
        await using var gateway = await GatewayFixture.StartAsync(1);
        using var http = Http(gateway);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        var errorsBefore = Value(await ScrapeAsync(http), "pz_gateway_upstream_errors_total");

        // A partner whose connection has an upstream connection behind it.
        await using var partner = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers);
        await partner.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        await partner.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);

        var restart = gateway.Cluster.RestartNodeAsync(0, downtime: TimeSpan.FromSeconds(8));
        var notReady = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(8);
        while (!notReady && !restart.IsCompleted && DateTime.UtcNow < deadline)
        {
            notReady = (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable;
            await Task.Delay(100);
        }

        // Liveness is about the process, not the upstream.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        await restart;
        Assert.True(notReady, "/health/ready never said 503 while the only upstream node was down.");

        // The partner's connection was closed because its upstream went away, and that was counted.
        Assert.Empty(await partner.WaitForCloseAsync());
        Assert.True(Value(await ScrapeAsync(http), "pz_gateway_upstream_errors_total") > errorsBefore, "the upstream failure was not counted on /metrics");

        var ready = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HttpStatusCode status;
        while ((status = (await http.GetAsync("/health/ready")).StatusCode) != HttpStatusCode.OK && DateTime.UtcNow < ready)
        {
            await Task.Delay(200);
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static HttpClient Http(GatewayFixture gateway) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };

    private static Task<string> ScrapeAsync(HttpClient http) => http.GetStringAsync("/metrics");

    /// <summary>One series' value from Prometheus text; a missing series fails the test unless told otherwise.</summary>
    private static long Value(string metrics, string name, string? zone = null, long? missingAs = null)
    {
        var series = zone is null ? name : $"{name}{{zone=\"{zone}\"}}";
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        if (line is null && missingAs is { } value)
        {
            return value;
        }

        Assert.True(line is not null, $"{series} missing from:\n{metrics}");
        return long.Parse(line![(series.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
