using PartnerZones.Gateway.Configuration;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Tests.Headers;

/// <summary>Header rules are part of a zone's policy: changing them gives a new policy snapshot (so live
/// sessions are closed as "zone changed" and reconnect under the new rules); an unrelated change keeps it.</summary>
public sealed class HeaderRuleChangeTests
{
    [Fact]
    public void Changed_header_rules_give_a_new_policy_and_equal_ones_keep_it()
    {
        var zone = Assert.Single(PartnerZoneReader.ReadAll(HeaderZone.Yaml, "zone"));
        var first = State(zone, null);
        var policy = first.ZoneOf("johndoe")!;
        Assert.NotNull(policy.Headers);

        var renamed = zone with { Spec = zone.Spec with { DisplayName = "Another name" } };
        Assert.Same(policy, State(renamed, first).ZoneOf("johndoe"));

        var changed = zone with
        {
            Spec = zone.Spec with
            {
                Headers = new HeaderRules { AddOnProduce = zone.Spec.Headers!.AddOnProduce, RemoveOnConsume = [new HeaderToRemove { KeyRegex = "other" }] },
            },
        };
        Assert.NotSame(policy, State(changed, first).ZoneOf("johndoe"));

        var none = zone with { Spec = zone.Spec with { Headers = null } };
        var without = State(none, first).ZoneOf("johndoe")!;
        Assert.NotSame(policy, without);
        Assert.Null(without.Headers);
    }

    private static GatewayState State(PartnerZone zone, GatewayState? previous) => new(
        [new StateEntry<PartnerZone>(zone, -1, null)],
        [new StateEntry<ServiceAccount>(new ServiceAccount { Metadata = new ResourceMetadata { Name = "johndoe" }, Spec = new ServiceAccountSpec { Type = "PARTNER" } }, -1, null)],
        [],
        previous);
}
