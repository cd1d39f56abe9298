using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PartnerZones.Gateway.State;

/// <summary>
/// Emits audit events: a structured log line at once, and a record on the audit topic through the
/// sink the state store provides. Emitting never blocks or fails the caller (a login must not wait for
/// the audit topic); a record that cannot be queued is counted and logged.
/// </summary>
public sealed partial class AuditLog(ILogger logger, string instance)
{
    private Action<string?, byte[]>? _sink;
    private long _dropped;
    private long _emitted;

    public string Instance { get; } = instance;

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Emitted => Interlocked.Read(ref _emitted);

    /// <summary>Raised for every event after it is logged (tests and metrics listen here).</summary>
    public event Action<AuditEvent>? Emitting;

    /// <summary>Where audit records go once the audit topic is ready: key, JSON value.</summary>
    public void Attach(Action<string?, byte[]> sink) => _sink = sink;

    public void Emit(AuditEvent audit)
    {
        audit = audit with { Instance = Instance };
        Interlocked.Increment(ref _emitted);
        Logged(logger, audit.Action, audit.Outcome, audit.User, audit.ClientAddress, audit.ClientId, audit.Mechanism, audit.CredentialId, audit.Resource, audit.Detail);
        Emitting?.Invoke(audit);
        if (_sink is not { } sink)
        {
            return;
        }

        try
        {
            sink(audit.User ?? audit.Resource, JsonSerializer.SerializeToUtf8Bytes(audit, StateCodec.Json));
        }
        catch (Exception e)
        {
            // A full queue or a broken producer must not break logins; the log line above still exists.
            if (Interlocked.Increment(ref _dropped) == 1)
            {
                AuditDropped(logger, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "audit {Action} {Outcome} user={User} client={ClientAddress} clientId={ClientId} mechanism={Mechanism} credential={CredentialId} resource={Resource} detail={Detail}")]
    private static partial void Logged(ILogger logger, string action, string outcome, string? user, string? clientAddress, string? clientId, string? mechanism, string? credentialId, string? resource, string? detail);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "audit record could not be queued for the audit topic ({Reason}); further drops are only counted")]
    private static partial void AuditDropped(ILogger logger, string reason);
}
