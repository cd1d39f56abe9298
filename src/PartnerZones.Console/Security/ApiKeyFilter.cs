using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PartnerZones.ControlPlane.Api;
using PartnerZones.ControlPlane.Store;

namespace PartnerZones.ControlPlane.Security;

/// <summary>Lets a request through only with <c>Authorization: Bearer KEY</c> naming an active API key.
/// The key's last use is recorded at most once a minute, so reads do not turn into writes. A key cannot be
/// guessed, but every refused one is logged and spends its address's budget, so one address cannot
/// hammer the store with lookups (429 with Retry-After once spent).</summary>
public sealed class ApiKeyFilter(ConsoleStore store, TimeProvider time, LoginThrottle throttle, ILogger<ApiKeyFilter> logger) : IEndpointFilter
{
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Unauthorized(http, "no API key; send the header 'Authorization: Bearer <key>' (an admin creates keys with: pz token create NAME).");
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header[7..].Trim().Length == 0)
        {
            return Unauthorized(http, "the Authorization header is not 'Bearer <key>'; send an API key created with: pz token create NAME.");
        }

        var source = LoginThrottle.SourceOf(http.Connection.RemoteIpAddress);
        if (throttle.TryBegin(CredentialKind.ApiKey, source, null) is { } wait)
        {
            var seconds = LoginOutcome.RetryAfterSeconds(wait);
            SecurityLog.ApiKeyLimited(logger, source, seconds);
            http.Response.Headers.RetryAfter = seconds;
            return ApiError.Respond(StatusCodes.Status429TooManyRequests, "Too many failed logins",
                $"too many unknown or revoked API keys from this address; no key is checked for {seconds} s (Retry-After), then try again with a valid key.");
        }

        StoredApiKey? key;
        try
        {
            key = await store.FindActiveApiKeyAsync(ApiKeys.HashOf(header[7..].Trim()), http.RequestAborted).ConfigureAwait(false);
        }
        catch
        {
            throttle.Release(CredentialKind.ApiKey, source, null);
            throw;
        }

        if (key is null)
        {
            SecurityLog.ApiKeyRefused(logger, source, throttle.Fail(CredentialKind.ApiKey, source, null));
            return Unauthorized(http, "the API key is not valid (unknown or revoked); ask an admin for a new one (pz token create NAME).");
        }

        throttle.Release(CredentialKind.ApiKey, source, null);

        var now = time.GetUtcNow();
        if (key.LastUsedAt is not { } last || now - last > TouchInterval)
        {
            await store.TouchApiKeyAsync(key.Id, now, http.RequestAborted).ConfigureAwait(false);
        }

        http.Items[typeof(StoredApiKey)] = key;
        return await next(context).ConfigureAwait(false);
    }

    private static IResult Unauthorized(HttpContext http, string msg)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"pz console\"";
        return ApiError.Respond(StatusCodes.Status401Unauthorized, "Unauthorized", msg);
    }
}
