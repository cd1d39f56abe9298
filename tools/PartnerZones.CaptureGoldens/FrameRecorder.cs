using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.CaptureGoldens;

/// <summary>
/// The cluster's frame observer: keeps every exchange seen while a scenario runs, labelled with the
/// client and scenario, and drops frames seen between scenarios (set-up traffic such as creating
/// the topic kcat cannot create itself).
/// </summary>
internal sealed class FrameRecorder
{
    // Requests of a client that has just exited may still be in the cluster's queue; waiting this
    // long after a scenario keeps them from being labelled with the next one.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(750);

    private readonly Lock _gate = new();
    private readonly List<CapturedExchange> _exchanges = [];
    private string? _client;
    private string? _scenario;

    public IReadOnlyList<CapturedExchange> Exchanges
    {
        get
        {
            lock (_gate)
            {
                return [.. _exchanges];
            }
        }
    }

    /// <summary>Called by the cluster on connection tasks, concurrently; the memory is only valid during the call.</summary>
    public void Observe(int nodeId, ReadOnlyMemory<byte> request, ReadOnlyMemory<byte>? response)
    {
        var reader = new KafkaReader(request);
        var header = RequestHeader.Read(ref reader);
        lock (_gate)
        {
            if (_client is null || _scenario is null)
            {
                return;
            }

            _exchanges.Add(new CapturedExchange(
                _client, _scenario, header.ApiKey, header.ApiVersion, header.CorrelationId, request.ToArray(), response?.ToArray()));
        }
    }

    /// <summary>Runs <paramref name="scenario"/> with its frames labelled; unlabelled again once its traffic has drained.</summary>
    public async Task RecordAsync(string client, string scenario, Func<Task> run)
    {
        await Task.Delay(QuietPeriod).ConfigureAwait(false);
        Label(client, scenario);
        try
        {
            await run().ConfigureAwait(false);
            await Task.Delay(QuietPeriod).ConfigureAwait(false);
        }
        finally
        {
            Label(null, null);
        }
    }

    private void Label(string? client, string? scenario)
    {
        lock (_gate)
        {
            _client = client;
            _scenario = scenario;
        }
    }
}
