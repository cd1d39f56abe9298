using System.Diagnostics;
using Confluent.Kafka;
using Xunit;

namespace PartnerZones.Testing;

/// <summary>A partner's view through a gateway, as a real client sees it: tests that prove access is
/// granted or withdrawn within a bound use these instead of their own loops.</summary>
public static class PartnerLogin
{
    /// <summary>The topics a SASL PLAIN login sees (sorted), or null when the gateway refuses the login.</summary>
    public static List<string>? TopicsOf(string bootstrap, string user, string password)
    {
        var refused = false;
        using var admin = new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = bootstrap,
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.Plain,
            SaslUsername = user,
            SaslPassword = password,
        }).SetErrorHandler((_, e) => refused |= e.Code == ErrorCode.Local_Authentication).Build();
        try
        {
            var topics = admin.GetMetadata(TimeSpan.FromSeconds(3)).Topics.Select(t => t.Topic).Order().ToList();
            return refused ? null : topics;
        }
        catch (KafkaException)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="done"/> until it holds; fails when <paramref name="within"/> passes
    /// first. Returns how long it took.</summary>
    public static async Task<TimeSpan> WithinAsync(TimeSpan within, string what, Func<bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(clock.Elapsed < within, $"Not within {within.TotalSeconds} s: {what}.");
            await Task.Delay(100);
        }

        return clock.Elapsed;
    }
}
