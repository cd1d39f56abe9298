using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Reconciliation;

/// <summary>
/// One request to a gateway's admin API (docs/gateway-admin-api.md) as the cluster's admin user, with
/// every way it can fail turned into a <see cref="GatewayAdminException"/> whose reason names the gateway,
/// the KafkaCluster and what to do: unreachable or too slow (retriable), credentials rejected (fix the
/// KafkaCluster), refused with the gateway's own message, or an answer that is not the admin API's.
/// Whatever answers at the cluster's URL is treated as untrusted: the URL must be a base URL
/// (<see cref="AdminApiUrl"/>), the path is built from escaped segments, at most
/// <see cref="MaxAnswerBytes"/> of an answer are read, and of a refusal only the gateway's own error
/// message is kept (<see cref="GatewayErrorText"/>).
/// </summary>
internal sealed class GatewayAdminCall(HttpClient http, TimeSpan timeout)
{
    /// <summary>Most bytes read of a 2xx answer. The admin API's answers are lists of zones or credentials,
    /// far below this even for a gateway with thousands of zones.</summary>
    public const int MaxAnswerBytes = 4 * 1024 * 1024;

    /// <summary>Most bytes read of a refusal: the gateway's error documents are a few hundred bytes.</summary>
    public const int MaxErrorBytes = 64 * 1024;

    public async Task<GatewayAnswer> SendAsync(KafkaCluster cluster, HttpMethod method, GatewayPath path, object? body, CancellationToken cancellationToken)
    {
        var admin = cluster.Spec.AdminApi;
        var name = cluster.Metadata.Name;
        var baseUrl = AdminApiUrl.Parse(admin.Url)
            ?? throw new GatewayAdminException(
                $"spec.adminApi.url '{AdminApiUrl.Describe(admin.Url)}' of KafkaCluster/{name} {AdminApiUrl.Problem(admin.Url)}; set it to the gateway's admin base URL, e.g. http://127.0.0.1:8888.",
                retriable: false);
        var url = admin.Url.TrimEnd('/');
        var origin = $"gateway admin API at {url} (KafkaCluster/{name})";

        using var request = new HttpRequestMessage(method, path.Under(baseUrl));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{admin.Username}:{admin.Password}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), ResourceJson.Options), Encoding.UTF8, "application/json");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        GatewayAdminException TimedOut() => new(
            $"{origin} did not answer {method} {path} within {timeout.TotalSeconds:0} s; check that the gateway is running and not overloaded.",
            retriable: true, failure: GatewayAdminFailure.Unreachable);

        HttpResponseMessage response;
        try
        {
            // Headers only: the body is read below, bounded, rather than buffered whole by the client.
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut();
        }
        catch (HttpRequestException e)
        {
            throw new GatewayAdminException(
                $"{origin} is unreachable: {SocketError(e)}; start the gateway or fix spec.adminApi.url.",
                retriable: true, e, GatewayAdminFailure.Unreachable);
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new GatewayAdminException(
                    $"admin credentials rejected by the gateway at {url} ({(int)response.StatusCode}); fix spec.adminApi.username/password of KafkaCluster/{name} to an admin user of the gateway's spec.admin.users.",
                    retriable: false, failure: GatewayAdminFailure.CredentialsRejected);
            }

            var status = (int)response.StatusCode;
            var ok = response.IsSuccessStatusCode;
            var limit = ok ? MaxAnswerBytes : MaxErrorBytes;
            byte[] bytes;
            bool tooLarge;
            try
            {
                (bytes, tooLarge) = await BoundedBody.ReadAsync(response.Content, limit, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw TimedOut();
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new GatewayAdminException(
                    $"{origin} answered {method} {path} with HTTP {status} but the body was cut off before its end; check the gateway and anything between it and the console (a proxy), or fix spec.adminApi.url.",
                    retriable: true, e);
            }

            if (tooLarge)
            {
                throw new GatewayAdminException(
                    $"{origin} answered {method} {path} with HTTP {status} and a body over {Size(limit)}, which the gateway admin API never sends; the rest was not read. Point spec.adminApi.url at a Partner Zones gateway's HTTP port.",
                    retriable: true);
            }

            if (!ok)
            {
                var error = bytes.Length == 0 ? null : GatewayErrorText.From(response.StatusCode, bytes);
                if (bytes.Length > 0 && error is null)
                {
                    // Not repeated, not even in part: it may be any server's answer (docs/console.md).
                    throw new GatewayAdminException(
                        $"{origin} answered {method} {path} with HTTP {status} and a body that is not the gateway admin API's error document ({bytes.Length} bytes, not shown); point spec.adminApi.url at a Partner Zones gateway's HTTP port.",
                        retriable: true);
                }

                return new GatewayAnswer(response.StatusCode, null, error, origin, method, path);
            }

            if (bytes.Length == 0)
            {
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return new GatewayAnswer(response.StatusCode, null, null, origin, method, path);
                }

                throw new GatewayAdminException(
                    $"{origin} answered {method} {path} with HTTP {status} and no body where the gateway admin API sends JSON; point spec.adminApi.url at a Partner Zones gateway's HTTP port.",
                    retriable: true);
            }

            JsonNode? json;
            try
            {
                json = JsonNode.Parse(bytes);
            }
            catch (JsonException)
            {
                // The parser's message is not repeated: it can quote the answer.
                throw new GatewayAdminException(
                    $"{origin} answered {method} {path} with HTTP {status} and a body that is not valid JSON ({bytes.Length} bytes, not shown); point spec.adminApi.url at a Partner Zones gateway's HTTP port.",
                    retriable: true);
            }

            return new GatewayAnswer(response.StatusCode, json, null, origin, method, path);
        }
    }

    /// <summary>The gateway's refusal as a failure: its own message (cleaned), which names the field and the fix.</summary>
    public static GatewayAdminException Refused(KafkaCluster cluster, string what, GatewayAnswer answer)
    {
        var status = (int)answer.Status;
        // A 400 is retried too: what the gateway objects to (an account another of its zones holds, say)
        // is often fixed on the gateway, where the console cannot see it.
        return new GatewayAdminException(
            $"gateway {cluster.Spec.AdminApi.Url.TrimEnd('/')} refused {what} ({status}): {answer.Error ?? "no reason given"}",
            retriable: status is 400 or 409 or >= 500,
            failure: status == 404 ? GatewayAdminFailure.NotFound : GatewayAdminFailure.Other);
    }

    private static string Size(int bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes / 1024} KiB";

    /// <summary>The socket's own words ("Connection refused") when there is a socket error underneath.</summary>
    private static string SocketError(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return $"{socket.Message} ({socket.SocketErrorCode})";
            }
        }

        return e.Message;
    }
}
