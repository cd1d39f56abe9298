using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>Something of the backing cluster a partner must never learn, as the bytes it would take on the wire.</summary>
internal sealed record Secret(string Label, byte[] Bytes)
{
    public static Secret Text(string label, string value) => new($"{label} '{value}'", Encoding.UTF8.GetBytes(value));

    /// <summary>A topic id as Kafka encodes a UUID: 16 bytes, most significant first.</summary>
    public static Secret Uuid(string label, Guid value)
    {
        var bytes = new byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return new($"{label} {value}", bytes);
    }

    /// <summary>A broker address as text ("host:port") and as a response carries it: the host string's
    /// bytes followed at once by the port as a 4-byte big-endian int (Metadata, FindCoordinator,
    /// DescribeCluster and node endpoints all lay a broker out this way).</summary>
    public static IEnumerable<Secret> Address(string label, string host, int port)
    {
        yield return Text(label, $"{host}:{port}");
        var hostBytes = Encoding.UTF8.GetBytes(host);
        var binary = new byte[hostBytes.Length + 4];
        hostBytes.CopyTo(binary, 0);
        BinaryPrimitives.WriteInt32BigEndian(binary.AsSpan(hostBytes.Length), port);
        yield return new($"{label} {host} + port {port} as int32", binary);
    }

    public static IEnumerable<Secret> Addresses(string label, IEnumerable<IPEndPoint> endPoints, params string[] hosts) =>
        endPoints.SelectMany(e => hosts.Append(e.Address.ToString()).Distinct().SelectMany(h => Address(label, h, e.Port)));
}

/// <summary>
/// Finds secrets in bytes sent to a client. A response may repeat what its request said (Kafka answers
/// name the topic or group they answer for), so a secret may appear in a response at most as often as
/// the partner itself put it in the request; any extra occurrence came from upstream.
/// </summary>
internal sealed class LeakScanner(IReadOnlyList<Secret> secrets)
{
    public IReadOnlyList<Secret> Secrets { get; } = secrets;

    public void AssertNoLeak(byte[] request, byte[] response, string context)
    {
        foreach (var secret in Secrets)
        {
            var echoed = Count(request, secret.Bytes);
            var found = Count(response, secret.Bytes);
            Assert.True(found <= echoed, $"{context}: the response carries {secret.Label} {found} time(s); the request named it {echoed} time(s).");
        }
    }

    /// <summary>Asserts that none of the secrets occurs anywhere in <paramref name="bytes"/>.</summary>
    public void AssertAbsent(ReadOnlySpan<byte> bytes, string context)
    {
        foreach (var secret in Secrets)
        {
            var at = bytes.IndexOf(secret.Bytes);
            Assert.True(at < 0, $"{context}: {secret.Label} found at byte {at} of {bytes.Length}.");
        }
    }

    public static int Count(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        var count = 0;
        while (needle.Length > 0 && haystack.IndexOf(needle) is var at and >= 0)
        {
            count++;
            haystack = haystack[(at + needle.Length)..];
        }

        return count;
    }
}
