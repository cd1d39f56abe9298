using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace PartnerZones.Cli.Client;

/// <summary>
/// Polls the console's REST API until a resource reaches the state a command waits for: gone (a deletion
/// the gateway confirmed) or READY/FAILED (an apply the reconciler deployed). The console is the one that
/// knows what the gateway confirmed, so asking it is the whole protocol; every wait is bounded by its timeout.
/// </summary>
internal sealed class ResourceWaiter(ConsoleClient client, TimeSpan timeout)
{
    /// <summary>Null when the resource is gone within the timeout; otherwise why not (the console's
    /// failedReason when it has one).</summary>
    public async Task<string?> WaitGoneAsync(string path, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string? reason = null;
        while (true)
        {
            var response = await client.SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
            if (response.Status == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccess)
            {
                return $"the console answered {(int)response.Status}: {response.Message}";
            }

            reason = Metadata(response.Json(), "failedReason") ?? reason;
            if (clock.Elapsed >= timeout)
            {
                return reason ?? "the gateway has not confirmed the removal yet";
            }

            await Task.Delay(Next(clock), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The resource's status once it is READY or FAILED (with the reason), or null and the last
    /// status seen when the timeout passed first.</summary>
    public async Task<(string? Status, string? Reason, string LastStatus)> WaitSettledAsync(string path, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var last = "unknown";
        while (true)
        {
            var response = await client.SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                return (null, $"the console answered {(int)response.Status}: {response.Message}", last);
            }

            var json = response.Json();
            last = Metadata(json, "status") ?? last;
            if (last is "READY" or "FAILED")
            {
                return (last, Metadata(json, "failedReason"), last);
            }

            if (clock.Elapsed >= timeout)
            {
                return (null, Metadata(json, "failedReason"), last);
            }

            await Task.Delay(Next(clock), cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Next(Stopwatch clock)
    {
        var left = timeout - clock.Elapsed;
        return left < WaitOptions.PollInterval ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : WaitOptions.PollInterval;
    }

    private static string? Metadata(JsonElement resource, string field) =>
        resource.ValueKind == JsonValueKind.Object && resource.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
