namespace PartnerZones.Protocol.Framing;

/// <summary>A size prefix above the connection's limit (or negative). The connection must be closed: the
/// stream cannot be resynchronised, and the body is never read.</summary>
public sealed class FrameTooLargeException(int declaredSize, int limit)
    : Exception(declaredSize < 0
        ? $"Frame size {declaredSize} is negative; the peer is not speaking the Kafka protocol (a TLS client on a plaintext port looks like this)."
        : $"Frame of {declaredSize} bytes is over the limit of {limit} bytes; raise the frame limit if this client is trusted, otherwise it is not speaking the Kafka protocol (a TLS handshake read as plaintext claims a frame of about 350 MB).")
{
    public int DeclaredSize { get; } = declaredSize;

    public int Limit { get; } = limit;
}
