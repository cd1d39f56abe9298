using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PartnerZones.Testing;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 that answers what a test scripts, and records every request it
/// got: a stand-in for whatever a URL in a configuration may point at (a server answering the wrong JSON,
/// an HTML error page, an endless body, a body cut off half way). It speaks only what such tests need:
/// one request per connection, bodies by Content-Length, and closes each connection after answering.
/// </summary>
public sealed class ScriptedHttpServer : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<ScriptedRequest, ScriptedResponse> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ScriptedHttpServer(Func<ScriptedRequest, ScriptedResponse> answer)
    {
        _answer = answer;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The server's address, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Every request received so far, in order.</summary>
    public ConcurrentQueue<ScriptedRequest> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            timeout.CancelAfter(ReadTimeout);
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, timeout.Token);
                if (request is null)
                {
                    return;
                }

                Requests.Enqueue(request);
                await WriteAsync(stream, _answer(request), _stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away (as it should, for an answer too large to read): nothing to do.
            }
        }
    }

    private static async Task<ScriptedRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 64 * 1024)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return null;
            }

            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                break;
            }
        }

        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var start = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        var body = Array.Empty<byte>();
        if (headers.TryGetValue("Content-Length", out var length) && int.TryParse(length, out var count) && count > 0)
        {
            body = new byte[Math.Min(count, 1024 * 1024)];
            await stream.ReadExactlyAsync(body, cancellationToken);
        }

        return new ScriptedRequest(start[0], start.Length > 1 ? start[1] : "", headers, Encoding.UTF8.GetString(body));
    }

    private static async Task WriteAsync(NetworkStream stream, ScriptedResponse answer, CancellationToken cancellationToken)
    {
        var declared = answer.DeclaredLength ?? answer.Body.Length + answer.EndlessBytes;
        var head = $"HTTP/1.1 {answer.Status} Scripted\r\nContent-Type: {answer.ContentType}\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        await stream.WriteAsync(answer.Body, cancellationToken);
        var filler = new byte[64 * 1024];
        Array.Fill(filler, (byte)' ');
        for (long sent = 0; sent < answer.EndlessBytes; sent += filler.Length)
        {
            await stream.WriteAsync(filler.AsMemory(0, (int)Math.Min(filler.Length, answer.EndlessBytes - sent)), cancellationToken);
        }

        await stream.FlushAsync(cancellationToken);
    }
}

/// <summary>A request as the server read it; <see cref="Target"/> is the request line's path and query as sent.</summary>
public sealed record ScriptedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Authorization => Headers.GetValueOrDefault("Authorization");
}

/// <summary>
/// An answer: <see cref="Body"/>, then <see cref="EndlessBytes"/> spaces (a body larger than any reader
/// should take). <see cref="DeclaredLength"/> overrides Content-Length, e.g. larger than what is sent, so
/// the body is cut off when the connection closes.
/// </summary>
public sealed record ScriptedResponse(int Status, byte[] Body, string ContentType = "application/json", long EndlessBytes = 0, long? DeclaredLength = null)
{
    public static ScriptedResponse Json(int status, string json) => new(status, Encoding.UTF8.GetBytes(json));

    public static ScriptedResponse Text(int status, string text, string contentType = "text/html") => new(status, Encoding.UTF8.GetBytes(text), contentType);
}
