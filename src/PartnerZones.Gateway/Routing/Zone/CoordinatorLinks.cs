using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>
/// Reaches the coordinator of an upstream group the client never looked up itself (a shadow group, see
/// <see cref="AliasOffsets"/>): the coordinator is found upstream and remembered, and requests go to it
/// over the session's own link when it is the same node, or over an extra link per node that this
/// session owns and closes when it ends. A lost extra link is replaced on next use and never closes the
/// client's connection: the request that met it answers with a retriable coordinator error instead.
/// </summary>
internal sealed class CoordinatorLinks(GatewayRuntime runtime, UpstreamLink session) : IAsyncDisposable
{
    public const short CoordinatorLoadInProgress = 14;
    public const short CoordinatorNotAvailable = 15;
    public const short NotCoordinator = 16;
    public const sbyte GroupKey = 0;
    public const sbyte TransactionKey = 1;

    /// <summary>Tries before the answer is the last error. With the waits below a loading coordinator has
    /// about 1.5 s to finish before the partner sees the retriable error itself.</summary>
    private const int Attempts = 6;

    /// <summary>First wait before a retry, doubled each time: a coordinator that is loading its group
    /// (COORDINATOR_LOAD_IN_PROGRESS, which some brokers answer for a while after a restart) or has moved
    /// needs a moment, and asking again at once only adds load.</summary>
    private const int FirstRetryDelayMs = 50;
    private const int MaxRemembered = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _coordinators = new(StringComparer.Ordinal);
    private readonly Dictionary<int, UpstreamLink> _links = [];
    private readonly List<Task> _retiring = [];
    private bool _disposed;

    /// <summary>Sends a request about the upstream group <paramref name="key"/> (or transactional id, with
    /// <paramref name="keyType"/> 1) to its coordinator and returns the answer, or null and the error when
    /// the coordinator could not be found or reached in a few attempts. <paramref name="coordinatorError"/>
    /// reads the coordinator error out of an answer: a moved coordinator is looked up again.</summary>
    public async Task<(TResponse? Response, short Error)> SendAsync<TResponse>(
        string key, IKafkaRequest request, short version, string? clientId, Func<TResponse, short> coordinatorError, CancellationToken cancellationToken, sbyte keyType = GroupKey)
        where TResponse : class, IKafkaResponse, new()
    {
        var error = CoordinatorNotAvailable;
        var remembered = $"{keyType}:{key}";
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(FirstRetryDelayMs << (attempt - 1), cancellationToken).ConfigureAwait(false);
            }

            var (node, findError) = await CoordinatorAsync(key, keyType, remembered, clientId, cancellationToken).ConfigureAwait(false);
            if (node is not { } id)
            {
                error = findError;
                continue;
            }

            UpstreamLink? link = null;
            try
            {
                link = LinkFor(id);
                var connection = await link.GetAsync(cancellationToken).ConfigureAwait(false);
                var response = await connection.SendAsync<TResponse>(request, version, clientId, cancellationToken).ConfigureAwait(false);
                var code = coordinatorError(response);
                if (code is NotCoordinator or CoordinatorNotAvailable)
                {
                    Forget(remembered);
                    error = code;
                    continue;
                }

                if (code is CoordinatorLoadInProgress)
                {
                    // The right coordinator, not ready yet: ask it again after the wait.
                    error = code;
                    continue;
                }

                return (response, 0);
            }
            catch (UpstreamException)
            {
                Forget(remembered);
                if (link is not null && !ReferenceEquals(link, session))
                {
                    Retire(id, link);
                }

                error = CoordinatorNotAvailable;
            }
        }

        return (null, error);
    }

    /// <summary>The highest version of an API both the upstream and our codecs speak, or -1.</summary>
    public short Version(short apiKey, short highest) =>
        runtime.Apis.Upstream.TryGetValue(apiKey, out var range) && range.Min <= highest ? Math.Min(range.Max, highest) : (short)-1;

    private async Task<(int? Node, short Error)> CoordinatorAsync(string key, sbyte keyType, string remembered, string? clientId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_coordinators.TryGetValue(remembered, out var known))
            {
                return (known, 0);
            }
        }

        var version = Version(FindCoordinatorRequest.Key, FindCoordinatorRequest.HighestVersion);
        var request = new FindCoordinatorRequest
        {
            KeyType = keyType,
            CoordinatorKey = version < 4 ? key : "",
            CoordinatorKeys = version >= 4 ? [key] : [],
        };
        FindCoordinatorResponse response;
        try
        {
            var connection = await session.GetAsync(cancellationToken).ConfigureAwait(false);
            response = await connection.SendAsync<FindCoordinatorResponse>(request, version, clientId, cancellationToken).ConfigureAwait(false);
        }
        catch (UpstreamException)
        {
            return (null, CoordinatorNotAvailable);
        }

        var (error, node) = version >= 4
            ? response.Coordinators.Count == 1 ? (response.Coordinators[0].ErrorCode, response.Coordinators[0].NodeId) : (CoordinatorNotAvailable, -1)
            : (response.ErrorCode, response.NodeId);
        if (error != 0 || runtime.Brokers.Upstream(node) is null)
        {
            return (null, error != 0 ? error : CoordinatorNotAvailable);
        }

        lock (_gate)
        {
            if (_coordinators.Count >= MaxRemembered)
            {
                _coordinators.Clear();
            }

            _coordinators[remembered] = node;
        }

        return (node, 0);
    }

    private void Forget(string remembered)
    {
        lock (_gate)
        {
            _coordinators.Remove(remembered);
        }
    }

    private UpstreamLink LinkFor(int node)
    {
        if (session.NodeId == node)
        {
            return session;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                throw new UpstreamException("The client connection is closing.");
            }

            if (!_links.TryGetValue(node, out var link))
            {
                UpstreamLink? created = null;
                created = new UpstreamLink(runtime, node, () => Retire(node, created!));
                _links[node] = link = created;
            }

            return link;
        }
    }

    /// <summary>Takes a failed extra link out of use, when its connection ends (its failure callback) or a
    /// request met a broken connection, whichever comes first; the next request opens a new one. Whoever
    /// takes it out closes it, on another thread (closing it inside its own failure callback would wait
    /// for that very callback); the session waits for that when it ends. The session's own link is never
    /// retired here: losing it closes the client's connection.</summary>
    private void Retire(int node, UpstreamLink link)
    {
        lock (_gate)
        {
            if (!_links.TryGetValue(node, out var current) || !ReferenceEquals(current, link))
            {
                // Already retired, or the session is closing every link it holds.
                return;
            }

            _links.Remove(node);
            _retiring.RemoveAll(t => t.IsCompleted);
            _retiring.Add(Task.Run(async () => await link.DisposeAsync().ConfigureAwait(false)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<UpstreamLink> links;
        List<Task> retiring;
        lock (_gate)
        {
            _disposed = true;
            links = [.. _links.Values];
            retiring = [.. _retiring];
            _links.Clear();
        }

        foreach (var link in links)
        {
            await link.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(retiring).ConfigureAwait(false);
    }
}
