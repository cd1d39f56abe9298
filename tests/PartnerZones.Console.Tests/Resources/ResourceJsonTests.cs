using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Tests.Resources;

/// <summary>Resource JSON is as strict as the YAML and has the same shape, so the CLI's YAML and the API's
/// JSON accept and reject the same documents.</summary>
public sealed class ResourceJsonTests
{
    private const string ZoneYaml = """
        apiVersion: v2
        kind: PartnerZone
        metadata:
          name: acme
          labels:
            team: data
        spec:
          cluster: gateway
          authenticationMode:
            type: PLAIN
            serviceAccount: acme-sa
          topics:
            - name: orders
              backingTopic: kafka-orders
              permission: READ
        """;

    [Fact]
    public void Yaml_and_json_round_trip_to_the_same_resource()
    {
        var errors = new List<string>();
        var fromYaml = YamlBinder.Bind<PartnerZone>(ResourceDocument.ReadAll(ZoneYaml, "z.yaml")[0], errors);
        Assert.Empty(errors);
        var json = ResourceJson.Serialize(fromYaml);
        Assert.Contains("\"authenticationMode\":{\"type\":\"PLAIN\",\"serviceAccount\":\"acme-sa\"}", json);
        Assert.DoesNotContain("effectiveServiceAccount", json);
        Assert.DoesNotContain("null", json);

        var fromJson = ResourceJson.Read<PartnerZone>(json, "body", errors)!;
        Assert.Empty(errors);
        Assert.Equal(json, ResourceJson.Serialize(fromJson));
        Assert.Equal("acme-sa", fromJson.Spec.EffectiveServiceAccount);
        Assert.Empty(PartnerZoneValidator.Validate(fromJson));
    }

    [Fact]
    public void Every_shape_problem_is_collected_with_its_path()
    {
        var json = """
            {"apiVersion": "v2", "kind": "PartnerZone", "metadata": {"name": "acme", "labels": {"a": 1}},
             "spec": {"cluster": null, "Cluster": "x", "topics": [{"name": "t", "backingTopic": "b", "permission": "READ", "extra": true}, 7],
                      "trafficControlPolicies": [], "partner": "John", "serviceAccount": "s", "serviceAccount": "s"}}
            """;
        var errors = new List<string>();
        Assert.Null(ResourceJson.Read<PartnerZone>(json, "body", errors));
        Assert.Contains(errors, e => e == "PartnerZone 'acme': metadata.labels.a must be a string, not the number 1.");
        Assert.Contains(errors, e => e.StartsWith("PartnerZone 'acme': spec.cluster is null", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("PartnerZone 'acme': unknown field spec.Cluster;", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("PartnerZone 'acme': unknown field spec.topics[0].extra;", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == "PartnerZone 'acme': spec.topics[1] must be an object of fields, not the number 7.");
        Assert.Contains(errors, e => e == "PartnerZone 'acme': spec.trafficControlPolicies must be an object of fields, not a list.");
        Assert.Contains(errors, e => e == "PartnerZone 'acme': spec.partner must be an object of fields, not the string \"John\".");
        Assert.Contains(errors, e => e == "PartnerZone 'acme': spec.serviceAccount is given twice; keep one.");
        Assert.Equal(8, errors.Count);
    }

    [Fact]
    public void Broken_json_names_line_and_column()
    {
        var errors = new List<string>();
        Assert.Null(ResourceJson.Read<PartnerZone>("{\n  \"kind\": tru }", "body", errors));
        Assert.StartsWith("body: invalid JSON at line 2, column", Assert.Single(errors));
    }

    [Fact]
    public void Kafka_cluster_validation_names_every_field_and_fix()
    {
        var errors = new List<string>();
        var cluster = YamlBinder.Bind<KafkaCluster>(ResourceDocument.ReadAll("""
            apiVersion: v1
            kind: KafkaCluster
            metadata:
              name: gw
            spec:
              bootstrapServers: ""
              adminApi:
                url: not a url
                username: admin
            """, "c.yaml")[0], errors);
        Assert.Empty(errors);
        var problems = KafkaClusterValidator.Validate(cluster);
        Assert.Contains("KafkaCluster 'gw': apiVersion is 'v1'; set it to 'v2'.", problems);
        Assert.Contains(problems, p => p.StartsWith("KafkaCluster 'gw': spec.bootstrapServers is empty; set it to the gateway address", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("KafkaCluster 'gw': spec.adminApi.url 'not a url' is not an http:// or https:// URL", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("KafkaCluster 'gw': spec.adminApi.password is empty", StringComparison.Ordinal));
        Assert.Equal(4, problems.Count);

        var good = cluster with
        {
            ApiVersion = "v2",
            Spec = cluster.Spec with { BootstrapServers = "gw1.example.com:9094, gw2.example.com:9094", AdminApi = cluster.Spec.AdminApi with { Url = "https://gw.example.com:8888", Password = "p" } },
        };
        Assert.Empty(KafkaClusterValidator.Validate(good));
    }

    [Theory]
    [InlineData("PartnerZone", "PartnerZone")]
    [InlineData("partner-zones", "PartnerZone")]
    [InlineData("PZ", "PartnerZone")]
    [InlineData("partnerzones", "PartnerZone")]
    [InlineData("KafkaCluster", "KafkaCluster")]
    [InlineData("kafka-clusters", "KafkaCluster")]
    [InlineData("kc", "KafkaCluster")]
    [InlineData("topics", null)]
    [InlineData("", null)]
    public void Kinds_resolve_case_insensitively_with_plural_and_short_forms(string text, string? kind) =>
        Assert.Equal(kind, ResourceKinds.Resolve(text)?.Name);
}
