using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PartnerZones.Testing;

/// <summary>
/// One HTTP/1.1 request sent byte for byte as written: the request target is not parsed, normalised or
/// re-encoded the way HttpClient and System.Uri do, so tests can send the path spellings an attacker would
/// (<c>/%47ateway</c>, <c>//admin</c>, <c>/./gateway</c>) and see what the server makes of them.
/// </summary>
public static class RawHttp
{
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>Sends <paramref name="method"/> <paramref name="target"/> to 127.0.0.1:<paramref name="port"/>,
    /// optionally from another loopback <paramref name="source"/> address, and reads the whole answer.</summary>
    public static async Task<Response> SendAsync(
        int port, string method, string target, string? body = null, string? authorization = null, IPAddress? source = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (source is not null)
        {
            socket.Bind(new IPEndPoint(source, 0));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var content = Encoding.UTF8.GetBytes(body ?? "");
        var head = new StringBuilder()
            .Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n")
            .Append("Host: 127.0.0.1:").Append(port).Append("\r\n")
            .Append("Connection: close\r\n");
        if (authorization is not null)
        {
            head.Append("Authorization: ").Append(authorization).Append("\r\n");
        }

        if (body is not null)
        {
            head.Append("Content-Type: application/json\r\n");
        }

        head.Append("Content-Length: ").Append(content.Length).Append("\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), timeout.Token);
        await stream.WriteAsync(content, timeout.Token);

        using var answer = new MemoryStream();
        await stream.CopyToAsync(answer, timeout.Token);
        return Parse(Encoding.UTF8.GetString(answer.ToArray()));
    }

    /// <summary>The value of an HTTP Basic Authorization header.</summary>
    public static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static Response Parse(string text)
    {
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lines = (split < 0 ? text : text[..split]).Split("\r\n");
        var status = lines[0].Split(' ') is [_, var code, ..] && int.TryParse(code, out var parsed)
            ? parsed
            : throw new InvalidDataException($"Not an HTTP answer: '{lines[0]}'");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        var body = split < 0 ? "" : text[(split + 4)..];
        // Chunked answers: keep the chunks' data, drop their size lines.
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var data = new StringBuilder();
            var rest = body;
            while (rest.IndexOf("\r\n", StringComparison.Ordinal) is var end and > 0
                && int.TryParse(rest[..end], System.Globalization.NumberStyles.HexNumber, null, out var size) && size > 0)
            {
                data.Append(rest.AsSpan(end + 2, Math.Min(size, rest.Length - end - 2)));
                rest = rest[Math.Min(rest.Length, end + 2 + size + 2)..];
            }

            body = data.ToString();
        }

        return new Response(status, headers, body);
    }
}
