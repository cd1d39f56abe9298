using System.Globalization;
using System.Text;

namespace PartnerZones.LoadTest.Gateway;

/// <summary>The `pz gateway` configuration of a comparison run: the embedded cluster upstream, no HTTP port,
/// one zone whose partner account logs in with SASL PLAIN and whose WRITE aliases are the scenarios' topics
/// (format: docs/gateway-configuration.md).</summary>
internal static class GatewayConfigFile
{
    public const string ZoneName = "load-test-zone";
    public const string Account = "loadtest";

    public static string Render(string upstreamBootstrap, int bootstrapPort, string secretHash, IEnumerable<ZoneTopics.Alias> aliases, bool headerRules = false)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            apiVersion: v2
            kind: Gateway
            metadata:
              name: gateway
            spec:
              upstream:
                bootstrapServers: {upstreamBootstrap}
              listener:
                host: 127.0.0.1
                bootstrapPort: {bootstrapPort}
                brokerPortBase: {bootstrapPort + 1}
              http:
                port: 0
            ---
            apiVersion: v2
            kind: PartnerZone
            metadata:
              name: {ZoneName}
            spec:
              cluster: gateway
              displayName: pz-loadtest gateway comparison
              url: https://partner.example.com
              serviceAccount: {Account}
              partner:
                name: Load Test
                role: Benchmark
                email: loadtest@example.com
                phone: 000 0000 0000
              topics:

            """);
        foreach (var alias in aliases)
        {
            text.Append(CultureInfo.InvariantCulture, $"    - name: {alias.Name}\n      backingTopic: {alias.Backing}\n      permission: WRITE\n");
        }

        if (headerRules)
        {
            // Rules as a zone might have them: templates filled per request, and a removal of one of the
            // added headers, so consuming decodes and re-encodes every batch too (the costly case).
            text.Append("""
                  headers:
                    addOnProduce:
                      - key: pz-user
                        value: "{{user}}"
                        overrideIfExists: true
                      - key: pz-origin
                        value: "{{clientId}}@{{userIp}}"
                        overrideIfExists: false
                      - key: pz-time
                        value: "{{timestampMillis}}"
                        overrideIfExists: true
                    removeOnConsume:
                      - keyRegex: "pz-time"

                """);
        }

        text.Append(CultureInfo.InvariantCulture, $"""
            ---
            apiVersion: v2
            kind: ServiceAccount
            metadata:
              name: {Account}
            spec:
              type: PARTNER
            ---
            apiVersion: v2
            kind: Credential
            metadata:
              name: {Account}-1
            spec:
              serviceAccount: {Account}
              secretHash: {secretHash}

            """);
        return text.ToString();
    }
}
