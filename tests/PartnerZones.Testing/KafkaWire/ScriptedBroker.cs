using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Testing.KafkaWire;

/// <summary>
/// A Kafka-protocol server on 127.0.0.1 (a free port) that answers what a test scripts, per API key and
/// version, and records every request it got: a stand-in for a broker of another implementation in
/// front of which the gateway must still work, or for answers the embedded cluster never gives.
/// <para>
/// Scripted mode (no cluster to relay to): it is a one-node cluster of its own. ApiVersions answers the
/// ranges given to <see cref="Advertise"/>, Metadata names it as the only broker (node 0) with the topics
/// given to <see cref="AddTopic"/>, FindCoordinator names it, DescribeCluster lists it; anything else not
/// scripted closes the connection, as a broker does with what it cannot read.
/// </para>
/// <para>
/// Relay mode (<c>relayTo</c> a real cluster): what is not scripted is forwarded to the real nodes, one
/// port here standing for each real node, and broker addresses in the answers (Metadata, FindCoordinator,
/// DescribeCluster, Produce and Fetch node endpoints) are rewritten to those ports so clients stay on the
/// scripted broker. Everything is real except the answers a test changes — an OffsetFetch that says
/// GROUP_ID_NOT_FOUND, a NOT_COORDINATOR before the real answer, an API missing from ApiVersions.
/// </para>
/// </summary>
public sealed class ScriptedBroker : IAsyncDisposable
{
    /// <summary>The node id of the broker in its own built-in answers.</summary>
    public const int NodeId = 0;

    private const short UnknownTopicOrPartition = 3;

    private readonly EndPoint? _relayTo;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<short, Func<ScriptedCall, ValueTask<ScriptedReply>>> _scripts = new();

    // A null range withholds the API (relay mode: removes it from the real cluster's answer).
    private readonly ConcurrentDictionary<short, (short Min, short Max)?> _advertised = new();
    private readonly ConcurrentDictionary<string, (Guid Id, int Partitions)> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ScriptedCall> _received = new();
    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly ConcurrentDictionary<int, ScriptedConnection> _connections = new();
    private readonly ConcurrentBag<Task> _tasks = [];

    // Relay mode: the local port standing for each real node, by the real node's "host:port".
    private readonly Dictionary<string, TcpListener> _ports = new(StringComparer.OrdinalIgnoreCase);
    private readonly TcpListener _listener;
    private int _nextConnectionId;

    /// <param name="relayTo">A real cluster's bootstrap broker to forward unscripted requests to; null for
    /// scripted mode.</param>
    /// <param name="certificate">Serve TLS with this certificate (and its private key) instead of plain TCP.</param>
    public ScriptedBroker(EndPoint? relayTo = null, X509Certificate2? certificate = null)
    {
        _relayTo = relayTo;
        _certificate = certificate;
        if (relayTo is null)
        {
            _advertised[ApiVersionsRequest.Key] = (0, 3);
        }

        _listener = Listen(relayTo);
        if (relayTo is not null)
        {
            _ports[Key(relayTo)] = _listener;
        }
    }

    /// <summary>The bootstrap port (in relay mode it stands for the real bootstrap node).</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public string BootstrapServers => $"{EndPoint}";

    /// <summary>Cluster id in the built-in Metadata and DescribeCluster answers.</summary>
    public string ClusterId { get; set; } = "scripted-broker";

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<ScriptedCall> Received => [.. _received];

    /// <summary>Exceptions thrown by scripts (each closed its connection), so a test can tell a script
    /// that failed from a client that went away.</summary>
    public IReadOnlyList<Exception> Failures => [.. _failures];

    public int OpenConnections => _connections.Count;

    /// <summary>Offers <paramref name="apiKey"/> at these versions in ApiVersions: the whole offer in
    /// scripted mode (which starts with ApiVersions 0–3 alone), an override of the real one in relay mode.</summary>
    public void Advertise(short apiKey, short minVersion, short maxVersion) => _advertised[apiKey] = (minVersion, maxVersion);

    /// <summary>Leaves <paramref name="apiKey"/> out of ApiVersions (the API itself is still served).</summary>
    public void Withhold(short apiKey) => _advertised[apiKey] = null;

    /// <summary>A topic of the built-in Metadata answer, its partitions all led by this broker.</summary>
    public void AddTopic(string name, Guid topicId, int partitions = 1) => _topics[name] = (topicId, partitions);

