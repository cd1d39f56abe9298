namespace PartnerZones.Resources;

/// <summary>Checks a PartnerZone and collects every problem, each naming the zone, the field and the fix.</summary>
public static class PartnerZoneValidator
{
    /// <summary>Far more than a partner is given; a bound, so one zone cannot make every deployment and page huge.</summary>
    public const int MaxTopics = 1000;

    public const int MaxDisplayNameLength = 256;

    public const int MaxDescriptionLength = 4096;

    /// <summary>Partner name and role.</summary>
    public const int MaxContactLength = 256;

    public const int MaxPhoneLength = 64;

    /// <summary>Upper bound of maxProduceRate and maxConsumeRate: 1 TiB/s, beyond any one zone on one
    /// gateway instance, and small enough that the gateway's rate arithmetic never overflows.</summary>
    public const long MaxByteRate = 1L << 40;

    /// <summary>Upper bound of limitCommitOffset: a million commits a minute is no limit at all.</summary>
    public const int MaxCommitsPerMinute = 1_000_000;

    /// <summary>Rules per list of spec.headers: a bound, as every rule is applied to every record.</summary>
    public const int MaxHeaderRules = 50;

    public const int MaxHeaderKeyLength = 255;

    public const int MaxHeaderValueLength = 1024;

    public const int MaxKeyRegexLength = 1024;

    public static List<string> Validate(PartnerZone zone)
    {
        var errors = new List<string>();
        var who = $"PartnerZone {KafkaNames.Quoted(zone.Metadata.Name)}";
        if (zone.ApiVersion != PartnerZone.CurrentApiVersion)
        {
            errors.Add($"{who}: apiVersion is {KafkaNames.Quoted(zone.ApiVersion)}; set it to '{PartnerZone.CurrentApiVersion}'.");
        }

        if (zone.Kind != PartnerZone.KindName)
        {
            errors.Add($"{who}: kind is {KafkaNames.Quoted(zone.Kind)}; set it to '{PartnerZone.KindName}'.");
        }

        if (KafkaNames.ResourceProblem(zone.Metadata.Name) is { } nameProblem)
        {
            errors.Add($"{who}: metadata.name {nameProblem}; name the zone like 'acme-orders'.");
        }

        LabelRules.Check(zone.Metadata.Labels, who, errors);

        var spec = zone.Spec;
        if (string.IsNullOrWhiteSpace(spec.Cluster))
        {
            errors.Add($"{who}: spec.cluster is empty; set it to the gateway cluster that serves the zone (for example 'gateway').");
        }
        else if (KafkaNames.ResourceProblem(spec.Cluster) is { } clusterProblem)
        {
            errors.Add($"{who}: spec.cluster {clusterProblem}; set it to the name of a KafkaCluster.");
        }

        CheckText(spec.DisplayName, "spec.displayName", MaxDisplayNameLength, multiLine: false, who, errors);
        CheckText(spec.Description, "spec.description", MaxDescriptionLength, multiLine: true, who, errors);
        if (spec.Url is not null && AddressRules.UrlProblem(spec.Url) is { } urlProblem)
        {
            errors.Add($"{who}: spec.url {urlProblem}.");
        }

        if (spec.Partner is { } partner)
        {
            CheckText(partner.Name, "spec.partner.name", MaxContactLength, multiLine: false, who, errors);
            CheckText(partner.Role, "spec.partner.role", MaxContactLength, multiLine: false, who, errors);
            CheckText(partner.Phone, "spec.partner.phone", MaxPhoneLength, multiLine: false, who, errors);
            if (partner.Email is not null && AddressRules.EmailProblem(partner.Email) is { } emailProblem)
            {
                errors.Add($"{who}: spec.partner.email {emailProblem}.");
            }
        }

        if (spec.ServiceAccount is not null && spec.AuthenticationMode?.ServiceAccount is { } other && other != spec.ServiceAccount)
        {
            errors.Add($"{who}: spec.serviceAccount ({KafkaNames.Quoted(spec.ServiceAccount)}) and spec.authenticationMode.serviceAccount ({KafkaNames.Quoted(other)}) differ; keep one.");
        }

        if (spec.AuthenticationMode is { Type: var type } && !string.Equals(type, "PLAIN", StringComparison.Ordinal))
        {
            errors.Add($"{who}: spec.authenticationMode.type is {KafkaNames.Quoted(type)}; only PLAIN is supported.");
        }

        if (string.IsNullOrWhiteSpace(spec.EffectiveServiceAccount))
        {
            errors.Add($"{who}: no service account; set spec.serviceAccount to the name partners log in with.");
        }
        else if (KafkaNames.ResourceProblem(spec.EffectiveServiceAccount) is { } accountProblem)
        {
            errors.Add($"{who}: spec.serviceAccount {accountProblem}; set it to the name partners log in with, like 'acme'.");
        }

        CheckTrafficControl(spec.TrafficControlPolicies, who, errors);
        CheckHeaders(spec.Headers, who, errors);

        if (spec.Topics.Count == 0)
        {
            errors.Add($"{who}: spec.topics is empty; share at least one topic (name, backingTopic, permission).");
        }

        if (spec.Topics.Count > MaxTopics)
        {
            // Each topic is not checked too: thousands of messages would hide this one.
            errors.Add($"{who}: spec.topics has {spec.Topics.Count} topics (at most {MaxTopics}); share fewer, or split them over several zones.");
            return errors;
        }

        var aliases = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Topics.Count; i++)
        {
            var topic = spec.Topics[i];
            var at = $"{who}: spec.topics[{i}]";
            if (KafkaNames.TopicProblem(topic.Name) is { } aliasProblem)
            {
                errors.Add($"{at}.name {aliasProblem}; set it to the name the partner will use.");
            }
            else if (!aliases.Add(topic.Name))
            {
                errors.Add($"{at}.name {KafkaNames.Quoted(topic.Name)} is used twice; each alias must be unique in the zone.");
            }

            if (KafkaNames.TopicProblem(topic.BackingTopic) is { } backingProblem)
            {
                errors.Add($"{at}.backingTopic {backingProblem}; set it to the Kafka topic to share.");
            }

            if (topic.Permission is not ("READ" or "WRITE"))
            {
                errors.Add($"{at}.permission is {KafkaNames.Quoted(topic.Permission)}; use READ or WRITE (WRITE includes READ).");
            }
        }

