using System.Security.Cryptography;
using System.Text;
using PartnerZones.EmbeddedKafka.Security;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.EmbeddedKafka.Tests.Security;

public sealed class ScramServerTests
{
    private static readonly SaslUser Alice256 = new(SaslMechanism.ScramSha256, "alice", "wonderland");
    private static readonly SaslUser Alice512 = new(SaslMechanism.ScramSha512, "alice", "looking-glass");

    private static SaslCredentials Credentials(params SaslUser[] users) => SaslCredentials.Create(users)!;

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Replays_the_SCRAM_SHA_256_example_of_RFC_7677()
    {
        // The published exchange: user "user", password "pencil", fixed salt and nonces.
        var credentials = SaslCredentials.Create(
            [new SaslUser(SaslMechanism.ScramSha256, "user", "pencil")],
            salts: () => Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="))!;
        var server = credentials.CreateServer(SaslMechanism.ScramSha256, serverNonce: () => "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");

        var serverFirst = Text(server.Evaluate(Bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")));
        Assert.Equal("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", serverFirst);
        Assert.False(server.IsComplete);

        var serverFinal = Text(server.Evaluate(Bytes(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")));
        Assert.Equal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", serverFinal);
        Assert.True(server.IsComplete);
        Assert.Equal("user", server.User);
    }

    [Theory]
    [InlineData(SaslMechanism.ScramSha256)]
    [InlineData(SaslMechanism.ScramSha512)]
    public void The_right_password_completes_with_the_signature_the_client_expects(SaslMechanism mechanism)
    {
        var (user, hash) = mechanism == SaslMechanism.ScramSha256 ? (Alice256, HashAlgorithmName.SHA256) : (Alice512, HashAlgorithmName.SHA512);
        var server = Credentials(Alice256, Alice512).CreateServer(mechanism);
        var client = new ScramTestClient(hash, user.Name, user.Password);

        var serverFirst = Text(server.Evaluate(Bytes(client.First)));
        Assert.StartsWith($"r={client.Nonce}", serverFirst, StringComparison.Ordinal);
        Assert.True(serverFirst.Length > $"r={client.Nonce}".Length, "the server must add its own nonce");
        var serverFinal = Text(server.Evaluate(Bytes(client.Final(serverFirst))));

        Assert.Equal(client.ExpectedServerFinal, serverFinal);
        Assert.True(server.IsComplete);
        Assert.Equal("alice", server.User);
    }

    [Fact]
    public void The_password_of_another_mechanism_is_refused()
    {
        // alice has different passwords for the two hashes; each mechanism only knows its own.
        var server = Credentials(Alice256, Alice512).CreateServer(SaslMechanism.ScramSha256);
        var client = new ScramTestClient(HashAlgorithmName.SHA256, "alice", Alice512.Password);
        var serverFirst = Text(server.Evaluate(Bytes(client.First)));

        var failure = Assert.Throws<SaslAuthenticationException>(() => server.Evaluate(Bytes(client.Final(serverFirst))));
        Assert.Contains("invalid username or password", failure.Message, StringComparison.Ordinal);
        Assert.False(server.IsComplete);
    }

    [Fact]
    public void A_tampered_proof_is_refused()
    {
        var server = Credentials(Alice256).CreateServer(SaslMechanism.ScramSha256);
        var client = new ScramTestClient(HashAlgorithmName.SHA256, "alice", "wonderland");
        var serverFirst = Text(server.Evaluate(Bytes(client.First)));

        Assert.Throws<SaslAuthenticationException>(() => server.Evaluate(Bytes(client.Final(serverFirst, proof => proof[7] ^= 1))));
        Assert.Null(server.User);
    }

    [Fact]
    public void An_unknown_user_gets_a_server_first_and_fails_only_at_the_end_like_a_wrong_password()
    {
        var credentials = Credentials(Alice256);
        var unknown = credentials.CreateServer(SaslMechanism.ScramSha256);
        var client = new ScramTestClient(HashAlgorithmName.SHA256, "mallory", "anything");
        var serverFirst = Text(unknown.Evaluate(Bytes(client.First)));
        Assert.Matches("^r=[^,]+,s=[A-Za-z0-9+/=]+,i=4096$", serverFirst);
        var unknownFailure = Assert.Throws<SaslAuthenticationException>(() => unknown.Evaluate(Bytes(client.Final(serverFirst))));

        var wrong = credentials.CreateServer(SaslMechanism.ScramSha256);
        var aliceClient = new ScramTestClient(HashAlgorithmName.SHA256, "alice", "not-her-password");
        var wrongFailure = Assert.Throws<SaslAuthenticationException>(() => wrong.Evaluate(Bytes(aliceClient.Final(Text(wrong.Evaluate(Bytes(aliceClient.First)))))));

        Assert.Equal(wrongFailure.Message, unknownFailure.Message);

        // The decoy salt is stable per name, so probing twice does not reveal that the name is unknown.
        var again = credentials.CreateServer(SaslMechanism.ScramSha256);
        var secondFirst = Text(again.Evaluate(Bytes(new ScramTestClient(HashAlgorithmName.SHA256, "mallory", "x").First)));
        Assert.Equal(serverFirst.Split(',')[1], secondFirst.Split(',')[1]);
    }

    [Fact]
    public void A_final_message_with_another_nonce_is_refused()
    {
        var server = Credentials(Alice256).CreateServer(SaslMechanism.ScramSha256);
        var client = new ScramTestClient(HashAlgorithmName.SHA256, "alice", "wonderland");
        var serverFirst = Text(server.Evaluate(Bytes(client.First)));
        var forged = serverFirst.Replace("r=", "r=X", StringComparison.Ordinal);

        var failure = Assert.Throws<SaslAuthenticationException>(() => server.Evaluate(Bytes(client.Final(forged))));
        Assert.Contains("nonce", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_channel_binding_that_does_not_repeat_the_gs2_header_is_refused()
    {
        var server = Credentials(Alice256).CreateServer(SaslMechanism.ScramSha256);
        var client = new ScramTestClient(HashAlgorithmName.SHA256, "alice", "wonderland");
        var serverFirst = Text(server.Evaluate(Bytes(client.First)));

        // "eSws" is base64 of "y,," while the first message said "n,,".
        var final = client.Final(serverFirst).Replace("c=biws", "c=eSws", StringComparison.Ordinal);
        var failure = Assert.Throws<SaslAuthenticationException>(() => server.Evaluate(Bytes(final)));
        Assert.Contains("channel binding", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_message_is_accepted_after_the_exchange_ends()
    {
        var server = Credentials(Alice256).CreateServer(SaslMechanism.ScramSha256);
        var client = new ScramTestClient(HashAlgorithmName.SHA256, "alice", "wonderland");
        var final = client.Final(Text(server.Evaluate(Bytes(client.First))));
        server.Evaluate(Bytes(final));

        Assert.Throws<SaslAuthenticationException>(() => server.Evaluate(Bytes(final)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("n,,")]
    [InlineData("n,n=alice,r=abc")]
    [InlineData("x,,n=alice,r=abc")]
    [InlineData("p=tls-unique,,n=alice,r=abc")]
    [InlineData("n,,r=abc,n=alice")]
    [InlineData("n,,n=alice")]
    [InlineData("n,,n=,r=abc")]
    [InlineData("n,,n=al=ice,r=abc")]
    [InlineData("n,,n=al=2,r=abc")]
    [InlineData("n,,n=alice,r=")]
    [InlineData("n,,n=alice,r=a c")]
    [InlineData("n,,m=ext,n=alice,r=abc")]
    [InlineData("n,a=bob,n=alice,r=abc")]
    [InlineData("n,b=alice,n=alice,r=abc")]
    [InlineData("n,,n=alice,r=abc,r=def")]
    [InlineData("n,,n=alice,r=abc,=x")]
    [InlineData("n,,n=alice,r=abc,x=")]
    [InlineData("n,,n=alice,r=abc,tokenauth=true")]
    [InlineData("n,,n=alice,r=abc,ext=1,ext=2")]
    [InlineData("n,,n=ali\0ce,r=abc")]
    public void Malformed_client_first_messages_are_refused(string message)
    {
        var server = Credentials(Alice256).CreateServer(SaslMechanism.ScramSha256);

        var failure = Assert.Throws<SaslAuthenticationException>(() => server.Evaluate(Bytes(message)));
        Assert.StartsWith("Authentication failed", failure.Message, StringComparison.Ordinal);
        Assert.Throws<SaslAuthenticationException>(() => server.Evaluate(Bytes(new ScramTestClient(HashAlgorithmName.SHA256, "alice", "wonderland").First)));
    }

    [Theory]
    [InlineData("n,,n=alice,r=abc", "alice", null)]
    [InlineData("y,,n=alice,r=abc", "alice", null)]
    [InlineData("n,a=alice,n=alice,r=abc", "alice", "alice")]
    [InlineData("n,,n=a=2Cb=3Dc,r=abc", "a,b=c", null)]
    [InlineData("n,,n=alice,r=abc,ext=value", "alice", null)]
    public void Well_formed_client_first_messages_parse(string message, string user, string? authzid)
    {
        var first = ScramClientFirst.Parse(message);

        Assert.Equal(user, first.User);
        Assert.Equal(authzid, first.AuthorizationId);
        Assert.Equal("abc", first.Nonce);
        Assert.Equal(message[first.Gs2Header.Length..], first.Bare);
    }

    [Fact]
    public void Invalid_utf8_is_refused_rather_than_replaced()
    {
        var server = Credentials(Alice256).CreateServer(SaslMechanism.ScramSha256);
        byte[] message = [.. "n,,n=al"u8, 0xC3, 0x28, .. "ice,r=abc"u8];

        var failure = Assert.Throws<SaslAuthenticationException>(() => server.Evaluate(message));
        Assert.Contains("UTF-8", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c=biws,r={0}")]
    [InlineData("r={0},c=biws,p=AAAA")]
    [InlineData("c=biws,p=AAAA,r={0}")]
    [InlineData("c=biws,r={0},p=")]
    [InlineData("c=biws,r={0},p=***=")]
    [InlineData("c=biws,r={0},p=AA AA")]
    [InlineData("c=biws,r={0},p=AAAA")]
    [InlineData("c=biws,r={0},p=AAAA,p=AAAA")]
    [InlineData("c=bi ws,r={0},p=AAAA")]
    [InlineData("c=,r={0},p=AAAA")]
    public void Malformed_client_final_messages_are_refused(string template)
    {
        var server = Credentials(Alice256).CreateServer(SaslMechanism.ScramSha256);
        var client = new ScramTestClient(HashAlgorithmName.SHA256, "alice", "wonderland");
        var nonce = Text(server.Evaluate(Bytes(client.First))).Split(',')[0][2..];

        Assert.Throws<SaslAuthenticationException>(() => server.Evaluate(Bytes(string.Format(template, nonce))));
        Assert.False(server.IsComplete);
    }
}