    /// <summary>Answers <typeparamref name="TRequest"/> with <paramref name="answer"/>(request, version);
    /// a null answer leaves that request to the broker's default (relay, built-in or close).</summary>
    public void Answer<TRequest>(Func<TRequest, short, IKafkaResponse?> answer)
        where TRequest : class, IKafkaRequest, new() =>
        _scripts[new TRequest().ApiKey] = call => ValueTask.FromResult(
            call.Request is TRequest request && answer(request, call.ApiVersion) is { } response ? ScriptedReply.With(response) : ScriptedReply.Default);

    /// <summary>Answers every request with <paramref name="apiKey"/> (even keys and versions no codec
    /// knows) with whatever <paramref name="answer"/> decides: a response, raw bytes, silence, a close,
    /// or the default, possibly after looking at the real answer (<see cref="ScriptedCall.ForwardAsync()"/>).</summary>
    public void Answer(short apiKey, Func<ScriptedCall, ValueTask<ScriptedReply>> answer) => _scripts[apiKey] = answer;

    /// <summary>Ends every open client connection (and its relayed one) — with a reset instead of a FIN
    /// when <paramref name="reset"/> — as a broker that restarts or crashes does.</summary>
    public void CloseConnections(bool reset = false)
    {
        foreach (var connection in _connections.Values)
        {
            connection.Abort(reset);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        lock (_ports)
        {
            _listener.Stop();
            foreach (var port in _ports.Values)
            {
                port.Stop();
            }
        }

        CloseConnections();
        await Task.WhenAll(_tasks);
        _stop.Dispose();
    }

    internal async Task<IKafkaResponse> ForwardAsync(ScriptedCall call)
    {
        var answer = await call.Connection.ForwardAsync(call.Frame, expectAnswer: true, _stop.Token);
        var response = KafkaWireClient.Decode(answer!, call.ApiKey, call.ApiVersion, call.CorrelationId);
        Adjust(response, call.ApiVersion);
        return response;
    }

    private TcpListener Listen(EndPoint? upstream)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _tasks.Add(Task.Run(() => AcceptAsync(listener, upstream)));
        return listener;
    }

    private async Task AcceptAsync(TcpListener listener, EndPoint? upstream)
    {
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync(_stop.Token);
                socket.NoDelay = true;
                var connection = new ScriptedConnection(Interlocked.Increment(ref _nextConnectionId), socket, port, upstream);
                _connections[connection.Id] = connection;
                _tasks.Add(Task.Run(() => ServeAsync(connection)));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(ScriptedConnection connection)
    {
        try
        {
            await connection.StartAsync(_certificate, _stop.Token);
            var frames = new KafkaFrameReader(PipeReader.Create(connection.Stream), ScriptedConnection.MaxFrameBytes);
            while (true)
            {
                byte[] bytes;
                using (var frame = await frames.ReadAsync(_stop.Token))
                {
                    if (frame is null)
                    {
                        return;
                    }

                    bytes = frame.Memory.ToArray();
                }

                var call = Read(connection, bytes);
                _received.Enqueue(call);
                if (!await connection.ReplyAsync(call, await ReplyToAsync(call), _stop.Token))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException
            or KafkaDecodeException or FrameTooLargeException or System.Security.Authentication.AuthenticationException)
        {
            // The client went away or sent what no broker can read (the connection ends, as with Kafka),
            // the real node went away, or the broker is stopping.
        }
        catch (Exception e)
        {
            _failures.Enqueue(e);
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            await connection.DisposeAsync();
        }
    }

    private ScriptedCall Read(ScriptedConnection connection, byte[] frame)
    {
        var reader = new KafkaReader(frame);
        var header = RequestHeader.Read(ref reader);
        IKafkaRequest? request = null;
        if (ApiMessages.Find(header.ApiKey) is { } api && api.Supports(header.ApiVersion))
        {
            request = ApiMessages.CreateRequest(header.ApiKey)!;
            try
            {
                request.Read(ref reader, header.ApiVersion);
            }
            catch (KafkaDecodeException)
            {
                // A body the codec cannot read is still recorded, and relayed as it is.
                request = null;
            }
        }

        return new ScriptedCall(this, connection, header, request, frame);
    }

    private async Task<ScriptedReply> ReplyToAsync(ScriptedCall call)
    {
        if (_scripts.TryGetValue(call.ApiKey, out var script) && await script(call) is { Kind: not ScriptedReply.ReplyKind.Default } scripted)
        {
            return scripted;
        }

        return call.Connection.Relays ? await RelayAsync(call) : BuiltIn(call);
    }

    private async Task<ScriptedReply> RelayAsync(ScriptedCall call)
    {
        if (call.Request is ProduceRequest { Acks: 0 })
        {
            await call.Connection.ForwardAsync(call.Frame, expectAnswer: false, _stop.Token);
            return ScriptedReply.Silence;
        }

        var answer = (await call.Connection.ForwardAsync(call.Frame, expectAnswer: true, _stop.Token))!;
        var adjusts = call.ApiKey == ApiVersionsRequest.Key ? !_advertised.IsEmpty : BrokerAddressRewriter.CarriesAddresses(call.ApiKey, call.ApiVersion);
        if (!adjusts || call.Request is null)
        {
            return ScriptedReply.WithBytes(answer);
        }

        IKafkaResponse response;
        try
        {
            response = KafkaWireClient.Decode(answer, call.ApiKey, call.ApiVersion, call.CorrelationId);
        }
        catch (KafkaDecodeException)
        {
            // Kafka answers a too-new ApiVersions in v0 whatever was asked: pass it on as it is.
            return ScriptedReply.WithBytes(answer);
        }

        Adjust(response, call.ApiVersion);
        return ScriptedReply.With(response);
    }

    private void Adjust(IKafkaResponse response, short version)
    {
        if (response is ApiVersionsResponse versions)
        {
            foreach (var (key, range) in _advertised)
            {
                versions.ApiKeys.RemoveAll(k => k.ApiKey == key);
                if (range is { } offered)
                {
                    versions.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = key, MinVersion = offered.Min, MaxVersion = offered.Max });
                }
            }

            versions.ApiKeys.Sort((a, b) => a.ApiKey.CompareTo(b.ApiKey));
            return;
        }

        BrokerAddressRewriter.Rewrite(response, version, PortFor);
    }

