using System.Globalization;

namespace PartnerZones.Resources;

/// <summary>Checks a KafkaCluster and collects every problem, each naming the cluster, the field and the fix.</summary>
public static class KafkaClusterValidator
{
    /// <summary>Every problem of <paramref name="cluster"/>. <paramref name="storedAdminUrl"/> is the admin URL
    /// of the cluster an update replaces, when the update leaves the password out: the stored password is
    /// kept only for that same URL, so a different one needs the password again.</summary>
    public static List<string> Validate(KafkaCluster cluster, string? storedAdminUrl = null)
    {
        var errors = new List<string>();
        var who = $"KafkaCluster {KafkaNames.Quoted(cluster.Metadata.Name)}";
        if (cluster.ApiVersion != KafkaCluster.CurrentApiVersion)
        {
            errors.Add($"{who}: apiVersion is '{cluster.ApiVersion}'; set it to '{KafkaCluster.CurrentApiVersion}'.");
        }

        if (cluster.Kind != KafkaCluster.KindName)
        {
            errors.Add($"{who}: kind is '{cluster.Kind}'; set it to '{KafkaCluster.KindName}'.");
        }

        if (KafkaNames.ResourceProblem(cluster.Metadata.Name) is { } nameProblem)
        {
            errors.Add($"{who}: metadata.name {nameProblem}; name the cluster like 'gateway'.");
        }

        LabelRules.Check(cluster.Metadata.Labels, who, errors);

        var spec = cluster.Spec;
        if (string.IsNullOrWhiteSpace(spec.BootstrapServers))
        {
            errors.Add($"{who}: spec.bootstrapServers is empty; set it to the gateway address partners connect to (for example '127.0.0.1:9094').");
        }
        else
        {
            foreach (var server in spec.BootstrapServers.Split(','))
            {
                if (HostPortProblem(server.Trim()) is { } problem)
                {
                    errors.Add($"{who}: spec.bootstrapServers entry '{server.Trim()}' {problem}; write host:port entries separated by commas, like 'gateway.example.com:9094'.");
                }
            }
        }

        var admin = spec.AdminApi;
        if (string.IsNullOrWhiteSpace(admin.Url))
        {
            errors.Add($"{who}: spec.adminApi.url is empty; set it to the gateway's admin API (for example 'http://127.0.0.1:8888').");
        }
        else if (AdminApiUrl.Problem(admin.Url) is { } urlProblem)
        {
            errors.Add($"{who}: spec.adminApi.url '{AdminApiUrl.Describe(admin.Url)}' {urlProblem}; set it to the base URL of the gateway's admin API (for example 'http://127.0.0.1:8888' or 'https://gateway.example.com/pz-admin').");
        }

        if (string.IsNullOrWhiteSpace(admin.Username))
        {
            errors.Add($"{who}: spec.adminApi.username is empty; set it to an admin user of the gateway.");
        }

        if (string.IsNullOrEmpty(admin.Password))
        {
            errors.Add(storedAdminUrl is not null && !AdminApiUrl.SameTarget(storedAdminUrl, admin.Url)
                ? $"{who}: spec.adminApi.url changes from '{AdminApiUrl.Describe(storedAdminUrl)}' to '{AdminApiUrl.Describe(admin.Url)}' but spec.adminApi.password is empty; send spec.adminApi.password again when changing spec.adminApi.url (the stored password is only ever sent to the URL it was given for)."
                : $"{who}: spec.adminApi.password is empty; set it to that admin user's password.");
        }

        return errors;
    }

    private static string? HostPortProblem(string entry)
    {
        var colon = entry.LastIndexOf(':');
        if (colon <= 0 || colon == entry.Length - 1)
        {
            return "is not host:port";
        }

        return int.TryParse(entry[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? null
            : "has no port from 1 to 65535";
    }
}
