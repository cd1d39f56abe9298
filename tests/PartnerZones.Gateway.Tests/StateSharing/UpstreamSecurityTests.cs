using System.Security.Cryptography.X509Certificates;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka;
using PartnerZones.EmbeddedKafka.Security;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Tests.Admin;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.StateSharing;

/// <summary>The gateway's own connections to the backing cluster: SCRAM logins (data path and state topic)
/// and TLS with a configured certificate authority.</summary>
public sealed class UpstreamSecurityTests
{
    private const string GatewayPassword = "gateway-upstream-password-1";

    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-512")]
    public async Task The_gateway_logs_in_to_the_cluster_with_SCRAM_for_partners_and_for_its_state(string mechanism)
    {
        var users = new[]
        {
            new SaslUser(mechanism == "SCRAM-SHA-256" ? PartnerZones.EmbeddedKafka.Security.SaslMechanism.ScramSha256 : PartnerZones.EmbeddedKafka.Security.SaslMechanism.ScramSha512, "gateway", GatewayPassword),
        };
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { SaslUsers = users });
        var upstream = new UpstreamConfig { BootstrapServers = cluster.BootstrapServers, SecurityProtocol = "SASL_PLAINTEXT", SaslMechanism = mechanism, Username = "gateway", Password = GatewayPassword };
        using (var admin = new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = mechanism == "SCRAM-SHA-256" ? Confluent.Kafka.SaslMechanism.ScramSha256 : Confluent.Kafka.SaslMechanism.ScramSha512,
            SaslUsername = "gateway",
            SaslPassword = GatewayPassword,
        }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = "kafka-topic-a", NumPartitions = 1, ReplicationFactor = 1 }]);
        }

        var (gateway, http) = await GatewayInstance.StartAsync(cluster, adjust: spec => spec with { Upstream = upstream });
        await using (gateway)
        {
            using var api = AdminApi.For(http);
            await AdminApiTests.AccountAsync(api, "upstream-scram");
            await api.PutAsync("/gateway/v2/partner-zone", AdminApiTests.Zone("upstream-scram-zone", "upstream-scram", "WRITE"));
            var (_, secret) = await api.IssueAsync("upstream-scram");
            var partner = new ProducerConfig
            {
                BootstrapServers = gateway.BootstrapServers,
                SecurityProtocol = SecurityProtocol.SaslPlaintext,
                SaslMechanism = Confluent.Kafka.SaslMechanism.Plain,
                SaslUsername = "upstream-scram",
                SaslPassword = secret,
            };
            using var producer = new ProducerBuilder<Null, string>(partner).Build();
            var delivered = await producer.ProduceAsync("shared", new Message<Null, string> { Value = "through a SCRAM upstream" });
            Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        }

        var wrong = upstream with { Password = "not-the-password" };
        var error = await Assert.ThrowsAsync<UpstreamException>(() => GatewayInstance.StartAsync(cluster, adjust: spec => spec with { Upstream = wrong }));
        Assert.Contains("rejected the gateway's credentials for 'gateway'", error.Message);
    }

    [Fact]
    public async Task Upstream_TLS_verifies_the_broker_against_the_configured_authority()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        using var certificates = new TestCertificates();
        using var serverCertificate = X509Certificate2.CreateFromPemFile(certificates.CertificateFile, certificates.KeyFile);
        // A broker speaking TLS: the scripted broker terminates it and relays every request to the real node.
        using var brokerCertificate = X509CertificateLoader.LoadPkcs12(serverCertificate.Export(X509ContentType.Pkcs12), null);
        await using var broker = new ScriptedBroker(relayTo: cluster.EndPoints[0], certificate: brokerCertificate);

        var trusted = new UpstreamConfig { BootstrapServers = broker.BootstrapServers, SecurityProtocol = "SSL", SslCaFile = certificates.CaFile };
        await using (var connection = await UpstreamConnection.ConnectAsync("127.0.0.1", broker.EndPoint.Port, trusted, 1 << 20, CancellationToken.None))
        {
            var versions = await connection.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 0, "test", CancellationToken.None);
            Assert.Equal(0, versions.ErrorCode);
            Assert.NotEmpty(versions.ApiKeys);
        }

        // Another authority: the broker's certificate does not chain to it, so nothing is sent.
        using var others = new TestCertificates();
        var untrusted = trusted with { SslCaFile = others.CaFile };
        var error = await Assert.ThrowsAsync<UpstreamException>(() => UpstreamConnection.ConnectAsync("127.0.0.1", broker.EndPoint.Port, untrusted, 1 << 20, CancellationToken.None));
        Assert.Contains("sslCaFile", error.Message);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
    }
}
