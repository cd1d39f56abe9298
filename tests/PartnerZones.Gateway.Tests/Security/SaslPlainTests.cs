using System.Diagnostics;
using System.Net;
using System.Text;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>
/// SASL PLAIN at the gateway, spoken byte by byte: failures are SASL_AUTHENTICATION_FAILED after the
/// configured fixed delay and end the connection; tokens are parsed strictly (RFC 4616), so no malformed
/// or impersonating token logs anyone in, while the well-formed variants of the same credentials do.
/// </summary>
public sealed class SaslPlainTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const short SaslAuthenticationFailed = 58;
    private const short UnsupportedSaslMechanism = 33;
    private const short IllegalSaslState = 34;

    private IPEndPoint Bootstrap => IPEndPoint.Parse(fixture.Gateway.BootstrapServers);

    private TimeSpan FailedLoginDelay => TimeSpan.FromMilliseconds(fixture.Gateway.Runtime.Spec.Limits.FailedLoginDelayMs);

    [Theory]
    [InlineData("johndoe", "wrong-password", 0)]
    [InlineData("johndoe", "wrong-password", 1)]
    [InlineData("johndoe", "wrong-password", 2)]
    [InlineData("nobody", GatewayFixture.PartnerSecret, 2)]
    [InlineData("admin", GatewayFixture.PartnerSecret, 2)]
    public async Task A_failed_login_is_answered_after_the_fixed_delay_and_closes_the_connection(string user, string password, short version)
    {
        Assert.True(FailedLoginDelay > TimeSpan.Zero);
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        var handshake = await client.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        Assert.Equal(0, handshake.ErrorCode);

        var clock = Stopwatch.StartNew();
        var result = await client.AuthenticateAsync(KafkaWireClient.PlainToken("", user, password), version);
        var elapsed = clock.Elapsed;

        Assert.Equal(SaslAuthenticationFailed, result.ErrorCode);
        Assert.True(elapsed >= FailedLoginDelay, $"the failure came after {elapsed.TotalMilliseconds:0} ms, before the {FailedLoginDelay.TotalMilliseconds:0} ms delay");
        Assert.DoesNotContain(password, result.ErrorMessage ?? "", StringComparison.Ordinal);
        Assert.Empty(await client.WaitForCloseAsync());
    }

    /// <summary>Each token carries johndoe's correct secret, so only its shape can make it fail.</summary>
    public static TheoryData<string, byte[]> MalformedTokens()
    {
        static byte[] Bytes(params object[] parts) => [.. parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p)];
        const string Secret = GatewayFixture.PartnerSecret;
        return new TheoryData<string, byte[]>
        {
            { "no NUL at all", Bytes("johndoe", Secret) },
            { "one NUL", Bytes("johndoe\0", Secret) },
            { "three NULs (trailing)", Bytes("\0johndoe\0", Secret, "\0") },
            { "three NULs (inside the password)", Bytes("\0johndoe\0", Secret[..5], "\0", Secret[5..]) },
            { "empty user", Bytes("\0\0", Secret) },
            { "empty password", Bytes("\0johndoe\0") },
            { "empty token", [] },
            { "authzid of another account (impersonation)", Bytes("admin\0johndoe\0", Secret) },
            { "authzid differing only in case", Bytes("JohnDoe\0johndoe\0", Secret) },
            { "invalid UTF-8 in the authzid", Bytes(new byte[] { 0xFF }, "\0johndoe\0", Secret) },
            { "invalid UTF-8 in the user", Bytes("\0johndoe", new byte[] { 0xC3 }, "\0", Secret) },
            { "invalid UTF-8 in the password", Bytes("\0johndoe\0", Secret, new byte[] { 0xED, 0xA0, 0x80 }) },
            { "overlong NUL in the user", Bytes("\0johndoe", new byte[] { 0xC0, 0x80 }, "\0", Secret) },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public async Task A_malformed_PLAIN_token_fails_and_closes_the_connection(string shape, byte[] token)
    {
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        Assert.Equal(0, (await client.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1)).ErrorCode);
        var result = await client.AuthenticateAsync(token);
        Assert.True(result.ErrorCode == SaslAuthenticationFailed, $"{shape}: answered {result.ErrorCode}");
        Assert.Empty(await client.WaitForCloseAsync());
    }

    /// <summary>The controls for the malformed tokens: the same secret in well-formed tokens logs in.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("johndoe")]
    public async Task A_well_formed_token_with_an_empty_or_matching_authzid_logs_in(string authzid)
    {
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        Assert.Equal(0, (await client.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1)).ErrorCode);
        var result = await client.AuthenticateAsync(KafkaWireClient.PlainToken(authzid, "johndoe", GatewayFixture.PartnerSecret));
        Assert.Equal(0, result.ErrorCode);

        var metadata = await client.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);
        Assert.Equal(["topic-a", "topic-b"], metadata.Topics.Select(t => t.Name).Order());
    }

    [Fact]
    public async Task SaslAuthenticate_without_a_handshake_is_an_illegal_state_and_closes()
    {
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        var result = await client.AuthenticateAsync(KafkaWireClient.PlainToken("", "johndoe", GatewayFixture.PartnerSecret));
        Assert.Equal(IllegalSaslState, result.ErrorCode);
        Assert.Empty(await client.WaitForCloseAsync());
    }

    [Theory]
    [InlineData("SCRAM-SHA-1")]
    [InlineData("GSSAPI")]
    [InlineData("plain")]
    [InlineData("")]
    public async Task An_unsupported_mechanism_is_refused_with_the_supported_list_and_closes(string mechanism)
    {
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        var handshake = await client.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = mechanism }, 1);
        Assert.Equal(UnsupportedSaslMechanism, handshake.ErrorCode);
        Assert.Equal(["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"], handshake.Mechanisms);
        Assert.Empty(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_second_handshake_before_login_closes_the_connection()
    {
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        Assert.Equal(0, (await client.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1)).ErrorCode);
        var second = await client.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1);
        Assert.NotEqual(0, second.ErrorCode);
        Assert.Empty(await client.WaitForCloseAsync());
    }

    /// <summary>After a v0 handshake the token travels as a bare frame, and PLAIN's answer to a good one is
    /// an empty frame. There is no way to say "failed" in that exchange except closing, so a failure
    /// must close without the empty frame a client would take for success.</summary>
    [Fact]
    public async Task Legacy_v0_login_with_a_wrong_password_closes_after_the_delay_without_a_success_frame()
    {
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        Assert.Equal(0, (await client.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 0)).ErrorCode);

        var clock = Stopwatch.StartNew();
        await client.SendSaslTokenAsync(KafkaWireClient.PlainToken("", "johndoe", "wrong-password"));
        var answer = await client.WaitForCloseAsync();
        var elapsed = clock.Elapsed;

        Assert.True(answer.Length == 0, $"a failed legacy login was answered with {answer.Length} bytes ({Convert.ToHexString(answer)}).");
        Assert.True(elapsed >= FailedLoginDelay, $"closed after {elapsed.TotalMilliseconds:0} ms, before the delay");
    }

    [Fact]
    public async Task Legacy_v0_login_with_the_right_password_gets_an_empty_frame_and_serves_requests()
    {
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        Assert.Equal(0, (await client.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 0)).ErrorCode);
        await client.SendSaslTokenAsync(KafkaWireClient.PlainToken("", "johndoe", GatewayFixture.PartnerSecret));
        Assert.Equal(new byte[4], await client.ReadFrameAsync()); // an empty bare frame

        var metadata = await client.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);
        Assert.Equal(["topic-a", "topic-b"], metadata.Topics.Select(t => t.Name).Order());
    }
}
