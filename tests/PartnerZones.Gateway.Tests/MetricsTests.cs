using Confluent.Kafka;

namespace PartnerZones.Gateway.Tests;

/// <summary>/metrics and the health endpoints answer, and count what partners do.</summary>
public sealed class MetricsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Metrics_count_requests_and_bytes_per_zone_and_failed_logins()
    {
        using (var admin = new AdminClientBuilder(fixture.Partner()).Build())
        {
            admin.GetMetadata(TimeSpan.FromSeconds(10));
        }

        using (var bad = new AdminClientBuilder(fixture.Partner("wrong")).Build())
        {
            Assert.ThrowsAny<KafkaException>(() => bad.GetMetadata(TimeSpan.FromSeconds(3)));
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.HttpPort}") };
        Assert.True((await http.GetAsync("/health/live")).IsSuccessStatusCode);
        Assert.True((await http.GetAsync("/health/ready")).IsSuccessStatusCode);
        var metrics = await http.GetStringAsync("/metrics");

        Assert.Contains("# TYPE pz_gateway_requests_total counter", metrics);
        Assert.True(Value(metrics, $"pz_gateway_requests_total{{zone=\"{GatewayFixture.ZoneName}\"}}") > 0);
        Assert.True(Value(metrics, $"pz_gateway_bytes_out_total{{zone=\"{GatewayFixture.ZoneName}\"}}") > 0);
        Assert.True(Value(metrics, "pz_gateway_authentication_failures_total") >= 1);
    }

    private static long Value(string metrics, string series)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"{series} missing from:\n{metrics}");
        return long.Parse(line![(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
