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
/// </summary>
internal sealed class GatewayAdminCall(HttpClient http, TimeSpan timeout)
{
    /// <summary>The answer of a call that reached the gateway and was not refused for credentials.</summary>
    public sealed record Answer(HttpStatusCode Status, JsonNode? Body)
    {
        public bool Ok => (int)Status is >= 200 and < 300;
    }

    public async Task<Answer> SendAsync(KafkaCluster cluster, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var admin = cluster.Spec.AdminApi;
        var url = admin.Url.TrimEnd('/');
        if (!Uri.TryCreate(url + path, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
        {
            throw new GatewayAdminException(
                $"spec.adminApi.url '{admin.Url}' of KafkaCluster/{cluster.Metadata.Name} is not an http(s) URL; set it to the gateway's admin address, e.g. http://127.0.0.1:8888.",
                retriable: false);
        }

        using var request = new HttpRequestMessage(method, target);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{admin.Username}:{admin.Password}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), ResourceJson.Options), Encoding.UTF8, "application/json");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        string text;
        try
        {
            response = await http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            text = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GatewayAdminException(
                $"gateway admin API at {url} (KafkaCluster/{cluster.Metadata.Name}) did not answer {method} {path} within {timeout.TotalSeconds:0} s; check that the gateway is running and not overloaded.",
                retriable: true, failure: GatewayAdminFailure.Unreachable);
        }
        catch (HttpRequestException e)
        {
            throw new GatewayAdminException(
                $"gateway admin API at {url} (KafkaCluster/{cluster.Metadata.Name}) is unreachable: {SocketError(e)}; start the gateway or fix spec.adminApi.url.",
                retriable: true, e, GatewayAdminFailure.Unreachable);
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new GatewayAdminException(
                    $"admin credentials rejected by the gateway at {url} ({(int)response.StatusCode}); fix spec.adminApi.username/password of KafkaCluster/{cluster.Metadata.Name} to an admin user of the gateway's spec.admin.users.",
                    retriable: false, failure: GatewayAdminFailure.CredentialsRejected);
            }

            JsonNode? json = null;
            if (text.Length > 0)
            {
                try
                {
                    json = JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    // Below: an answer that is not JSON is not the gateway admin API.
                }
            }

            if (json is null && (text.Length > 0 || response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NoContent))
            {
                throw new GatewayAdminException(
                    $"{url} (spec.adminApi.url of KafkaCluster/{cluster.Metadata.Name}) answered {method} {path} with HTTP {(int)response.StatusCode} that is not the gateway admin API's JSON; point spec.adminApi.url at the gateway's HTTP port.",
                    retriable: true);
            }

            return new Answer(response.StatusCode, json);
        }
    }

    /// <summary>The gateway's refusal as a failure: its own message, which names the field and the fix.</summary>
    public static GatewayAdminException Refused(KafkaCluster cluster, string what, Answer answer)
    {
        var errors = answer.Body?["errors"] is JsonArray list && list.Count > 0
            ? string.Join("; ", list.Select(e => e?.ToString()))
            : answer.Body?["message"]?.ToString() ?? answer.Body?.ToJsonString() ?? "";
        var status = (int)answer.Status;
        // A 400 is retried too: what the gateway objects to (an account another of its zones holds, say)
        // is often fixed on the gateway, where the console cannot see it.
        return new GatewayAdminException(
            $"gateway {cluster.Spec.AdminApi.Url.TrimEnd('/')} refused {what} ({status}): {errors}",
            retriable: status is 400 or 409 or >= 500,
            failure: status == 404 ? GatewayAdminFailure.NotFound : GatewayAdminFailure.Other);
    }

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
