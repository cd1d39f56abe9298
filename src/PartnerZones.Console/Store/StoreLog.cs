using Microsoft.Extensions.Logging;

namespace PartnerZones.ControlPlane.Store;

/// <summary>What opening the store did to files and rows that an operator should hear about once.</summary>
internal static partial class StoreLog
{
    /// <summary>Where these messages go when the caller gives no logger: standard error, one line each,
    /// like the console's own log (the host's logging starts only after the store is open), which shows
    /// warnings and errors only.</summary>
    public static ILogger StandardError { get; } = LoggerFactory
        .Create(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace))
        .CreateLogger("PartnerZones.ControlPlane.Store");

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was readable by other users; its mode is now 0600 (owner only)")]
    public static partial void Tightened(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "created the store's key file {Path}; back it up together with the database, which cannot be read without it")]
    public static partial void KeyCreated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "encrypted {Count} secret(s) that an older console had stored in plain text in {Store}")]
    public static partial void Encrypted(ILogger logger, int count, string store);
}
