using Microsoft.Extensions.Logging;

namespace PartnerZones.ControlPlane.Audit;

/// <summary>
/// One log line for each phase of a two-phase removal (docs/console.md, "Deleting a zone"): requested in
/// the console, an attempt the gateway refused or did not answer, and confirmed by the gateway. The console
/// has no audit store of its own, so these lines, under their own category
/// (<see cref="Category"/>, logged at Information even though the console otherwise logs warnings only),
/// are the record of who asked for what and when access really ended.
/// </summary>
public sealed partial class RemovalAudit(ILoggerFactory loggers)
{
    public const string Category = "PartnerZones.ControlPlane.Audit";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public void Requested(string kind, string name, Guid id) => LogRequested(_logger, kind, name, id);

    public void AttemptFailed(string kind, string name, Guid id, string cluster, string reason) => LogAttemptFailed(_logger, kind, name, id, cluster, reason);

    public void Confirmed(string kind, string name, Guid id, string cluster) => LogConfirmed(_logger, kind, name, id, cluster);

    public void RemovedWithoutGateway(string kind, string name, Guid id, string why) => LogRemovedWithoutGateway(_logger, kind, name, id, why);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "audit: deletion requested: {Kind} {Name} (id {Id}) is DELETING until its gateway confirms")]
    private static partial void LogRequested(ILogger logger, string kind, string name, Guid id);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "audit: deletion not confirmed: {Kind} {Name} (id {Id}) is still served by KafkaCluster {Cluster}: {Reason}; retried with back-off")]
    private static partial void LogAttemptFailed(ILogger logger, string kind, string name, Guid id, string cluster, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "audit: deletion confirmed: {Kind} {Name} (id {Id}) is gone from KafkaCluster {Cluster}'s gateway and from the console")]
    private static partial void LogConfirmed(ILogger logger, string kind, string name, Guid id, string cluster);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "audit: deletion completed: {Kind} {Name} (id {Id}) removed from the console; {Why}")]
    private static partial void LogRemovedWithoutGateway(ILogger logger, string kind, string name, Guid id, string why);
}
