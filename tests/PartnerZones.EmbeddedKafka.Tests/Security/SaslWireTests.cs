using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.Security;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.EmbeddedKafka.Tests.Security;

/// <summary>The SASL exchange and the pre-authentication gate, byte for byte, where a real client would hide
/// what the node sends: handshake v0 with raw tokens, error responses, and connections the node closes.</summary>
public sealed class SaslWireTests
{
    private static readonly SaslUser[] Users =
    [
        new(SaslMechanism.Plain, "alice", "wonderland"),
        new(SaslMechanism.ScramSha256, "carol", "lewis"),
    ];

    private static Task<EmbeddedCluster> StartAsync(List<string>? log = null) =>
        EmbeddedCluster.StartAsync(new ClusterOptions { SaslUsers = Users }, log is null ? null : message => { lock (log) { log.Add(message); } });

    [Fact]
    public async Task Handshake_v1_lists_the_enabled_mechanisms_and_SaslAuthenticate_logs_in()
    {
        await using var cluster = await StartAsync();
        await using var wire = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var versions = await wire.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "wire", ClientSoftwareVersion = "1" }, 3);
        var handshakeRange = Assert.Single(versions.ApiKeys, k => k.ApiKey == SaslHandshakeRequest.Key);
        Assert.Equal((0, 1), (handshakeRange.MinVersion, handshakeRange.MaxVersion));
        var authenticateRange = Assert.Single(versions.ApiKeys, k => k.ApiKey == SaslAuthenticateRequest.Key);
        Assert.Equal((0, 2), (authenticateRange.MinVersion, authenticateRange.MaxVersion));

        var handshake = await wire.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        Assert.Equal(0, handshake.ErrorCode);
        Assert.Equal(["PLAIN", "SCRAM-SHA-256"], handshake.Mechanisms);

        var login = await wire.SendAsync<SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = "\0alice\0wonderland"u8.ToArray() }, 2);
        Assert.Equal(0, login.ErrorCode);
        Assert.Null(login.ErrorMessage);
        Assert.Equal(0, login.SessionLifetimeMs);

        var metadata = await wire.SendAsync<MetadataResponse>(new MetadataRequest(), 12);
        Assert.Single(metadata.Brokers);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_failed_login_is_answered_with_error_58_and_a_message_then_the_connection_closes(short version)
    {
        var log = new List<string>();
        await using var cluster = await StartAsync(log);
        await using var wire = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        await wire.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);

        var login = await wire.SendAsync<SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = "\0alice\0guess"u8.ToArray() }, version);

        Assert.Equal(58, login.ErrorCode);
        Assert.Contains("invalid username or password", login.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(await wire.WaitForCloseAsync());
        lock (log)
        {
            Assert.Contains(log, line => line.Contains("'alice' failed", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_SCRAM_exchange_over_SaslAuthenticate_returns_the_server_signature()
    {
        await using var cluster = await StartAsync();
        await using var wire = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        // Client-first and client-final in SaslAuthenticate v1; the login checks the server's signature.
        var final = await wire.LoginScramAsync("SCRAM-SHA-256", "carol", "lewis", handshakeVersion: 1, authenticateVersion: 1);

        Assert.Equal(0, final.ErrorCode);
        Assert.Single((await wire.SendAsync<MetadataResponse>(new MetadataRequest(), 12)).Brokers);
    }

    [Fact]
    public async Task Handshake_v0_is_followed_by_raw_PLAIN_token_and_an_empty_raw_reply()
    {
        await using var cluster = await StartAsync();
        await using var wire = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var handshake = await wire.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 0);
        Assert.Equal(0, handshake.ErrorCode);

        await wire.SendSaslTokenAsync("\0alice\0wonderland"u8.ToArray());
        var reply = await wire.ReceiveSaslTokenAsync();

        Assert.NotNull(reply);
        Assert.Empty(reply);
        Assert.Single((await wire.SendAsync<MetadataResponse>(new MetadataRequest(), 12)).Brokers);
    }

    [Fact]
    public async Task Handshake_v0_carries_a_whole_SCRAM_exchange_in_raw_frames()
    {
        await using var cluster = await StartAsync();
        await using var wire = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        // After a v0 handshake client-first, server-first, client-final and server-final are bare frames;
        // a close instead of a reply would come back as error 58, and the server's signature is checked.
        var final = await wire.LoginScramAsync("SCRAM-SHA-256", "carol", "lewis", handshakeVersion: 0);

        Assert.Equal(0, final.ErrorCode);
        Assert.Single((await wire.SendAsync<MetadataResponse>(new MetadataRequest(), 12)).Brokers);
    }

    [Fact]
    public async Task Handshake_v0_with_a_wrong_raw_token_closes_the_connection_without_a_reply()
    {
        await using var cluster = await StartAsync();
        await using var wire = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        await wire.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 0);

        await wire.SendSaslTokenAsync("\0alice\0guess"u8.ToArray());

        Assert.Empty(await wire.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_mechanism_that_is_not_enabled_gets_error_33_with_the_enabled_list_then_the_connection_closes()
    {
        await using var cluster = await StartAsync();
        await using var wire = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var handshake = await wire.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "SCRAM-SHA-512" }, 1);

        Assert.Equal(33, handshake.ErrorCode);
        Assert.Equal(["PLAIN", "SCRAM-SHA-256"], handshake.Mechanisms);
        Assert.Empty(await wire.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_request_other_than_ApiVersions_or_SASL_before_authentication_closes_the_connection()
    {
        var log = new List<string>();
        await using var cluster = await StartAsync(log);
        await using var wire = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        await wire.WriteRequestAsync(new MetadataRequest(), 12);

        Assert.Empty(await wire.WaitForCloseAsync());
        lock (log)
        {
            Assert.Contains(log, line => line.Contains("Metadata (key 3) sent before SASL authentication", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task During_a_v1_exchange_only_SaslAuthenticate_is_served()
    {
        await using var cluster = await StartAsync();
        await using var wire = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        await wire.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);

        await wire.WriteRequestAsync(new ApiVersionsRequest(), 0);

        Assert.Empty(await wire.WaitForCloseAsync());
    }

    [Fact]
    public async Task SaslAuthenticate_before_a_handshake_is_an_illegal_state_and_closes_the_connection()
    {
        await using var cluster = await StartAsync();
        await using var wire = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var login = await wire.SendAsync<SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = "\0alice\0wonderland"u8.ToArray() }, 1);

        Assert.Equal(34, login.ErrorCode);
        Assert.Empty(await wire.WaitForCloseAsync());
    }

    [Fact]
    public async Task Frames_over_512_KiB_are_refused_before_authentication_and_accepted_after()
    {
        // A valid ApiVersions v3 whose client software name makes the frame 600 KiB.
        var big = new ApiVersionsRequest { ClientSoftwareName = new string('a', 600 * 1024), ClientSoftwareVersion = "1" };
        await using var cluster = await StartAsync();

        await using (var stranger = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]))
        {
            try
            {
                await stranger.WriteRequestAsync(big, 3);
            }
            catch (IOException)
            {
                // The node may close on reading the size, before the rest is written: the refusal itself.
            }

            Assert.Empty(await stranger.WaitForCloseAsync());
        }

        await using var wire = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        await wire.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        Assert.Equal(0, (await wire.SendAsync<SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = "\0alice\0wonderland"u8.ToArray() }, 2)).ErrorCode);
        var versions = await wire.SendAsync<ApiVersionsResponse>(big, 3);
        Assert.Equal(0, versions.ErrorCode);
        Assert.True(ClientConnection.PreAuthenticationFrameLimit < 600 * 1024);
    }

    [Fact]
    public async Task After_login_another_handshake_is_an_illegal_state_but_the_session_goes_on()
    {
        await using var cluster = await StartAsync();
        await using var wire = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        await wire.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        await wire.SendAsync<SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = "\0alice\0wonderland"u8.ToArray() }, 2);

        Assert.Equal(34, (await wire.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1)).ErrorCode);
        Assert.Equal(34, (await wire.SendAsync<SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = "\0alice\0wonderland"u8.ToArray() }, 2)).ErrorCode);
        Assert.Single((await wire.SendAsync<MetadataResponse>(new MetadataRequest(), 12)).Brokers);
    }

    [Fact]
    public async Task Without_users_the_listener_is_plaintext_and_a_handshake_is_an_illegal_state()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await using var wire = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        Assert.Single((await wire.SendAsync<MetadataResponse>(new MetadataRequest(), 12)).Brokers);
        Assert.Equal(34, (await wire.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1)).ErrorCode);
        Assert.Single((await wire.SendAsync<MetadataResponse>(new MetadataRequest(), 12)).Brokers);
    }
}
