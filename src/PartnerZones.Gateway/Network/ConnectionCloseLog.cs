using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PartnerZones.Gateway.Network;

/// <summary>
/// Says why the gateway closed a client's connection: one warning naming the principal, the client id,
/// the client software (from ApiVersions v3+) and the reason, and a counter per reason (and, for an
/// unsupported request, per API and version). A client that retries a refused request forever must not
/// flood the log: each (principal, reason) is logged at most once per interval, with the number of
/// closes left out since.
/// </summary>
internal static partial class ConnectionCloseLog
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<string, (long LastTicks, int Suppressed)> Last = new(StringComparer.Ordinal);

    /// <summary>The kinds of close, as the counter's reason label.</summary>
    public const string Unsupported = "unsupported_request";
    public const string ProtocolViolation = "protocol_violation";
    public const string Malformed = "malformed_request";
    public const string FrameTooLarge = "frame_too_large";
    public const string UpstreamFailed = "upstream_failed";

    public static void Closed(GatewayRuntime runtime, string reason, string principal, string? clientId, string? software, string detail)
    {
        runtime.Metrics.ConnectionClosedByGateway(reason);
        var key = reason + "\n" + principal;
        var now = Environment.TickCount64;
        var suppressed = 0;
        var log = false;
        Last.AddOrUpdate(
            key,
            _ =>
            {
                log = true;
                return (now, 0);
            },
            (_, last) =>
            {
                if (now - last.LastTicks >= (long)Interval.TotalMilliseconds)
                {
                    log = true;
                    suppressed = last.Suppressed;
                    return (now, 0);
                }

                log = false;
                return (last.LastTicks, last.Suppressed + 1);
            });
        if (log)
        {
            ConnectionClosed(runtime.Log, principal, clientId ?? "", software ?? "unknown", reason, detail, suppressed);
        }

        // Bounded: a flood of distinct principals (failed logins do not get here) cannot grow it for ever.
        if (Last.Count > 10_000)
        {
            Last.Clear();
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning,
        Message = "closed the connection of {Principal} (client id '{ClientId}', software {Software}): {Reason}: {Detail} ({Suppressed} more such closes not logged since the last line)")]
    private static partial void ConnectionClosed(ILogger logger, string principal, string clientId, string software, string reason, string detail, int suppressed);
}
