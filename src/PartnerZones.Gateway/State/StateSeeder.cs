using PartnerZones.Gateway.Configuration;

namespace PartnerZones.Gateway.State;

/// <summary>
/// Writes the resources of the YAML file (GitOps) into the state topic at start-up. The file wins for
/// what it defines: a resource missing from the topic or different there is written; resources only the
/// topic has are left alone. One exception keeps revocation final: a credential revoked through the
/// admin API stays revoked even if the file still lists it.
/// </summary>
public static class StateSeeder
{
    public static Task<int> SeedAsync(StateStore store, GatewayState seed, AuditLog audit, CancellationToken cancellationToken) =>
        store.WriteAsync(state =>
        {
            var records = new List<(string Key, object? Resource)>();
            foreach (var account in seed.Accounts)
            {
                if (state.Account(account.Metadata.Name) is not { } current || !StateCodec.SameContent(current.Resource, account))
                {
                    records.Add((StateCodec.Key(account), account));
                }
            }

            foreach (var zone in seed.Zones)
            {
                if (state.Zone(zone.Metadata.Name) is not { } current || !StateCodec.SameContent(current.Resource, zone))
                {
                    records.Add((StateCodec.Key(zone), zone));
                }
            }

            foreach (var credential in seed.Credentials)
            {
                var current = state.Credential(credential.Metadata.Name);
                if (current?.Resource.Spec.RevokedAt is null && (current is null || !StateCodec.SameContent(current.Resource, credential)))
                {
                    records.Add((StateCodec.Key(credential), credential));
                }
            }

            foreach (var (key, _) in records)
            {
                audit.Emit(new AuditEvent { Action = "upsert", User = "seed-file", Resource = key, Detail = "written from the configuration file" });
            }

            return (records, records.Count);
        }, cancellationToken);
}
