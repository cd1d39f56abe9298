namespace PartnerZones.Gateway.State;

/// <summary>
/// One audited fact: a login (success or failure, with the client's address and id), a session the
/// gateway closed, or a change through the admin API. Written as a structured log line and as a JSON
/// record on the audit topic.
/// </summary>
public sealed record AuditEvent
{
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>login, reauthenticate, session.closed, admin.login, token, upsert, delete, credential.issue, credential.revoke.</summary>
    public string Action { get; init; } = "";

    /// <summary>success or failure.</summary>
    public string Outcome { get; init; } = "success";

    /// <summary>Who acted: the service account logging in, or the admin user of an API call.</summary>
    public string? User { get; init; }

    public string? ClientAddress { get; init; }

    public string? ClientId { get; init; }

    public string? Mechanism { get; init; }

    public string? CredentialId { get; init; }

    /// <summary><c>Kind/name</c> of the resource changed.</summary>
    public string? Resource { get; init; }

    /// <summary>Why it failed or what changed (CREATED, UPDATED, revoked, ...).</summary>
    public string? Detail { get; init; }

    /// <summary>The gateway instance that saw it.</summary>
    public string? Instance { get; init; }
}
