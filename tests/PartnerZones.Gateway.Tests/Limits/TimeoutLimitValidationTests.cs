using PartnerZones.Gateway.Configuration;

namespace PartnerZones.Gateway.Tests.Limits;

/// <summary>The timeout limits are checked when the gateway file loads, with messages naming the field and its range.</summary>
public sealed class TimeoutLimitValidationTests
{
    [Fact]
    public void Defaults_pass_and_out_of_range_timeouts_are_named()
    {
        var good = Config(new LimitsConfig());
        Assert.Equal(10_000, good.Spec.Limits.AuthenticationTimeoutMs);
        Assert.Equal(600_000, good.Spec.Limits.ConnectionsMaxIdleMs);
        Assert.DoesNotContain(GatewayConfigLoader.ValidateConfig(good), e => e.Contains("Timeout", StringComparison.Ordinal) || e.Contains("MaxIdle", StringComparison.Ordinal));

        var errors = GatewayConfigLoader.ValidateConfig(Config(new LimitsConfig { AuthenticationTimeoutMs = 50, ConnectionsMaxIdleMs = 0 })).ToList();
        Assert.Contains(errors, e => e.Contains("limits.authenticationTimeoutMs (50) must be between 100 and 3600000", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("limits.connectionsMaxIdleMs (0) must be between 100 and 86400000", StringComparison.Ordinal));

        // A login that fails waits failedLoginDelayMs; a timeout no longer than that would cut every retry short.
        var shorter = GatewayConfigLoader.ValidateConfig(Config(new LimitsConfig { AuthenticationTimeoutMs = 400, FailedLoginDelayMs = 500 })).ToList();
        Assert.Contains(shorter, e => e.Contains("larger than limits.failedLoginDelayMs (500)", StringComparison.Ordinal));
    }

    [Fact]
    public void The_timeouts_bind_from_the_gateway_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pz-timeouts-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, """
            apiVersion: v2
            kind: Gateway
            spec:
              upstream:
                bootstrapServers: 127.0.0.1:9092
              limits:
                authenticationTimeoutMs: 20
                connectionsMaxIdleMs: 99
            """);
        try
        {
            var error = Assert.Throws<PartnerZones.Resources.ResourceException>(() => GatewayConfigLoader.Load(path));
            Assert.Contains(error.Errors, e => e.Contains("limits.authenticationTimeoutMs (20)", StringComparison.Ordinal));
            Assert.Contains(error.Errors, e => e.Contains("limits.connectionsMaxIdleMs (99)", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static GatewayConfig Config(LimitsConfig limits) => new()
    {
        Spec = new GatewaySpec
        {
            Upstream = new UpstreamConfig { BootstrapServers = "127.0.0.1:9092" },
            Limits = limits,
            Http = new HttpConfig { Port = 0 },
        },
    };
}
