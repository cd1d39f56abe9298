using System.Security.Authentication;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Tests.StateSharing;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>A SASL_SSL listener: TLS 1.2+ with a PEM certificate and key, SASL inside.</summary>
public sealed class SaslSslListenerTests : IAsyncLifetime
{
    private readonly TestCertificates _certificates = new();
    private EmbeddedCluster _cluster = null!;
    private GatewayHost _gateway = null!;
    private AdminApi _api = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _cluster.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = "kafka-topic-a", NumPartitions = 1, ReplicationFactor = 1 }]);
        }

        int http;
        (_gateway, http) = await GatewayInstance.StartAsync(_cluster, adjust: spec => spec with
        {
            Listener = spec.Listener with
            {
                SecurityProtocol = "SASL_SSL",
                Tls = new TlsConfig { CertificateFile = _certificates.CertificateFile, KeyFile = _certificates.KeyFile },
            },
        });
        _api = AdminApi.For(http);
        await AdminApiTests.AccountAsync(_api, "tls-partner", "\"PLAIN\", \"SCRAM-SHA-512\"");
        await _api.PutAsync("/gateway/v2/partner-zone", AdminApiTests.Zone("tls-zone", "tls-partner", "WRITE", alias: "secure"));
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _gateway.DisposeAsync();
        await _cluster.DisposeAsync();
        _certificates.Dispose();
    }

    [Fact]
    public async Task Kcat_produces_and_consumes_over_SASL_SSL()
    {
        var (_, secret) = await _api.IssueAsync("tls-partner");
        var plain = Kcat.Sasl(_gateway.BootstrapServers, "PLAIN", "tls-partner", secret, "SASL_SSL", _certificates.CaFile);
        var (listed, output, error) = await Kcat.RunAsync(null, [.. plain, "-L"]);
        Assert.True(listed == 0, error);
        Assert.Contains("topic \"secure\"", output);

        var (produced, _, produceError) = await Kcat.RunAsync("over tls\n", [.. plain, "-P", "-t", "secure"]);
        Assert.True(produced == 0, produceError);
        var scram = Kcat.Sasl(_gateway.BootstrapServers, "SCRAM-SHA-512", "tls-partner", secret, "SASL_SSL", _certificates.CaFile);
        var (consumed, records, consumeError) = await Kcat.RunAsync(null, [.. scram, "-C", "-t", "secure", "-o", "beginning", "-e", "-q"]);
        Assert.True(consumed == 0, consumeError);
        Assert.Contains("over tls", records);
    }

    [Fact]
    public async Task Confluent_Kafka_verifies_the_certificate_and_a_client_that_does_not_trust_it_fails()
    {
        var (_, secret) = await _api.IssueAsync("tls-partner");
        var config = new ClientConfig
        {
            BootstrapServers = _gateway.BootstrapServers,
            SecurityProtocol = SecurityProtocol.SaslSsl,
            SaslMechanism = SaslMechanism.Plain,
            SaslUsername = "tls-partner",
            SaslPassword = secret,
            SslCaLocation = _certificates.CaFile,
        };
        using (var admin = new AdminClientBuilder(config).Build())
        {
            Assert.Equal(["secure"], admin.GetMetadata(TimeSpan.FromSeconds(20)).Topics.Select(t => t.Topic));
        }

        // The system store does not know the test authority: the handshake fails, nothing is served.
        var untrusting = await Kcat.RunAsync(null, [.. Kcat.Sasl(_gateway.BootstrapServers, "PLAIN", "tls-partner", secret, "SASL_SSL"), "-L", "-m", "5"]);
        Assert.NotEqual(0, untrusting.Exit);
        Assert.Contains("certificate", untrusting.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TLS_1_2_and_1_3_are_served_and_older_versions_refused()
    {
        foreach (var protocol in new[] { SslProtocols.Tls12, SslProtocols.Tls13 })
        {
            await using var tls = await ConnectAsync(protocol);
            Assert.Equal(protocol, tls.TlsProtocol);
        }

#pragma warning disable SYSLIB0039 // an old protocol on purpose: the listener must refuse it
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(SslProtocols.Tls11));
#pragma warning restore SYSLIB0039
    }

    /// <summary>A TLS connection that accepts any certificate: only the protocol version is under test.</summary>
    private Task<KafkaWireClient> ConnectAsync(SslProtocols protocol) =>
        KafkaWireClient.ConnectTlsAsync(_gateway.BootstrapServers, (_, _, _, _) => true, protocol);
}
