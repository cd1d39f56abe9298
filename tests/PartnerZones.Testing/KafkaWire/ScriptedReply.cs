using PartnerZones.Protocol.Messages;

namespace PartnerZones.Testing.KafkaWire;

/// <summary>What a <see cref="ScriptedBroker"/> does with one request: answer it (typed, or with bytes
/// no codec would write), stay silent, close the connection, or leave it to the broker's default.</summary>
public sealed class ScriptedReply
{
    private ScriptedReply(ReplyKind kind, IKafkaResponse? response = null, ReadOnlyMemory<byte> bytes = default)
    {
        Kind = kind;
        Response = response;
        Bytes = bytes;
    }

    internal enum ReplyKind
    {
        Response,
        Body,
        Bytes,
        Silence,
        Close,
        Default,
    }

    /// <summary>Not scripted after all: the broker answers as it would without the script (relayed to the
    /// real cluster, or its built-in answer, or a closed connection).</summary>
    public static ScriptedReply Default { get; } = new(ReplyKind.Default);

    /// <summary>No answer, and the connection goes on (a produce with acks=0, a broker that hangs).</summary>
    public static ScriptedReply Silence { get; } = new(ReplyKind.Silence);

    /// <summary>The connection is closed instead of answered, as a broker does with what it refuses to read.</summary>
    public static ScriptedReply Close { get; } = new(ReplyKind.Close);

    internal ReplyKind Kind { get; }

    internal IKafkaResponse? Response { get; }

    internal ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>This response, encoded at the request's version behind the matching response header.</summary>
    public static ScriptedReply With(IKafkaResponse response) => new(ReplyKind.Response, response);

    /// <summary>These body bytes behind a correct size prefix and response header (a body no codec would write).</summary>
    public static ScriptedReply WithBody(ReadOnlyMemory<byte> body) => new(ReplyKind.Body, bytes: body);

    /// <summary>Exactly these bytes on the wire, size prefix and header included (a malformed answer).</summary>
    public static ScriptedReply WithBytes(ReadOnlyMemory<byte> wire) => new(ReplyKind.Bytes, bytes: wire);
}
