using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Testing.KafkaWire;

/// <summary>One request a <see cref="ScriptedBroker"/> received: what a script decides on, and what a
/// test reads back afterwards from <see cref="ScriptedBroker.Received"/>.</summary>
public sealed class ScriptedCall
{
    private readonly ScriptedBroker _broker;

    internal ScriptedCall(ScriptedBroker broker, ScriptedConnection connection, RequestHeader header, IKafkaRequest? request, byte[] frame)
    {
        _broker = broker;
        Connection = connection;
        ApiKey = header.ApiKey;
        ApiVersion = header.ApiVersion;
        CorrelationId = header.CorrelationId;
        ClientId = header.ClientId;
        Request = request;
        Frame = frame;
    }

    public short ApiKey { get; }

    public short ApiVersion { get; }

    public int CorrelationId { get; }

    public string? ClientId { get; }

    /// <summary>The decoded body, or null when no codec reads this API key and version.</summary>
    public IKafkaRequest? Request { get; }

    /// <summary>The request as received: header and body, without the size prefix.</summary>
    public ReadOnlyMemory<byte> Frame { get; }

    /// <summary>Which client connection sent it (numbered from 1 in the order they were accepted).</summary>
    public int ConnectionId => Connection.Id;

    /// <summary>The broker port it arrived on: in relay mode, one port stands for each real node.</summary>
    public int ListenPort => Connection.ListenPort;

    internal ScriptedConnection Connection { get; }

    /// <summary>Relay mode only: the real cluster's answer to this request, decoded, with its broker
    /// addresses already pointing back at the scripted broker — for scripts that change part of it, or
    /// answer on their own only at first.</summary>
    public Task<IKafkaResponse> ForwardAsync() => _broker.ForwardAsync(this);

    public async Task<TResponse> ForwardAsync<TResponse>()
        where TResponse : IKafkaResponse => (TResponse)await ForwardAsync();

    public override string ToString() => $"{KafkaWireClient.Describe(ApiKey, ApiVersion)} (correlation {CorrelationId}, connection {ConnectionId})";
}
