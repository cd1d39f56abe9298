using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.State;

/// <summary>
/// The gateway's state, kept in a compacted single-partition topic of the backing cluster. Every
/// instance reads it from the start on boot and then follows it on a thread of its own, publishing a new
/// <see cref="GatewayState"/> whenever it has caught up with what it read; every instance applies the
/// same records in the same order, so all agree. A write is answered once this instance has applied and
/// published it. A resource's version is the offset of the record that last wrote it.
/// </summary>
public sealed partial class StateStore : IAsyncDisposable
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(30);

    private readonly StateConfig _config;
    private readonly ILogger _logger;
    private readonly Action<GatewayState> _publish;
    private readonly GatewaySpec _spec;
    private readonly string _instance;
    private readonly GatewayMetrics? _metrics;
    private readonly Lock _producerGate = new();
    private IProducer<string, byte[]?> _producer;
    private string? _fatal;
    private string? _writerProblem;
    private readonly IConsumer<string, byte[]?> _consumer;
    private readonly TopicPartition _partition;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, StateEntry<PartnerZone>> _zones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StateEntry<ServiceAccount>> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StateEntry<Credential>> _credentials = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly List<(long Offset, TaskCompletionSource Done)> _waiters = [];
    private readonly SemaphoreSlim _writes = new(1, 1);
    private GatewayState _state = GatewayState.Empty;
    private long _published = -1;
    private Task? _follower;

    private StateStore(GatewaySpec spec, string instance, ILogger logger, Action<GatewayState> publish, GatewayMetrics? metrics)
    {
        _config = spec.State;
        _spec = spec;
        _instance = instance;
        _metrics = metrics;
        _logger = logger;
        _publish = publish;
        _partition = new TopicPartition(_config.Topic, 0);
        _producer = CreateProducer();
        _consumer = new ConsumerBuilder<string, byte[]?>(KafkaClientSettings.Apply(new ConsumerConfig
        {
            // Never joins the group or commits: the partition is assigned and always read from the start.
            GroupId = $"partner-zones-gateway-state-{instance}",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            FetchWaitMaxMs = 100,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }, spec.State.Cluster ?? spec.Upstream, $"partner-zones-gateway-{instance}"))
            .SetLogHandler((_, m) => ClientLog(m))
            .Build();
    }

    /// <summary>The latest state this instance has applied.</summary>
    public GatewayState State => Volatile.Read(ref _state);

    /// <summary>Offsets below this one are applied and published.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Why the last write to the state topic failed, until a write succeeds; null while writes work.
    /// Readiness reports it: a gateway that cannot write cannot take a revocation.</summary>
    public string? WriterProblem => Volatile.Read(ref _writerProblem);

    /// <summary>For readiness: the writer's problem, or null. A problem clears once the state topic answers
    /// again (and no fatal producer is waiting to be replaced), so a gateway is not held unready until the
    /// next admin write happens to come along.</summary>
    public async Task<string?> WriterProblemAsync(CancellationToken cancellationToken)
    {
        if (WriterProblem is not { } problem)
        {
            return null;
        }

        try
        {
            await Task.Run(() => _consumer.QueryWatermarkOffsets(_partition, TimeSpan.FromSeconds(2)), cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException)
        {
            return problem;
        }

        if (Volatile.Read(ref _fatal) is not null)
        {
            return problem;
        }

        Interlocked.CompareExchange(ref _writerProblem, null, problem);
        return null;
    }

    /// <summary>Creates the topics when missing, reads the state topic to its end and starts following it.</summary>
    public static async Task<StateStore> OpenAsync(
        GatewaySpec spec, string instance, ILogger logger, Action<GatewayState> publish, CancellationToken cancellationToken, GatewayMetrics? metrics = null)
    {
        await StateTopics.EnsureAsync(spec).ConfigureAwait(false);
        var store = new StateStore(spec, instance, logger, publish, metrics);
        try
        {
            store._consumer.Assign(new TopicPartitionOffset(store._partition, Offset.Beginning));
            store._follower = Task.Factory.StartNew(store.Follow, TaskCreationOptions.LongRunning);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(LoadTimeout);
            try
            {
                await store.SyncAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new StateStoreException($"The state topic {spec.State.Topic} could not be read within {LoadTimeout.TotalSeconds:0} s; check that the backing cluster serves it.");
            }

            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until everything written to the state topic before this call is applied here, so a
    /// check that follows sees every write any instance has made.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var end = await Task.Run(() => _consumer.QueryWatermarkOffsets(_partition, TimeSpan.FromSeconds(10)).High.Value, cancellationToken).ConfigureAwait(false);
        await WaitForAsync(end, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes records (key, resource; a null resource deletes) one instance-wide write at a time, and
    /// returns once this instance has applied them. <paramref name="check"/> runs first against the
    /// caught-up state and may refuse by throwing; a refused write writes nothing.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<GatewayState, (IReadOnlyList<(string Key, object? Resource)> Records, T Result)> check, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SyncAsync(cancellationToken).ConfigureAwait(false);
            var (records, result) = check(State);
            long last = -1;
            var replaced = 0;
            for (var i = 0; i < records.Count;)
            {
                var (key, resource) = records[i];
                var message = new Message<string, byte[]?> { Key = key, Value = resource is null ? null : StateCodec.Encode(resource) };
                var producer = Producer();
                try
                {
                    var delivered = await producer.ProduceAsync(_config.Topic, message, cancellationToken).ConfigureAwait(false);
                    last = delivered.Offset.Value;
                    i++;
                }
                catch (ProduceException<string, byte[]?> e) when (replaced < MaxProducerReplacements && NeedsNewProducer(producer, e.Error))
                {
                    // The records before this one are written; this one and the rest go through a new producer.
                    replaced++;
                    ReplaceProducer(producer, e.Error.Reason);
                }
            }

            if (last >= 0)
            {
                using var applied = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                applied.CancelAfter(ApplyTimeout);
                try
                {
                    await WaitForAsync(last + 1, applied.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new StateStoreException($"The change was written to {_config.Topic} but this instance has not read it back within {ApplyTimeout.TotalSeconds:0} s; it will apply once the cluster answers again.");
                }
            }

            Volatile.Write(ref _writerProblem, null);
            return result;
        }
        catch (ProduceException<string, byte[]?> e)
        {
            var problem = $"The state topic {_config.Topic} refused the write: {e.Error.Reason}.";
            Volatile.Write(ref _writerProblem, problem);
            _metrics?.StateWriteFailed();
            throw new StateStoreException(problem, e);
        }
        catch (KafkaException e)
        {
            // The state topic's cluster did not answer (catching up before the write): the write is not
            // taken, and readiness says so until one is.
            Volatile.Write(ref _writerProblem, $"The state topic {_config.Topic} could not be read or written: {e.Error.Reason}.");
            _metrics?.StateWriteFailed();
            throw;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Queues an audit record; throws when the producer's queue is full. A producer that has
    /// failed fatally is replaced first, so audit records do not stop with it.</summary>
    public void Audit(string? key, byte[] value)
    {
        var producer = Producer();
        if (Volatile.Read(ref _fatal) is { } fatal)
        {
            producer = ReplaceProducer(producer, fatal);
        }

        producer.Produce(_config.AuditTopic, new Message<string, byte[]?> { Key = key!, Value = value });
    }

    /// <summary>How often one write may replace the producer before it gives up.</summary>
    private const int MaxProducerReplacements = 2;

    private IProducer<string, byte[]?> Producer()
    {
        lock (_producerGate)
        {
            return _producer;
        }
    }

    /// <summary>An idempotent producer for the state and audit topics. Its fatal errors are remembered, so
    /// the next write replaces it instead of failing forever.</summary>
    private IProducer<string, byte[]?> CreateProducer() =>
        new ProducerBuilder<string, byte[]?>(KafkaClientSettings.Apply(new ProducerConfig
        {
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 2,
            MessageTimeoutMs = 30_000,
        }, _spec.State.Cluster ?? _spec.Upstream, $"partner-zones-gateway-{_instance}"))
            .SetLogHandler((_, m) => ClientLog(m))
            .SetErrorHandler((_, e) =>
            {
                if (e.IsFatal)
                {
                    Volatile.Write(ref _fatal, e.Reason);
                }
            })
            .Build();

    /// <summary>Whether a failed produce means this producer can write no more: librdkafka reported it
    /// fatal, or the broker no longer accepts its producer id, epoch or sequence (the broker restarted
    /// from older data, lost its producer state, or fenced it). A new producer gets a new id and starts clean.</summary>
    private bool NeedsNewProducer(IProducer<string, byte[]?> producer, Error error) =>
        error.IsFatal
        || error.Code is ErrorCode.Local_Fatal or ErrorCode.OutOfOrderSequenceNumber or ErrorCode.UnknownProducerId
            or ErrorCode.InvalidProducerEpoch or ErrorCode.InvalidProducerIdMapping or ErrorCode.ProducerFenced
        || (ReferenceEquals(producer, Producer()) && Volatile.Read(ref _fatal) is not null);

    /// <summary>Replaces <paramref name="failed"/> (unless another caller already did), logs and counts it
    /// once, and returns the producer to use.</summary>
    private IProducer<string, byte[]?> ReplaceProducer(IProducer<string, byte[]?> failed, string reason)
    {
        lock (_producerGate)
        {
            if (!ReferenceEquals(_producer, failed))
            {
                return _producer;
            }

            ProducerReplaced(_logger, _config.Topic, reason);
            _metrics?.StateWriteFailed();
            _producer = CreateProducer();
            Volatile.Write(ref _fatal, null);
        }

        // A fatal producer may hang while closing; it holds nothing this store still needs.
        _ = Task.Run(() =>
        {
            failed.Flush(TimeSpan.FromSeconds(1));
            failed.Dispose();
        });
        return Producer();
    }

    private Task WaitForAsync(long offset, CancellationToken cancellationToken)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (_published >= offset)
            {
                return Task.CompletedTask;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((offset, done));
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    private void Follow()
    {
        var next = 0L;
        var dirty = true;
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            ConsumeResult<string, byte[]?>? result;
            try
            {
                result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException e)
            {
                ConsumeFailed(_logger, _config.Topic, e.Error.Reason);
                token.WaitHandle.WaitOne(500);
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }

            if (result is not null && result.Offset.Value < next)
            {
                // The topic went back (the backing cluster was restored from older data, or lost its tail):
                // the consumer starts again from the beginning, and so does the state built from it.
                StateTopicRewound(_logger, _config.Topic, next, result.Offset.Value);
                _zones.Clear();
                _accounts.Clear();
                _credentials.Clear();
                lock (_gate)
                {
                    _published = Math.Min(_published, result.Offset.Value);
                }

                dirty = true;
            }

            if (result is null || result.IsPartitionEOF)
            {
                if (result is not null)
                {
                    next = result.Offset.Value;
                }

                if (dirty || (result is not null && next > Published))
                {
                    Publish(next);
                    dirty = false;
                }

                continue;
            }

            Apply(result);
            next = result.Offset.Value + 1;
            dirty = true;
            if (next - Published >= 1000)
            {
                // A long backlog: publish now and then so writers waiting on early offsets are not held.
                Publish(next);
                dirty = false;
            }
        }
    }

    private void Apply(ConsumeResult<string, byte[]?> result)
    {
        var key = result.Message.Key ?? "";
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (kind, name) = slash > 0 ? (key[..slash], key[(slash + 1)..]) : ("", key);
        object? resource;
        try
        {
            resource = StateCodec.Decode(kind, result.Message.Value);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            RecordIgnored(_logger, result.Offset.Value, key, e.Message);
            return;
        }

        if (resource is not null && Problem(resource) is { } problem)
        {
            // Written by hand or by a broken tool: applying it could stop this instance from following.
            RecordIgnored(_logger, result.Offset.Value, key, problem);
            return;
        }

        var version = result.Offset.Value;
        var at = result.Message.Timestamp.Type == TimestampType.NotAvailable ? (DateTimeOffset?)null : result.Message.Timestamp.UtcDateTime;
        switch (resource)
        {
            case null when kind == PartnerZone.KindName:
                _zones.Remove(name);
                break;
            case null when kind == ServiceAccount.KindName:
                _accounts.Remove(name);
                break;
            case null:
                _credentials.Remove(name);
                break;
            case PartnerZone zone when zone.Metadata.Name == name:
                _zones[name] = new StateEntry<PartnerZone>(zone, version, at);
                break;
            case ServiceAccount account when account.Metadata.Name == name:
                _accounts[name] = new StateEntry<ServiceAccount>(account, version, at);
                break;
            case Credential credential when credential.Metadata.Name == name:
                _credentials[name] = new StateEntry<Credential>(credential, version, at);
                break;
            default:
                RecordIgnored(_logger, version, key, "the key does not match the resource's kind and name");
                break;
        }
    }

    /// <summary>Why a record's resource cannot be applied, or null. Gateways only write valid resources;
    /// this guards against records written by other tools.</summary>
    private static string? Problem(object resource)
    {
        try
        {
            return resource switch
            {
                PartnerZone zone => PartnerZoneValidator.Validate(zone).FirstOrDefault(),
                ServiceAccount account => GatewayState.ValidateAccount(account).FirstOrDefault(),
                Credential credential => string.IsNullOrEmpty(credential.Spec.ServiceAccount) ? "no service account" : Security.SecretHash.Problem(credential.Spec.SecretHash),
                _ => "unknown resource",
            };
        }
        catch (NullReferenceException)
        {
            return "a required part of the resource is null";
        }
    }

    private void Publish(long next)
    {
        var state = new GatewayState(_zones.Values, _accounts.Values, _credentials.Values, State);
        Volatile.Write(ref _state, state);
        try
        {
            _publish(state);
        }
        catch (Exception e)
        {
            PublishFailed(_logger, e);
        }

        lock (_gate)
        {
            _published = next;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Offset <= next)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private void ClientLog(LogMessage message)
    {
        if (message.Level <= SyslogLevel.Warning)
        {
            KafkaClientMessage(_logger, message.Name, message.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_follower is not null)
        {
            await _follower.ConfigureAwait(false);
        }

        // With the cluster gone, closing the clients can take long: give it a bounded time, then move on.
        var closing = Task.Run(() =>
        {
            _consumer.Close();
            _consumer.Dispose();
            var producer = Producer();
            producer.Flush(TimeSpan.FromSeconds(5));
            producer.Dispose();
        });
        await Task.WhenAny(closing, Task.Delay(TimeSpan.FromSeconds(15))).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var (_, done) in _waiters)
            {
                done.TrySetCanceled();
            }

            _waiters.Clear();
        }

        _writes.Dispose();
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "reading the state topic {Topic} failed: {Reason}; retrying")]
    private static partial void ConsumeFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "state record at offset {Offset} (key {Key}) ignored: {Reason}")]
    private static partial void RecordIgnored(ILogger logger, long offset, string key, string reason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "applying a new state failed")]
    private static partial void PublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "the state topic {Topic} went back from offset {Was} to {Now}; reading it again from the start")]
    private static partial void StateTopicRewound(ILogger logger, string topic, long was, long now);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "the producer writing {Topic} failed ({Reason}); replaced it with a new one and retrying")]
    private static partial void ProducerReplaced(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "state topic client {Client}: {Message}")]
    private static partial void KafkaClientMessage(ILogger logger, string client, string message);
}
