using System.Globalization;
using PartnerZones.ControlPlane.Store;

namespace PartnerZones.ControlPlane.Web;

/// <summary>Times, byte counts and statuses in words people read at a glance.</summary>
public static class Format
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB", "PB"];

    /// <summary>1536 → "1.5 KB" (powers of 1024, one decimal below 10 units).</summary>
    public static string Bytes(long bytes)
    {
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString(value < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    /// <summary>"just now", "5 minutes ago", "in 29 days", or a date when further than a month.</summary>
    public static string Relative(DateTimeOffset time, DateTimeOffset now)
    {
        var delta = time - now;
        var past = delta < TimeSpan.Zero;
        var span = past ? -delta : delta;
        string amount;
        if (span < TimeSpan.FromSeconds(45))
        {
            // A few seconds ahead is clock skew (the gateway stamped a credential after this page's "now"), not the future.
            return past || span < TimeSpan.FromSeconds(5) ? "just now" : "in a few seconds";
        }
        else if (span < TimeSpan.FromMinutes(90))
        {
            amount = Plural((int)Math.Round(span.TotalMinutes), "minute");
        }
        else if (span < TimeSpan.FromHours(36))
        {
            amount = Plural((int)Math.Round(span.TotalHours), "hour");
        }
        else if (span < TimeSpan.FromDays(45))
        {
            amount = Plural((int)Math.Round(span.TotalDays), "day");
        }
        else
        {
            return Date(time);
        }

        return past ? amount + " ago" : "in " + amount;
    }

    /// <summary>"2026-05-04 10:00 UTC", for tooltips and far dates.</summary>
    public static string Date(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The machine-readable form for a &lt;time datetime&gt; attribute.</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string StatusLabel(string status) => status switch
    {
        ResourceStatus.Ready => "Ready",
        ResourceStatus.Failed => "Failed",
        ResourceStatus.Pending => "Pending",
        ResourceStatus.Deleting => "Deleting",
        _ => status,
    };

    public static string StatusClass(string status) => "badge badge-" + StatusLabel(status).ToLowerInvariant();

    public static string Count(long count, string noun) => Plural(count, noun);

    private static string Plural(long count, string noun) =>
        count.ToString("N0", CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : noun + "s");
}
