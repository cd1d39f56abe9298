using System.Globalization;

namespace PartnerZones.ControlPlane.Web;

/// <summary>The <c>config.properties</c> offered with new credentials: the same file as
/// <c>pz partner-zone generate-credentials -o properties</c>, ready for Java clients, with the
/// librdkafka settings (kcat, confluent-kafka) as comments beside it.</summary>
public static class ClientProperties
{
    public static string Write(string id, string username, string password, DateTimeOffset expiresAt, string bootstrapServers) => $"""
        # Partner credentials {id}, valid until {expiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}.
        bootstrap.servers={bootstrapServers}
        security.protocol=SASL_PLAINTEXT
        sasl.mechanism=PLAIN
        sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="{Escape(username)}" password="{Escape(password)}";
        # librdkafka clients (kcat, confluent-kafka) reject sasl.jaas.config: remove it and use these instead.
        # sasl.username={username}
        # sasl.password={password}

        """;

    /// <summary>A data: URL of the file, so the browser downloads it without the secret ever being stored or sent again.</summary>
    public static string DataUrl(string content) => "data:text/plain;charset=utf-8," + Uri.EscapeDataString(content);

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
