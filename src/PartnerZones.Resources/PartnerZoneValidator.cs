namespace PartnerZones.Resources;

/// <summary>Checks a PartnerZone and collects every problem, each naming the zone, the field and the fix.</summary>
public static class PartnerZoneValidator
{
    public static List<string> Validate(PartnerZone zone)
    {
        var errors = new List<string>();
        var who = $"PartnerZone '{zone.Metadata.Name}'";
        if (zone.ApiVersion != PartnerZone.CurrentApiVersion)
        {
            errors.Add($"{who}: apiVersion is '{zone.ApiVersion}'; set it to '{PartnerZone.CurrentApiVersion}'.");
        }

        if (zone.Kind != PartnerZone.KindName)
        {
            errors.Add($"{who}: kind is '{zone.Kind}'; set it to '{PartnerZone.KindName}'.");
        }

        if (KafkaNames.ResourceProblem(zone.Metadata.Name) is { } nameProblem)
        {
            errors.Add($"{who}: metadata.name {nameProblem}; name the zone like 'acme-orders'.");
        }

        var spec = zone.Spec;
        if (string.IsNullOrWhiteSpace(spec.Cluster))
        {
            errors.Add($"{who}: spec.cluster is empty; set it to the gateway cluster that serves the zone (for example 'gateway').");
        }

        if (spec.ServiceAccount is not null && spec.AuthenticationMode?.ServiceAccount is { } other && other != spec.ServiceAccount)
        {
            errors.Add($"{who}: spec.serviceAccount ('{spec.ServiceAccount}') and spec.authenticationMode.serviceAccount ('{other}') differ; keep one.");
        }

        if (spec.AuthenticationMode is { Type: var type } && !string.Equals(type, "PLAIN", StringComparison.Ordinal))
        {
            errors.Add($"{who}: spec.authenticationMode.type is '{type}'; only PLAIN is supported.");
        }

        if (string.IsNullOrWhiteSpace(spec.EffectiveServiceAccount))
        {
            errors.Add($"{who}: no service account; set spec.serviceAccount to the name partners log in with.");
        }
        else if (KafkaNames.ResourceProblem(spec.EffectiveServiceAccount) is { } accountProblem)
        {
            errors.Add($"{who}: spec.serviceAccount {accountProblem}.");
        }

        if (spec.Topics.Count == 0)
        {
            errors.Add($"{who}: spec.topics is empty; share at least one topic (name, backingTopic, permission).");
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
                errors.Add($"{at}.name '{topic.Name}' is used twice; each alias must be unique in the zone.");
            }

            if (KafkaNames.TopicProblem(topic.BackingTopic) is { } backingProblem)
            {
                errors.Add($"{at}.backingTopic {backingProblem}; set it to the Kafka topic to share.");
            }

            if (topic.Permission is not ("READ" or "WRITE"))
            {
                errors.Add($"{at}.permission is '{topic.Permission}'; use READ or WRITE (WRITE includes READ).");
            }
        }

        return errors;
    }
}
