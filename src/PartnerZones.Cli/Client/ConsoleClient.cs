using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace PartnerZones.Cli.Client;

/// <summary>HTTP to the console. Refusals come back as <see cref="ConsoleResponse"/>s with the console's
/// message; an unreachable console, a timeout or a rejected key become one <see cref="CliFailure"/> line,
/// because every further request would fail the same way.</summary>
internal sealed class ConsoleClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http;
    private readonly Uri _baseUrl;

    private ConsoleClient(Uri baseUrl, AuthenticationHeaderValue authorization)
    {
        _baseUrl = baseUrl;
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = RequestTimeout };
        _http.DefaultRequestHeaders.Authorization = authorization;
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("pz", typeof(ConsoleClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    public static ConsoleClient WithApiKey(Uri baseUrl, string apiKey) => new(baseUrl, new AuthenticationHeaderValue("Bearer", apiKey));

    public static ConsoleClient AsAdmin(Uri baseUrl, string user, string password) =>
        new(baseUrl, new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))));

    public async Task<ConsoleResponse> SendAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            var why = e.InnerException is SocketException socket ? socket.Message : e.Message;
            throw new CliFailure($"cannot reach the console at {_baseUrl.ToString().TrimEnd('/')} ({why}); start it (pz console --config FILE) or set PZ_BASE_URL.");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliFailure($"the console at {_baseUrl.ToString().TrimEnd('/')} did not answer within {RequestTimeout.TotalSeconds:0} s.");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var answer = new ConsoleResponse(response.StatusCode, body);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new CliFailure($"the console refused the credentials: {answer.Message}");
            }

            if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge)
            {
                throw new CliFailure(RequestSizes.Refused(json, answer.Message));
            }

            return answer;
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A console answer: status and body, and the human message of an error body.</summary>
internal sealed record ConsoleResponse(HttpStatusCode Status, string Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The error's <c>msg</c> (the console's JSON error shape), or the status and raw body.</summary>
    public string Message
    {
        get
        {
            try
            {
                using var document = JsonDocument.Parse(Body);
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String)
                {
                    return msg.GetString()!;
                }
            }
            catch (JsonException)
            {
            }

            return $"HTTP {(int)Status} {Status}{(Body.Length > 0 ? ": " + Body.Trim() : "")}";
        }
    }

    /// <summary>Every problem of a validation error, or the message alone.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            try
            {
                using var document = JsonDocument.Parse(Body);
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                {
                    return [.. errors.EnumerateArray().Select(e => e.GetString() ?? "")];
                }
            }
            catch (JsonException)
            {
            }

            return [Message];
        }
    }

    public JsonElement Json()
    {
        try
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CliFailure($"the console answered something that is not JSON ({e.Message}); is PZ_BASE_URL the console?");
        }
    }
}
