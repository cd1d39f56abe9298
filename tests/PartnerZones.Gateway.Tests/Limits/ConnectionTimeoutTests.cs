using System.Diagnostics;
using PartnerZones.Gateway.Tests.Security;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Limits;

/// <summary>
/// limits.authenticationTimeoutMs and limits.connectionsMaxIdleMs over raw sockets against a real
/// gateway and embedded cluster, with timeouts of a second or two so the tests stay short.
/// </summary>
public sealed class ConnectionTimeoutTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_connection_that_does_not_log_in_in_time_is_closed_and_counted_as_a_failed_login()
    {
        const int timeoutMs = 1500;
        await using var gateway = await GatewayFixture.StartAsync(1, limits: l => l with { AuthenticationTimeoutMs = timeoutMs });
        var metrics = gateway.Gateway.Runtime.Metrics;
        var failures = metrics.AuthenticationFailures;

        var started = Stopwatch.StartNew();
        await using var silent = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers, "silent");
        await using var chatty = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers, "never-logs-in");
        await using var loggedIn = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers, "logs-in");
        await loggedIn.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        // Talking is not logging in: ApiVersions before SASL does not extend the deadline.
        var versions = await chatty.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 0);
        Assert.Equal(0, versions.ErrorCode);

        Assert.Empty(await silent.WaitForCloseAsync(Patience));
        Assert.True(started.ElapsedMilliseconds >= timeoutMs - 100, $"closed after {started.ElapsedMilliseconds} ms, before the {timeoutMs} ms timeout");
        Assert.Empty(await chatty.WaitForCloseAsync(Patience));
        Assert.True(await loggedIn.StaysOpenAsync(TimeSpan.FromMilliseconds(timeoutMs)), "a connection that logged in in time was closed");
        Assert.Equal(failures + 2, metrics.AuthenticationFailures);
    }

    [Fact]
    public async Task An_idle_connection_is_closed_but_an_active_one_and_one_waiting_on_a_long_poll_are_not()
    {
        const int idleMs = 2000;
        const int longPollMs = 6000;
        await using var gateway = await GatewayFixture.StartAsync(1, limits: l => l with { ConnectionsMaxIdleMs = idleMs });
        await using var idle = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers, "idle");
        await using var active = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers, "active");
        await using var polling = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers, "polling");
        await active.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        await polling.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        await idle.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        var idleSince = Stopwatch.StartNew();
        var idleClosed = idle.WaitForCloseAsync(Patience);

        // The partition is empty, so the upstream holds the fetch for its whole max wait, well past the idle limit.
        var pollSent = Stopwatch.StartNew();
        await polling.WriteAsync(polling.Frame(LongPoll(longPollMs), 12, polling.NextCorrelationId()));

        // A request every half second for longer than the idle limit and the long poll.
        var activeFor = Stopwatch.StartNew();
        for (var i = 0; i < 20 && activeFor.ElapsedMilliseconds < longPollMs + 1000; i++)
        {
            var versions = await active.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 0);
            Assert.Equal(0, versions.ErrorCode);
            await Task.Delay(500);
        }

        Assert.Empty(await idleClosed);
        Assert.True(idleSince.ElapsedMilliseconds >= idleMs - 100, $"the idle connection closed after {idleSince.ElapsedMilliseconds} ms, before the {idleMs} ms limit");

        var fetched = await polling.ReadFrameAsync();
        Assert.NotNull(fetched);
        Assert.True(pollSent.ElapsedMilliseconds >= longPollMs - 500, $"the long poll was answered after {pollSent.ElapsedMilliseconds} ms, expected about {longPollMs} ms");

        // Once answered and quiet, the polling connection is idle too.
        Assert.Empty(await polling.WaitForCloseAsync(Patience));
        Assert.True(activeFor.ElapsedMilliseconds >= longPollMs, "the active connection stopped early");
    }

    private static FetchRequest LongPoll(int maxWaitMs) => new()
    {
        MaxWaitMs = maxWaitMs,
        MinBytes = 1,
        MaxBytes = 1024 * 1024,
        Topics = [new FetchRequest.FetchTopic
        {
            Topic = "topic-b",
            Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1024 * 1024 }],
        }],
    };
}
