using System.Text.Json;
using PartnerZones.ControlPlane.Audit;
using PartnerZones.ControlPlane.Reconciliation;
using PartnerZones.ControlPlane.Store;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Desired;

/// <summary>
/// The rules every kind shares: upsert answers CREATED, UPDATED or NOT_CHANGED (equal canonical labels
/// and spec change nothing, not even updatedAt); a change resets status to PENDING until a reconciler says
/// otherwise; dry mode runs every check and writes nothing; read-only metadata in a request is ignored,
/// because the server owns it. Each change wakes the reconciler through <see cref="ReconcileSignal"/>.
/// Deleting a PartnerZone is two-phase when a reconciler deploys zones: the zone becomes DELETING and the
/// reconciler removes the row once the gateway confirmed (DESIGN §12); a DELETING zone cannot be applied again.
/// </summary>
public sealed class ResourceService(ConsoleStore store, ReconcileSignal signal, TimeProvider time, ReconcilerOptions reconciler, RemovalAudit audit)
{
    public async Task<(string Result, object Resource)> UpsertAsync(KindRules rules, JsonElement body, bool dryMode, CancellationToken cancellationToken)
    {
        var kind = rules.Kind.Name;
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("kind", out var sent) && sent.ValueKind == JsonValueKind.String
            && sent.GetString() != kind && ResourceKinds.All.FirstOrDefault(k => k.Name == sent.GetString()) is { } other)
        {
            throw RequestRejected.Invalid(kind, [$"this endpoint takes {kind} documents; send {other.Name} documents to {Api.ApiRoutes.Resources(other.PathSegment)}."]);
        }

        var shapeErrors = new List<string>();
        var read = rules.Read(body, shapeErrors);
        if (shapeErrors.Count > 0)
        {
            // Unknown fields leave the rest readable: check it too, so one answer names every problem.
            read = rules.ReadSkippingUnknownFields(body);
        }

        if (read is null)
        {
            throw RequestRejected.Invalid(kind, shapeErrors);
        }

        var (result, stored) = await store.WriteAsync(async writer =>
        {
            var existing = await writer.GetAsync(kind, read.Name).ConfigureAwait(false);
            if (existing?.Status == ResourceStatus.Deleting)
            {
                // Refused rather than cancelling the deletion: whoever deleted it was told the partner's access
                // is going away, and a re-apply that silently kept it would break that promise.
                throw new RequestRejected(Microsoft.AspNetCore.Http.StatusCodes.Status409Conflict, "Conflict",
                    [$"{kind} '{read.Name}' is being deleted ({existing.FailedReason ?? "waiting for its gateway to confirm"}); apply it again once `pz get {rules.Kind.PathSegment} {read.Name}` no longer finds it."]);
            }

            var incoming = rules.Complete(read, existing);
            var problems = rules.Validate(incoming, existing);
            if (problems.Count == 0)
            {
                await rules.CheckAsync(incoming, writer, problems).ConfigureAwait(false);
            }

            problems.InsertRange(0, shapeErrors);

            if (problems.Count > 0)
            {
                throw RequestRejected.Invalid(kind, problems);
            }

            if (existing is not null && existing.Spec == incoming.SpecJson && existing.Labels == incoming.LabelsJson)
            {
                return (Api.UpsertResults.NotChanged, existing);
            }

            var now = time.GetUtcNow();
            now = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
            var next = existing is null
                ? new StoredResource(kind, incoming.Name, Guid.NewGuid(), incoming.LabelsJson, incoming.SpecJson, ResourceStatus.Pending, null, now, 1)
                : existing with
                {
                    Labels = incoming.LabelsJson,
                    Spec = incoming.SpecJson,
                    Status = ResourceStatus.Pending,
                    FailedReason = null,
                    UpdatedAt = now,
                    Generation = existing.Generation + 1,
                };
            if (!dryMode)
            {
                await (existing is null ? writer.InsertAsync(next) : writer.UpdateAsync(next)).ConfigureAwait(false);
            }

            return (existing is null ? Api.UpsertResults.Created : Api.UpsertResults.Updated, next);
        }, cancellationToken).ConfigureAwait(false);

        if (!dryMode && result != Api.UpsertResults.NotChanged)
        {
            signal.Notify();
        }

        return (result, rules.Show(stored));
    }

    public async Task<object> GetAsync(KindRules rules, string name, CancellationToken cancellationToken) =>
        await store.GetAsync(rules.Kind.Name, name, cancellationToken).ConfigureAwait(false) is { } stored
            ? rules.Show(stored)
            : throw RequestRejected.NotFound(rules.Kind.Name, name);

    public async Task<IReadOnlyList<object>> ListAsync(KindRules rules, CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(rules.Kind.Name, cancellationToken).ConfigureAwait(false)).Select(rules.Show)];

    /// <summary>Deletes <paramref name="name"/>: a PartnerZone becomes DELETING (its gateway still serves it
    /// until the reconciler has removed it there), anything else, or any zone of a console that deploys
    /// nothing, is removed at once. Deleting a zone that is already DELETING changes nothing.
    /// <paramref name="force"/> removes a zone at once without its gateway's confirmation: the way out when the
    /// gateway is gone for good (or never was a gateway), and audited as such, because the gateway may still
    /// serve it.</summary>
    public async Task<DeleteOutcome> DeleteAsync(KindRules rules, string name, CancellationToken cancellationToken, bool force = false)
    {
        var twoPhase = reconciler.Enabled && rules.Kind.Name == PartnerZone.KindName && !force;
        var (outcome, id, changed) = await store.WriteAsync(async writer =>
        {
            if (await writer.GetAsync(rules.Kind.Name, name).ConfigureAwait(false) is not { } existing)
            {
                throw RequestRejected.NotFound(rules.Kind.Name, name);
            }

            if (await rules.DeleteConflictAsync(name, writer).ConfigureAwait(false) is { } conflict)
            {
                throw new RequestRejected(Microsoft.AspNetCore.Http.StatusCodes.Status409Conflict, "Conflict", [conflict]);
            }

            if (!twoPhase)
            {
                await writer.DeleteAsync(rules.Kind.Name, name).ConfigureAwait(false);
                if (force && reconciler.Enabled && rules.Kind.Name == PartnerZone.KindName)
                {
                    audit.RemovedWithoutGateway(rules.Kind.Name, name, existing.Id,
                        "forced (force=true) without the gateway's confirmation: its gateway may still serve it until the gateway itself is cleaned up");
                }

                return (DeleteOutcome.Removed, existing.Id, true);
            }

            if (existing.Status == ResourceStatus.Deleting)
            {
                return (DeleteOutcome.Pending, existing.Id, false);
            }

            // A new generation, so a deployment of the old one still in flight cannot mark it READY.
            var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
            await writer.UpdateAsync(existing with
            {
                Status = ResourceStatus.Deleting,
                FailedReason = null,
                UpdatedAt = now,
                Generation = existing.Generation + 1,
            }).ConfigureAwait(false);
            return (DeleteOutcome.Pending, existing.Id, true);
        }, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            if (outcome == DeleteOutcome.Pending)
            {
                audit.Requested(rules.Kind.Name, name, id);
            }

            signal.Notify();
        }

        return outcome;
    }

    /// <summary>Labels as canonical JSON (keys sorted), or null when there are none.</summary>
    public static string? LabelsJson(Dictionary<string, string>? labels) =>
        labels is null || labels.Count == 0
            ? null
            : JsonSerializer.Serialize(new SortedDictionary<string, string>(labels, StringComparer.Ordinal), ResourceJson.Options);
}
