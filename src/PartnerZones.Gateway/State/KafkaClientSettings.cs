using Confluent.Kafka;
using PartnerZones.Gateway.Configuration;

namespace PartnerZones.Gateway.State;

/// <summary>The gateway's own Kafka clients (state and audit topics) connect like its data path does:
/// same bootstrap servers, security protocol, SASL mechanism and account, same trusted authorities.</summary>
internal static class KafkaClientSettings
{
    public static T Apply<T>(T config, UpstreamConfig upstream, string clientId)
        where T : ClientConfig
    {
        config.BootstrapServers = upstream.BootstrapServers;
        config.ClientId = clientId;
        config.SecurityProtocol = upstream.SecurityProtocol switch
        {
            "SASL_PLAINTEXT" => SecurityProtocol.SaslPlaintext,
            "SSL" => SecurityProtocol.Ssl,
            "SASL_SSL" => SecurityProtocol.SaslSsl,
            _ => SecurityProtocol.Plaintext,
        };
        if (upstream.UsesSasl)
        {
            config.SaslMechanism = upstream.SaslMechanism switch
            {
                "SCRAM-SHA-256" => SaslMechanism.ScramSha256,
                "SCRAM-SHA-512" => SaslMechanism.ScramSha512,
                _ => SaslMechanism.Plain,
            };
            config.SaslUsername = upstream.Username;
            config.SaslPassword = upstream.Password;
        }

        if (upstream.UsesTls && upstream.SslCaFile is { } ca)
        {
            config.SslCaLocation = ca;
        }

        config.SocketNagleDisable = true;
        return config;
    }
}