        return errors;
    }

    private static void CheckTrafficControl(TrafficControlPolicies? policies, string who, List<string> errors)
    {
        if (policies is null)
        {
            return;
        }

        CheckRate(policies.MaxProduceRate, "maxProduceRate", "bytes per second", MaxByteRate, who, errors);
        CheckRate(policies.MaxConsumeRate, "maxConsumeRate", "bytes per second", MaxByteRate, who, errors);
        CheckRate(policies.LimitCommitOffset, "limitCommitOffset", "offset commits per minute", MaxCommitsPerMinute, who, errors);
    }

    private static void CheckRate(long? value, string name, string unit, long max, string who, List<string> errors)
    {
        if (value is not { } rate)
        {
            return;
        }

        var field = $"spec.trafficControlPolicies.{name}";
        if (rate < 1)
        {
            errors.Add($"{who}: {field} is {rate}; it is in {unit} and must be at least 1 (leave the field out for no limit).");
        }
        else if (rate > max)
        {
            errors.Add($"{who}: {field} is {rate}; it is in {unit} and must be at most {max} (leave the field out for no limit).");
        }
    }

    private static void CheckHeaders(HeaderRules? headers, string who, List<string> errors)
    {
        if (headers?.AddOnProduce is { } add)
        {
            if (add.Count > MaxHeaderRules)
            {
                errors.Add($"{who}: spec.headers.addOnProduce has {add.Count} rules (at most {MaxHeaderRules}); keep fewer.");
            }
            else
            {
                var keys = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < add.Count; i++)
                {
                    var at = $"spec.headers.addOnProduce[{i}]";
                    if (add[i] is not { } rule)
                    {
                        // A YAML '- ~' item binds to null; JSON's reader refuses it before.
                        errors.Add($"{who}: {at} is empty; give it a key and a value, or remove it.");
                        continue;
                    }

                    if (HeaderKeyProblem(rule.Key) is { } keyProblem)
                    {
                        errors.Add($"{who}: {at}.key {keyProblem}.");
                    }
                    else if (!keys.Add(rule.Key))
                    {
                        errors.Add($"{who}: {at}.key {KafkaNames.Quoted(rule.Key)} is used twice; keep one rule per header key.");
                    }

                    if (FreeText.Problem(rule.Value, MaxHeaderValueLength, multiLine: false) is { } valueProblem)
                    {
                        errors.Add($"{who}: {at}.value {valueProblem}.");
                    }
                    else if (!HeaderTemplates.TryParse(rule.Value, out _, out var templateProblem))
                    {
                        errors.Add($"{who}: {at}.value {templateProblem}; use only the templates {HeaderTemplates.Listed}, each written in full like {{{{clientId}}}}.");
                    }
                }
            }
        }

        if (headers?.RemoveOnConsume is { } remove)
        {
            if (remove.Count > MaxHeaderRules)
            {
                errors.Add($"{who}: spec.headers.removeOnConsume has {remove.Count} rules (at most {MaxHeaderRules}); keep fewer, or combine them into one keyRegex with '|'.");
                return;
            }

            for (var i = 0; i < remove.Count; i++)
            {
                var at = $"spec.headers.removeOnConsume[{i}]";
                if (remove[i] is not { } rule)
                {
                    errors.Add($"{who}: {at} is empty; give it a keyRegex, or remove it.");
                }
                else if (rule.KeyRegex.Length == 0)
                {
                    errors.Add($"{who}: {at}.keyRegex is empty; set it to a regular expression matching whole header keys, like 'internal-.*'.");
                }
                else if (rule.KeyRegex.Length > MaxKeyRegexLength)
                {
                    errors.Add($"{who}: {at}.keyRegex is {rule.KeyRegex.Length} characters long (at most {MaxKeyRegexLength}); shorten it.");
                }
                else if (HeaderKeyPattern.Problem(rule.KeyRegex) is { } regexProblem)
                {
                    errors.Add($"{who}: {at}.keyRegex {KafkaNames.Quoted(rule.KeyRegex)} {regexProblem}; fix the pattern (it must match the whole key, like 'internal-.*').");
                }
            }
        }
    }

    private static string? HeaderKeyProblem(string key) =>
        key.Length == 0 ? "is empty; set it to the name of the header to add, like 'x-partner'"
        : FreeText.Problem(key, MaxHeaderKeyLength, multiLine: false);

    private static void CheckText(string? value, string field, int maxLength, bool multiLine, string who, List<string> errors)
    {
        if (value is not null && FreeText.Problem(value, maxLength, multiLine) is { } problem)
        {
            errors.Add($"{who}: {field} {problem}.");
        }
    }
}
