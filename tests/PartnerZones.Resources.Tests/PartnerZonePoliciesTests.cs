using PartnerZones.Resources;

namespace PartnerZones.Resources.Tests;

/// <summary>spec.trafficControlPolicies and spec.headers: what is accepted, and every refusal naming the
/// field and the fix.</summary>
public sealed class PartnerZonePoliciesTests
{
    private const string Policies = """

          trafficControlPolicies:
            maxProduceRate: 1048576
            maxConsumeRate: 2097152
            limitCommitOffset: 30
          headers:
            addOnProduce:
              - key: x-partner
                value: "{{user}} from {{userIp}}"
                overrideIfExists: true
              - key: x-trace
                value: "{{clientId}}/{{apiKey}}.{{apiKeyVersion}}@{{gatewayHost}}:{{timestampMillis}}"
              - key: x-plain
                value: "literal { and } and }} are text"
            removeOnConsume:
              - keyRegex: "internal-.*"
              - keyRegex: "x-(debug|trace)"
        """;

    private static PartnerZone Read(string extra) =>
        Assert.Single(PartnerZoneReader.ReadAll(PartnerZoneReaderTests.Example + extra, "zone.yaml"));

    private static IReadOnlyList<string> Errors(string extra) =>
        Assert.Throws<ResourceException>(() => PartnerZoneReader.ReadAll(PartnerZoneReaderTests.Example + extra, "zone.yaml")).Errors;

    private static IReadOnlyList<string> Errors(PartnerZone zone) => PartnerZoneValidator.Validate(zone);

    private static PartnerZone Valid() => Read("");

    [Fact]
    public void Both_parts_are_read_with_every_field()
    {
        var zone = Read(Policies);
        var limits = zone.Spec.TrafficControlPolicies!;
        Assert.Equal(1048576, limits.MaxProduceRate);
        Assert.Equal(2097152, limits.MaxConsumeRate);
        Assert.Equal(30, limits.LimitCommitOffset);
        var add = zone.Spec.Headers!.AddOnProduce!;
        Assert.Equal(["x-partner", "x-trace", "x-plain"], add.Select(h => h.Key));
        Assert.True(add[0].OverrideIfExists);
        Assert.False(add[1].OverrideIfExists);
        Assert.Equal("{{user}} from {{userIp}}", add[0].Value);
        Assert.Equal(["internal-.*", "x-(debug|trace)"], zone.Spec.Headers.RemoveOnConsume!.Select(r => r.KeyRegex));
    }

    [Fact]
    public void Each_part_and_each_limit_is_optional()
    {
        var zone = Read("\n  trafficControlPolicies:\n    maxConsumeRate: 1\n  headers:\n    removeOnConsume: []");
        Assert.Null(zone.Spec.TrafficControlPolicies!.MaxProduceRate);
        Assert.Equal(1, zone.Spec.TrafficControlPolicies.MaxConsumeRate);
        Assert.Null(zone.Spec.Headers!.AddOnProduce);
        Assert.Empty(Errors(Read("\n  trafficControlPolicies: {}\n  headers: {}")));
    }

    [Theory]
    [InlineData("maxProduceRate", 0L)]
    [InlineData("maxConsumeRate", -5L)]
    [InlineData("limitCommitOffset", 0L)]
    public void Limits_below_one_are_refused(string field, long value)
    {
        var error = Assert.Single(Errors($"\n  trafficControlPolicies:\n    {field}: {value}"));
        Assert.Contains($"spec.trafficControlPolicies.{field} is {value}", error);
        Assert.Contains("must be at least 1 (leave the field out for no limit)", error);
    }

