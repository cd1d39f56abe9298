using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Api;

/// <summary>
/// Describes the zone policy fields in the OpenAPI document: their units, bounds and templates come from
/// the validator's constants, so the document cannot drift from what a PUT accepts.
/// </summary>
internal static class ResourceSchemas
{
    public static Task Describe(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(TrafficControlPolicies))
        {
            schema.Description = "Rate limits of the zone, each left out for no limit. Rates are per zone per gateway instance and are "
                + "enforced as Kafka quotas: a client over the rate is answered with throttle_time_ms and its connection muted (KIP-219).";
            Property(schema, "maxProduceRate", $"Bytes per second the partner may produce, 1 to {PartnerZoneValidator.MaxByteRate}.", 1, PartnerZoneValidator.MaxByteRate);
            Property(schema, "maxConsumeRate", $"Bytes per second the partner may fetch, 1 to {PartnerZoneValidator.MaxByteRate}.", 1, PartnerZoneValidator.MaxByteRate);
            Property(schema, "limitCommitOffset", $"Offset commits per minute the partner may make, 1 to {PartnerZoneValidator.MaxCommitsPerMinute}.", 1, PartnerZoneValidator.MaxCommitsPerMinute);
        }
        else if (type == typeof(HeaderRules))
        {
            schema.Description = "Header rules: headers added to every record the partner produces, and headers removed from every record it fetches.";
            Property(schema, "addOnProduce", $"At most {PartnerZoneValidator.MaxHeaderRules} headers to add, each key once.", null, null);
            Property(schema, "removeOnConsume", $"At most {PartnerZoneValidator.MaxHeaderRules} rules; a header whose key matches any of them is removed.", null, null);
        }
        else if (type == typeof(HeaderToAdd))
        {
            schema.Description = "A header added to every record the partner produces.";
            Property(schema, "key", $"The header key: 1 to {PartnerZoneValidator.MaxHeaderKeyLength} characters, no control characters.", null, null);
            Property(schema, "value", $"The header value, at most {PartnerZoneValidator.MaxHeaderValueLength} characters. It may use the templates "
                + $"{HeaderTemplates.Listed}, filled in per connection and request; any other '{{{{' is refused.", null, null);
            Property(schema, "overrideIfExists", "When the record already has a header of that key: true replaces it, false (the default) keeps it and adds nothing.", null, null);
        }
        else if (type == typeof(HeaderToRemove))
        {
            schema.Description = "Headers whose key matches are removed from every record the partner fetches.";
            Property(schema, "keyRegex", $"A .NET regular expression matching the whole key (at most {PartnerZoneValidator.MaxKeyRegexLength} characters). "
                + "It runs in linear time, so backreferences and lookarounds are refused.", null, null);
        }
        else if (type == typeof(PartnerZoneSpec))
        {
            Property(schema, "trafficControlPolicies", "Rate limits of the zone (optional).", null, null);
            Property(schema, "headers", "Header rules of the zone (optional).", null, null);
        }

        return Task.CompletedTask;
    }

    private static void Property(OpenApiSchema schema, string name, string description, long? minimum, long? maximum)
    {
        // A property of an object type is a reference to a shared schema; its description stays on the target.
        if (schema.Properties?.TryGetValue(name, out var property) != true || property is not OpenApiSchema inline)
        {
            return;
        }

        inline.Description = description;
        if (minimum is { } min)
        {
            inline.Minimum = min.ToString(CultureInfo.InvariantCulture);
        }

        if (maximum is { } max)
        {
            inline.Maximum = max.ToString(CultureInfo.InvariantCulture);
        }
    }
}
