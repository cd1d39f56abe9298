using PartnerZones.Resources;

namespace PartnerZones.Resources.Tests;

public sealed class PartnerZoneReaderTests
{
    public const string Example = """
        apiVersion: v2
        kind: PartnerZone
        metadata:
          name: external-partner-zone
        spec:
          cluster: gateway
          displayName: External clients partner zone
          url: https://partner.example.com
          serviceAccount: johndoe
          topics:
            - name: topic-a
              backingTopic: kafka-topic-a
              permission: WRITE
            - name: topic-b
              backingTopic: kafka-topic-a
              permission: READ
          partner:
            name: John Doe
            role: Data analyst
            email: johndoe@example.com
            phone: 07827 837 177
        """;

    [Fact]
    public void The_documented_example_loads_unchanged()
    {
        var zone = Assert.Single(PartnerZoneReader.ReadAll(Example, "example.yaml"));
        Assert.Equal("external-partner-zone", zone.Metadata.Name);
        Assert.Equal("johndoe", zone.Spec.EffectiveServiceAccount);
        Assert.Equal(["topic-a", "topic-b"], zone.Spec.Topics.Select(t => t.Name));
        Assert.All(zone.Spec.Topics, t => Assert.Equal("kafka-topic-a", t.BackingTopic));
        Assert.Equal("07827 837 177", zone.Spec.Partner!.Phone);
    }

    [Fact]
    public void Long_authentication_form_names_the_service_account()
    {
        var yaml = Example.Replace("  serviceAccount: johndoe", "  authenticationMode:\n    type: PLAIN\n    serviceAccount: johndoe");
        Assert.Equal("johndoe", Assert.Single(PartnerZoneReader.ReadAll(yaml, "x")).Spec.EffectiveServiceAccount);
    }

    [Fact]
    public void Every_problem_is_reported_with_field_and_fix()
    {
        var yaml = """
            apiVersion: v2
            kind: PartnerZone
            metadata:
              name: Bad_Name
            spec:
              serviceAccount: acme
              colour: blue
              topics:
                - name: orders
                  backingTopic: orders
                  permission: ADMIN
                - name: orders
                  backingTopic: "bad topic"
                  permission: READ
            """;
        var error = Assert.Throws<ResourceException>(() => PartnerZoneReader.ReadAll(yaml, "zones.yaml"));
        Assert.Contains(error.Errors, e => e.Contains("metadata.name") && e.Contains("lower-case"));
        Assert.Contains(error.Errors, e => e.Contains("spec.cluster is empty"));
        Assert.Contains(error.Errors, e => e.Contains("unknown field spec.colour (line 7)"));
        Assert.Contains(error.Errors, e => e.Contains("spec.topics[0].permission is 'ADMIN'") && e.Contains("READ or WRITE"));
        Assert.Contains(error.Errors, e => e.Contains("spec.topics[1].name 'orders' is used twice"));
        Assert.Contains(error.Errors, e => e.Contains("spec.topics[1].backingTopic") && e.Contains("characters Kafka does not allow"));
    }

    [Fact]
    public void Unknown_fields_inside_the_policies_are_refused_not_ignored()
    {
        var yaml = Example + "\n  trafficControlPolicies:\n    maxBytesPerSecond: 10";
        var error = Assert.Throws<ResourceException>(() => PartnerZoneReader.ReadAll(yaml, "x"));
        Assert.Contains("unknown field spec.trafficControlPolicies.maxBytesPerSecond", error.Message);
        Assert.Contains("maxProduceRate", error.Message);
    }

    [Fact]
    public void Empty_topics_and_invalid_yaml_are_errors()
    {
        var empty = Example[..Example.IndexOf("  topics:", StringComparison.Ordinal)] + "  topics: []\n";
        Assert.Contains("spec.topics is empty", Assert.Throws<ResourceException>(() => PartnerZoneReader.ReadAll(empty, "x")).Message);

        var broken = Assert.Throws<ResourceException>(() => PartnerZoneReader.ReadAll("kind: [unclosed", "broken.yaml"));
        Assert.Contains("broken.yaml: invalid YAML at line", broken.Message);
    }
}
