using System.CommandLine;
using System.Globalization;

namespace PartnerZones.Cli.Client;

/// <summary><c>--wait</c> and <c>--timeout</c>, shared by the commands that wait for the console to report
/// what a gateway did (<c>pz delete</c> waits by default, <c>pz apply</c> when asked).</summary>
internal static class WaitOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How often the console is asked while waiting: the reconciler acts within about a second.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static Option<bool> Wait(bool byDefault, string description) => new("--wait")
    {
        Description = description,
        DefaultValueFactory = _ => byDefault,
        HelpName = "true|false",
    };

    public static Option<TimeSpan> Timeout() => new("--timeout")
    {
        Description = $"How long --wait waits, e.g. 30s, 2m or 500ms (default {DefaultTimeout.TotalSeconds:0}s)",
        HelpName = "duration",
        DefaultValueFactory = _ => DefaultTimeout,
        CustomParser = result =>
        {
            var text = result.Tokens[^1].Value;
            if (TryParse(text, out var timeout))
            {
                return timeout;
            }

            result.AddError($"--timeout: '{text}' is not a duration; use a positive number with ms, s, m or h (e.g. 30s).");
            return default;
        },
    };

    /// <summary>"500ms", "30s", "2m", "1h", or a plain number of seconds; positive, at most a day.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim();
        var (number, unit) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount <= 0 || amount * unit > 86_400)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(amount * unit);
        return true;
    }

    /// <summary>"3 s", "1.5 s" or "2 min" for messages.</summary>
    public static string Describe(TimeSpan timeout) =>
        timeout.TotalSeconds < 120 ? $"{timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s" : $"{timeout.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min";
}