    [Fact]
    public void Limits_above_the_bounds_are_refused()
    {
        var zone = Valid() with
        {
            Spec = Valid().Spec with
            {
                TrafficControlPolicies = new TrafficControlPolicies
                {
                    MaxProduceRate = PartnerZoneValidator.MaxByteRate + 1,
                    MaxConsumeRate = PartnerZoneValidator.MaxByteRate,
                    LimitCommitOffset = PartnerZoneValidator.MaxCommitsPerMinute + 1,
                },
            },
        };
        var errors = Errors(zone);
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("spec.trafficControlPolicies.maxProduceRate") && e.Contains($"at most {PartnerZoneValidator.MaxByteRate}") && e.Contains("bytes per second"));
        Assert.Contains(errors, e => e.Contains("spec.trafficControlPolicies.limitCommitOffset") && e.Contains("offset commits per minute"));
    }

    [Fact]
    public void A_limit_that_is_not_a_whole_number_is_refused()
    {
        Assert.Contains(Errors("\n  trafficControlPolicies:\n    maxProduceRate: 1MB"), e => e.Contains("spec.trafficControlPolicies.maxProduceRate is '1MB'") && e.Contains("whole number"));
    }

    [Theory]
    [InlineData("{{foo}}", "unknown template '{{foo}}'")]
    [InlineData("a {{clientId", "never closed")]
    [InlineData("{{ clientId }}", "unknown template '{{ clientId }}'")]
    [InlineData("{{}}", "unknown template '{{}}'")]
    public void Unknown_or_unclosed_templates_are_refused_listing_the_allowed_ones(string value, string problem)
    {
        var error = Assert.Single(Errors($"\n  headers:\n    addOnProduce:\n      - key: ok\n        value: \"x\"\n      - key: x-bad\n        value: \"{value}\""));
        Assert.Contains("spec.headers.addOnProduce[1].value", error);
        Assert.Contains(problem, error);
        Assert.Contains(HeaderTemplates.Listed, error);
    }

    [Fact]
    public void Header_keys_must_be_present_short_unique_and_one_line()
    {
        var errors = Errors($"""

              headers:
                addOnProduce:
                  - key: ""
                    value: a
                  - key: dup
                    value: a
                  - key: dup
                    value: b
                  - key: {new string('k', 256)}
                    value: a
                  - key: "a\nb"
                    value: a
            """);
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.Contains("spec.headers.addOnProduce[0].key is empty;"));
        Assert.Contains(errors, e => e.Contains("spec.headers.addOnProduce[2].key 'dup' is used twice"));
        Assert.Contains(errors, e => e.Contains("spec.headers.addOnProduce[3].key is 256 characters long (at most 255)"));
        Assert.Contains(errors, e => e.Contains("spec.headers.addOnProduce[4].key has the control character"));
    }

    [Fact]
    public void Header_values_are_at_most_1024_characters()
    {
        var error = Assert.Single(Errors($"\n  headers:\n    addOnProduce:\n      - key: k\n        value: {new string('v', 1025)}"));
        Assert.Contains("spec.headers.addOnProduce[0].value is 1025 characters long (at most 1024)", error);
        Assert.Empty(Errors(Read($"\n  headers:\n    addOnProduce:\n      - key: k\n        value: \"\"\n      - key: l\n        value: {new string('v', 1024)}")));
    }

    [Theory]
    [InlineData("(unclosed", "is not a valid regular expression")]
    [InlineData("[z-a]", "is not a valid regular expression")]
    [InlineData("(a)\\\\1", "linear-time matcher")]
    [InlineData("(?=x)x", "linear-time matcher")]
    [InlineData("(?<!a)b", "linear-time matcher")]
    [InlineData("", "keyRegex is empty")]
    public void Key_regexes_must_compile_for_the_gateway(string regex, string problem)
    {
        var error = Assert.Single(Errors($"\n  headers:\n    removeOnConsume:\n      - keyRegex: ok\n      - keyRegex: \"{regex}\""));
        Assert.Contains("spec.headers.removeOnConsume[1].keyRegex", error);
        Assert.Contains(problem, error);
    }

    [Fact]
    public void At_most_fifty_rules_per_list()
    {
        var zone = Valid() with
        {
            Spec = Valid().Spec with
            {
                Headers = new HeaderRules
                {
                    AddOnProduce = [.. Enumerable.Range(0, 51).Select(i => new HeaderToAdd { Key = $"k{i}", Value = "v" })],
                    RemoveOnConsume = [.. Enumerable.Range(0, 51).Select(i => new HeaderToRemove { KeyRegex = $"k{i}" })],
                },
            },
        };
        var errors = Errors(zone);
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("spec.headers.addOnProduce has 51 rules (at most 50)"));
        Assert.Contains(errors, e => e.Contains("spec.headers.removeOnConsume has 51 rules (at most 50)"));

        var fifty = zone with { Spec = zone.Spec with { Headers = new HeaderRules { AddOnProduce = zone.Spec.Headers!.AddOnProduce![..50] } } };
        Assert.Empty(Errors(fifty));
    }

    [Fact]
    public void An_empty_list_item_is_refused()
    {
        var errors = Errors("\n  headers:\n    addOnProduce:\n      - ~\n    removeOnConsume:\n      - ~");
        Assert.Contains(errors, e => e.Contains("spec.headers.addOnProduce[0] is empty"));
        Assert.Contains(errors, e => e.Contains("spec.headers.removeOnConsume[0] is empty"));
    }

    [Fact]
    public void Templates_parse_into_literal_text_and_names()
    {
        Assert.True(HeaderTemplates.TryParse("by {{user}}@{{gatewayHost}}", out var parts, out var problem));
        Assert.Null(problem);
        Assert.Equal(
            [new HeaderValuePart("by ", false), new HeaderValuePart("user", true), new HeaderValuePart("@", false), new HeaderValuePart("gatewayHost", true)],
            parts);
        Assert.True(HeaderTemplates.TryParse("", out var none, out _));
        Assert.Empty(none);
        Assert.Equal(7, HeaderTemplates.Names.Count);
    }

    [Fact]
    public void Key_patterns_match_whole_keys_only()
    {
        var pattern = HeaderKeyPattern.Compile("internal-.*|x-a");
        Assert.Matches(pattern, "internal-id");
        Assert.Matches(pattern, "x-a");
        Assert.DoesNotMatch(pattern, "x-ab");
        Assert.DoesNotMatch(pattern, "my-internal-id");
    }

    [Fact]
    public void The_example_and_the_reference_document_are_valid_zones_with_both_parts()
    {
        var example = Assert.Single(PartnerZoneReader.ReadAll(File.ReadAllText(Path.Combine(RepoRoot(), "examples", "partner-zone-with-policies.yaml")), "example"));
        Assert.Equal(1048576, example.Spec.TrafficControlPolicies!.MaxProduceRate);
        Assert.Equal(2, example.Spec.Headers!.AddOnProduce!.Count);

        // The reference's first YAML block is the full zone it documents.
        var reference = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "partner-zone-reference.md"));
        var start = reference.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var documented = Assert.Single(PartnerZoneReader.ReadAll(reference[start..reference.IndexOf("```", start, StringComparison.Ordinal)], "reference"));
        Assert.Equal(60, documented.Spec.TrafficControlPolicies!.LimitCommitOffset);
        Assert.Equal("internal-.*", Assert.Single(documented.Spec.Headers!.RemoveOnConsume!).KeyRegex);
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PartnerZones.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
