using PartnerZones.Resources;

namespace PartnerZones.Resources.Tests;

/// <summary>The free-text fields of a PartnerZone: url, partner email, labels, lengths, control characters
/// and the number of topics, each accepted and refused, with the message naming zone, field and fix.</summary>
public sealed class FreeTextRulesTests
{
    private static PartnerZone Zone(Func<PartnerZoneSpec, PartnerZoneSpec>? spec = null, Dictionary<string, string>? labels = null)
    {
        var valid = new PartnerZoneSpec
        {
            Cluster = "gateway",
            ServiceAccount = "acme",
            Topics = [new SharedTopic { Name = "orders", BackingTopic = "orders", Permission = "READ" }],
        };
        return new PartnerZone { Metadata = new ResourceMetadata { Name = "acme", Labels = labels }, Spec = spec?.Invoke(valid) ?? valid };
    }

    private static string OnlyError(PartnerZone zone) => Assert.Single(PartnerZoneValidator.Validate(zone));

    private static PartnerZone WithEmail(string email) => Zone(s => s with { Partner = new PartnerContact { Email = email } });

    private static PartnerZone WithUrl(string url) => Zone(s => s with { Url = url });

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://partner.example.com")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative/path")]
    [InlineData("partner.example.com")]
    [InlineData("https://partner.example.com/a b")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    public void Only_http_and_https_urls_are_accepted(string url)
    {
        Assert.Equal(
            $"PartnerZone 'acme': spec.url {KafkaNames.Quoted(url)} is not an http:// or https:// address; set it to the partner's web page, like 'https://partner.example.com'.",
            OnlyError(WithUrl(url)));
        Assert.All(["https://partner.example.com", "http://127.0.0.1:8080/zones/acme?tab=topics#top", "HTTPS://Partner.Example.com/"],
            good => Assert.Empty(PartnerZoneValidator.Validate(WithUrl(good))));
    }

    [Fact]
    public void A_url_with_credentials_a_line_break_or_too_long_is_refused()
    {
        Assert.Equal("PartnerZone 'acme': spec.url 'https://user:secret@partner.example.com' has a user name or password in it; remove the part before '@'.",
            OnlyError(WithUrl("https://user:secret@partner.example.com")));
        Assert.Equal(@"PartnerZone 'acme': spec.url has the control character '\n' at position 20; it must be one line of text, remove it.",
            OnlyError(WithUrl("https://example.com\n")));
        var longUrl = "https://example.com/" + new string('a', AddressRules.MaxUrlLength);
        Assert.Equal($"PartnerZone 'acme': spec.url is {longUrl.Length} characters long (at most {AddressRules.MaxUrlLength}); shorten it.", OnlyError(WithUrl(longUrl)));
    }

    [Theory]
    [InlineData("Jane Doe <jane@example.com>")]
    [InlineData("<jane@example.com>")]
    [InlineData("jane@example.com, boss@example.com")]
    [InlineData("jane@example.com;boss@example.com")]
    [InlineData(" jane@example.com")]
    [InlineData("jane@example.com ")]
    [InlineData("jane")]
    [InlineData("jane@")]
    [InlineData("@example.com")]
    [InlineData("jane@example.com (Jane)")]
    public void One_plain_email_address_is_accepted_and_anything_else_refused(string email)
    {
        Assert.Equal(
            $"PartnerZone 'acme': spec.partner.email {KafkaNames.Quoted(email)} is not one email address; set it to a single address like 'jane@example.com' (no name, no list).",
            OnlyError(WithEmail(email)));
        Assert.All(["jane@example.com", "jane.doe+partners@sub.example.co.uk", "ops@localhost"],
            good => Assert.Empty(PartnerZoneValidator.Validate(WithEmail(good))));
    }

    [Theory]
    [InlineData("jane@example.com\r\nBcc: all@example.com", 17)]
    [InlineData("jane@example.com\n", 17)]
    public void An_email_with_a_line_break_is_refused_before_it_can_add_a_header(string email, int position) =>
        Assert.Equal(
            $@"PartnerZone 'acme': spec.partner.email has the control character '\{(email[position - 1] == '\r' ? 'r' : 'n')}' at position {position}; it must be one line of text, remove it.",
            OnlyError(WithEmail(email)));

    [Fact]
    public void An_email_longer_than_smtp_carries_is_refused()
    {
        var email = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com";
        Assert.True(email.Length > AddressRules.MaxEmailLength);
        Assert.Equal($"PartnerZone 'acme': spec.partner.email is {email.Length} characters long (at most {AddressRules.MaxEmailLength}); shorten it.", OnlyError(WithEmail(email)));
    }

    [Fact]
    public void Kubernetes_style_labels_are_accepted_and_others_refused()
    {
        var labels = new Dictionary<string, string>
        {
            ["team"] = "data-platform",
            ["example.com/owner"] = "Jane.Doe_1",
            ["app.kubernetes.io/part-of"] = "",
            [new string('k', 63)] = new string('v', 63),
            [string.Join('.', Enumerable.Repeat(new string('p', 63), 3)) + ".example/x"] = "1",
        };
        Assert.Empty(PartnerZoneValidator.Validate(Zone(labels: labels)));
        labels["Team Name"] = "x y";
        Assert.Equal(
            "PartnerZone 'acme': metadata.labels key 'Team Name' has characters a label name cannot have; use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit.",
            OnlyError(Zone(labels: labels)));
    }

    [Theory]
    [InlineData("Team Name", "'Team Name' has characters a label name cannot have")]
    [InlineData("-team", "'-team' has characters a label name cannot have")]
    [InlineData("team-", "'team-' has characters a label name cannot have")]
    [InlineData("team\n", @"'team\n' has characters a label name cannot have")]
    [InlineData("", "'' is empty; name the label, like 'team'")]
    [InlineData("Example.com/team", "'Example.com/team' has the prefix 'Example.com', which is not a DNS subdomain")]
    [InlineData("/team", "'/team' has the prefix '', which is not a DNS subdomain")]
    [InlineData("example.com/", "'example.com/' has nothing after '/'")]
    [InlineData("a/b/c", "'a/b/c' has characters a label name cannot have")]
    public void Label_keys_outside_the_rules_are_refused(string key, string problem)
    {
        var error = OnlyError(Zone(labels: new() { [key] = "v" }));
        Assert.StartsWith($"PartnerZone 'acme': metadata.labels key {problem}", error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Label_names_prefixes_and_values_have_length_limits()
    {
        Assert.StartsWith("PartnerZone 'acme': metadata.labels key '" + new string('k', 64) + "' is 64 characters long; use a name of at most 63",
            OnlyError(Zone(labels: new() { [new string('k', 64)] = "v" })));
        var longPrefix = string.Join('.', Enumerable.Repeat(new string('p', 63), 4)) + "/team";
        Assert.Contains("which is not a DNS subdomain", OnlyError(Zone(labels: new() { [longPrefix] = "v" })));
        Assert.Equal("PartnerZone 'acme': metadata.labels.team value '" + new string('v', 64) + "' is 64 characters long; use a value of at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, or leave it empty.",
            OnlyError(Zone(labels: new() { ["team"] = new string('v', 64) })));
        Assert.Equal("PartnerZone 'acme': metadata.labels.team value 'a b' has characters a label value cannot have; use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, or leave it empty.",
            OnlyError(Zone(labels: new() { ["team"] = "a b" })));
    }

    [Fact]
    public void At_most_64_labels()
    {
        Assert.Empty(PartnerZoneValidator.Validate(Zone(labels: Labels(LabelRules.MaxLabels))));
        Assert.Equal("PartnerZone 'acme': metadata.labels has 65 labels (at most 64); keep the ones you select or search by.",
            OnlyError(Zone(labels: Labels(LabelRules.MaxLabels + 1))));

        static Dictionary<string, string> Labels(int count) => Enumerable.Range(0, count).ToDictionary(i => $"label-{i}", i => $"{i}");
    }

    [Fact]
    public void Free_text_fields_have_length_limits()
    {
        Assert.Empty(PartnerZoneValidator.Validate(Zone(s => s with { Description = new string('d', PartnerZoneValidator.MaxDescriptionLength) })));
        Assert.Equal($"PartnerZone 'acme': spec.description is {PartnerZoneValidator.MaxDescriptionLength + 1} characters long (at most {PartnerZoneValidator.MaxDescriptionLength}); shorten it.",
            OnlyError(Zone(s => s with { Description = new string('d', PartnerZoneValidator.MaxDescriptionLength + 1) })));
        Assert.Equal("PartnerZone 'acme': spec.displayName is 257 characters long (at most 256); shorten it.",
            OnlyError(Zone(s => s with { DisplayName = new string('n', 257) })));
        Assert.Equal("PartnerZone 'acme': spec.partner.name is 257 characters long (at most 256); shorten it.",
            OnlyError(Zone(s => s with { Partner = new PartnerContact { Name = new string('n', 257) } })));
        Assert.Equal("PartnerZone 'acme': spec.partner.role is 257 characters long (at most 256); shorten it.",
            OnlyError(Zone(s => s with { Partner = new PartnerContact { Role = new string('r', 257) } })));
        Assert.Equal("PartnerZone 'acme': spec.partner.phone is 65 characters long (at most 64); shorten it.",
            OnlyError(Zone(s => s with { Partner = new PartnerContact { Phone = new string('1', 65) } })));
    }

    [Fact]
    public void The_description_may_have_line_breaks_and_tabs_but_no_other_control_characters()
    {
        Assert.Empty(PartnerZoneValidator.Validate(Zone(s => s with { Description = "Orders.\n\tShared daily.\r\nAsk ops." })));
        Assert.Equal(@"PartnerZone 'acme': spec.description has the control character '\u001b' at position 7; only line breaks and tabs are allowed, remove it.",
            OnlyError(Zone(s => s with { Description = "Orders\u001b[31m" })));
        Assert.Equal(@"PartnerZone 'acme': spec.description has the control character '\r' at position 3; only line breaks and tabs are allowed, remove it.",
            OnlyError(Zone(s => s with { Description = "ab\rcd" })));
    }

    [Fact]
    public void One_line_fields_refuse_line_breaks()
    {
        Assert.Equal(@"PartnerZone 'acme': spec.displayName has the control character '\n' at position 5; it must be one line of text, remove it.",
            OnlyError(Zone(s => s with { DisplayName = "Acme\nEvil" })));
        Assert.Equal(@"PartnerZone 'acme': spec.partner.name has the control character '\t' at position 5; it must be one line of text, remove it.",
            OnlyError(Zone(s => s with { Partner = new PartnerContact { Name = "Jane\tDoe" } })));
        Assert.Empty(PartnerZoneValidator.Validate(Zone(s => s with { DisplayName = "Acme – Zürich 😀", Partner = new PartnerContact { Name = "Jane Doe", Role = "Data analyst", Phone = "+44 7827 837 177" } })));
    }

    [Fact]
    public void At_most_1000_topics_in_a_zone()
    {
        static List<SharedTopic> Topics(int count) => [.. Enumerable.Range(0, count).Select(i => new SharedTopic { Name = $"t{i}", BackingTopic = "orders", Permission = "READ" })];

        Assert.Empty(PartnerZoneValidator.Validate(Zone(s => s with { Topics = Topics(PartnerZoneValidator.MaxTopics) })));
        Assert.Equal("PartnerZone 'acme': spec.topics has 1001 topics (at most 1000); share fewer, or split them over several zones.",
            OnlyError(Zone(s => s with { Topics = Topics(PartnerZoneValidator.MaxTopics + 1) })));
    }

    [Fact]
    public void Names_with_a_trailing_line_break_are_refused_on_one_line()
    {
        var zone = Zone(s => s with { ServiceAccount = "base\n", Cluster = "gateway\n", Topics = [new SharedTopic { Name = "t\n", BackingTopic = "orders\n", Permission = "READ" }] });
        zone = zone with { Metadata = zone.Metadata with { Name = "x\n" } };
        var errors = PartnerZoneValidator.Validate(zone);
        Assert.Equal(
        [
            @"PartnerZone 'x\n': metadata.name 'x\n' must be lower-case letters, digits and '-', starting and ending with a letter or digit; name the zone like 'acme-orders'.",
            @"PartnerZone 'x\n': spec.cluster 'gateway\n' must be lower-case letters, digits and '-', starting and ending with a letter or digit; set it to the name of a KafkaCluster.",
            @"PartnerZone 'x\n': spec.serviceAccount 'base\n' must be lower-case letters, digits and '-', starting and ending with a letter or digit; set it to the name partners log in with, like 'acme'.",
            @"PartnerZone 'x\n': spec.topics[0].name 't\n' has characters Kafka does not allow (use letters, digits, '.', '_' and '-'); set it to the name the partner will use.",
            @"PartnerZone 'x\n': spec.topics[0].backingTopic 'orders\n' has characters Kafka does not allow (use letters, digits, '.', '_' and '-'); set it to the Kafka topic to share.",
        ], errors);
    }

    [Fact]
    public void The_documented_example_passes_every_rule_until_its_name_ends_in_a_line_break()
    {
        var example = File.ReadAllText(Path.Combine(RepoRoot(), "examples", "partner-zone.yaml"));
        Assert.Single(PartnerZoneReader.ReadAll(example, "examples/partner-zone.yaml"));

        var broken = example.Replace("name: external-partner-zone\n", "name: \"external-partner-zone\\n\"\n", StringComparison.Ordinal);
        Assert.NotEqual(example, broken);
        var error = Assert.Throws<ResourceException>(() => PartnerZoneReader.ReadAll(broken, "examples/partner-zone.yaml"));
        Assert.Equal(@"PartnerZone 'external-partner-zone\n': metadata.name 'external-partner-zone\n' must be lower-case letters, digits and '-', starting and ending with a letter or digit; name the zone like 'acme-orders'.",
            Assert.Single(error.Errors));
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