    /// <summary>The local port standing for the real node at (host, port), opened the first time an
    /// answer names that node.</summary>
    private IPEndPoint PortFor(string host, int port)
    {
        lock (_ports)
        {
            var key = $"{host}:{port}";
            if (!_ports.TryGetValue(key, out var listener))
            {
                listener = Listen(ToEndPoint(host, port));
                _ports[key] = listener;
            }

            return (IPEndPoint)listener.LocalEndpoint;
        }
    }

    private ScriptedReply BuiltIn(ScriptedCall call) => call.Request switch
    {
        ApiVersionsRequest => ScriptedReply.With(new ApiVersionsResponse
        {
            ApiKeys = [.. _advertised
                .Where(a => a.Value is not null)
                .OrderBy(a => a.Key)
                .Select(a => new ApiVersionsResponse.ApiVersion { ApiKey = a.Key, MinVersion = a.Value!.Value.Min, MaxVersion = a.Value.Value.Max })],
        }),
        MetadataRequest metadata => ScriptedReply.With(new MetadataResponse
        {
            Brokers = [new MetadataResponse.MetadataResponseBroker { NodeId = NodeId, Host = EndPoint.Address.ToString(), Port = EndPoint.Port }],
            ClusterId = ClusterId,
            ControllerId = NodeId,
            Topics = [.. (metadata.Topics?.Select(t => t.Name ?? "") ?? _topics.Keys.Order(StringComparer.Ordinal)).Select(Topic)],
        }),
        FindCoordinatorRequest find => ScriptedReply.With(call.ApiVersion < 4
            ? new FindCoordinatorResponse { NodeId = NodeId, Host = EndPoint.Address.ToString(), Port = EndPoint.Port }
            : new FindCoordinatorResponse
            {
                Coordinators = [.. find.CoordinatorKeys.Select(key => new FindCoordinatorResponse.Coordinator { Key = key, NodeId = NodeId, Host = EndPoint.Address.ToString(), Port = EndPoint.Port })],
            }),
        DescribeClusterRequest => ScriptedReply.With(new DescribeClusterResponse
        {
            ClusterId = ClusterId,
            ControllerId = NodeId,
            Brokers = [new DescribeClusterResponse.DescribeClusterBroker { BrokerId = NodeId, Host = EndPoint.Address.ToString(), Port = EndPoint.Port }],
        }),
        _ => ScriptedReply.Close,
    };

    private MetadataResponse.MetadataResponseTopic Topic(string name) => _topics.TryGetValue(name, out var topic)
        ? new MetadataResponse.MetadataResponseTopic
        {
            Name = name,
            TopicId = topic.Id,
            Partitions = [.. Enumerable.Range(0, topic.Partitions).Select(p => new MetadataResponse.MetadataResponsePartition
            {
                PartitionIndex = p,
                LeaderId = NodeId,
                LeaderEpoch = 0,
                ReplicaNodes = [NodeId],
                IsrNodes = [NodeId],
            })],
        }
        : new MetadataResponse.MetadataResponseTopic { Name = name, ErrorCode = UnknownTopicOrPartition };

    private static string Key(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint ip => $"{ip.Address}:{ip.Port}",
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endPoint.ToString() ?? "",
    };

    private static EndPoint ToEndPoint(string host, int port) =>
        IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
}
