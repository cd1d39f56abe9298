using Microsoft.Extensions.Logging;

namespace PartnerZones.ControlPlane.Security;

/// <summary>The console's record of refused credentials: one warning per failure, so an operator (or a log
/// shipper) sees guessing as it happens. Passwords and keys are never logged.</summary>
internal static partial class SecurityLog
{
    /// <summary>A user name as sent, made safe for a log line: control characters (a forged line break) become '?', and it is cut at 64 characters.</summary>
    public static string Shown(string user)
    {
        var cut = user.Length > 64 ? user[..64] + "..." : user;
        return string.Create(cut.Length, cut, (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? '?' : text[i];
            }
        });
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "{Channel}: wrong password for user '{User}' from {Source} ({Failures} failures from that address in the current window)")]
    public static partial void PasswordRefused(ILogger logger, string channel, string user, string source, int failures);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "{Channel}: login for user '{User}' from {Source} refused without a check: failure budget spent, retry in {RetryAfterSeconds} s")]
    public static partial void PasswordLimited(ILogger logger, string channel, string user, string source, string retryAfterSeconds);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "{Channel}: login for user '{User}' from {Source} answered 503: every password-check slot stayed busy")]
    public static partial void PasswordBusy(ILogger logger, string channel, string user, string source);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "API: unknown or revoked API key from {Source} ({Failures} failures from that address in the current window)")]
    public static partial void ApiKeyRefused(ILogger logger, string source, int failures);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "API: API key from {Source} refused without a check: failure budget spent, retry in {RetryAfterSeconds} s")]
    public static partial void ApiKeyLimited(ILogger logger, string source, string retryAfterSeconds);
}
