using System.Text;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Security;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>The gateway's SCRAM server against the RFC 7677 SCRAM-SHA-256 example, and its strict parsing.</summary>
public sealed class ScramExchangeTests
{
    private const string ClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private const string ServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private const string ClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";

    private static readonly GatewayState State = StateFor("pencil");

    [Fact]
    public void The_RFC_7677_exchange_succeeds_with_the_documented_messages()
    {
        var exchange = new ScramExchange(SaslMechanisms.ScramSha256, new byte[32], () => ServerNonce);
        var serverFirst = exchange.Start(Encoding.UTF8.GetBytes(ClientFirst), State);
        Assert.Equal("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", Encoding.UTF8.GetString(serverFirst!));

        var (result, serverFinal) = exchange.Finish(Encoding.UTF8.GetBytes(ClientFinal), State, DateTimeOffset.UtcNow);
        Assert.NotNull(result.Principal);
        Assert.Equal("user", result.Principal.Name);
        Assert.Equal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Encoding.UTF8.GetString(serverFinal!));
    }

    [Theory]
    [InlineData("c=biws,r=rOprNGfwEbeRWgbNEkqO,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")] // the client's nonce alone
    [InlineData("c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")] // other channel binding
    [InlineData("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=AAAAZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")] // wrong proof
    [InlineData("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0")] // no proof
    [InlineData("c=biws,r=Xr=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")] // nonce with a prefix
    public void A_tampered_client_final_message_fails(string final)
    {
        var exchange = new ScramExchange(SaslMechanisms.ScramSha256, new byte[32], () => ServerNonce);
        exchange.Start(Encoding.UTF8.GetBytes(ClientFirst), State);
        var (result, serverFinal) = exchange.Finish(Encoding.UTF8.GetBytes(final), State, DateTimeOffset.UtcNow);
        Assert.Null(result.Principal);
        Assert.Null(serverFinal);
    }

    [Theory]
    [InlineData("p=tls-unique,,n=user,r=abc")] // channel binding the listener never offers
    [InlineData("n,a=other,n=user,r=abc")] // authorization id for someone else
    [InlineData("n,,m=ext,n=user,r=abc")] // reserved mandatory extension
    [InlineData("n,,n=us=er,r=abc")] // bad saslname escape
    [InlineData("n,,n=user")] // no nonce
    [InlineData("n,,n=user,r=abc,tokenauth=true")] // delegation tokens are not served
    [InlineData("")]
    public void A_malformed_client_first_message_is_refused(string first)
    {
        var exchange = new ScramExchange(SaslMechanisms.ScramSha256, new byte[32]);
        Assert.Null(exchange.Start(Encoding.UTF8.GetBytes(first), State));
    }

    [Fact]
    public void An_unknown_user_gets_a_stable_made_up_salt_and_then_fails()
    {
        var key = new byte[32];
        var one = Encoding.UTF8.GetString(new ScramExchange(SaslMechanisms.ScramSha256, key).Start("n,,n=nobody,r=abc"u8, State)!);
        var two = Encoding.UTF8.GetString(new ScramExchange(SaslMechanisms.ScramSha256, key).Start("n,,n=nobody,r=xyz"u8, State)!);
        Assert.Equal(one[one.IndexOf(",s=", StringComparison.Ordinal)..], two[two.IndexOf(",s=", StringComparison.Ordinal)..]);
        Assert.EndsWith(",i=4096", one);
    }

    [Fact]
    public void A_revoked_credential_fails_even_with_the_right_proof()
    {
        var state = StateFor("pencil", revoked: true);
        var exchange = new ScramExchange(SaslMechanisms.ScramSha256, new byte[32], () => ServerNonce);
        Assert.NotNull(exchange.Start(Encoding.UTF8.GetBytes(ClientFirst), state));
        var (result, _) = exchange.Finish(Encoding.UTF8.GetBytes(ClientFinal), state, DateTimeOffset.UtcNow);
        Assert.Null(result.Principal);
    }

    private static GatewayState StateFor(string password, bool revoked = false)
    {
        var secret = Scram.Derive(SaslMechanisms.ScramSha256, password, Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        var account = new ServiceAccount { Metadata = new ResourceMetadata { Name = "user" }, Spec = new ServiceAccountSpec { Type = "ADMIN", SaslMechanisms = ["SCRAM-SHA-256"] } };
        var credential = new PartnerZones.Gateway.Configuration.Credential
        {
            Metadata = new ResourceMetadata { Name = "c-1" },
            Spec = new CredentialSpec { ServiceAccount = "user", SecretHash = SecretHash.Hash(password), Scram = [secret], RevokedAt = revoked ? DateTimeOffset.UtcNow : null },
        };
        return new GatewayState([], [account], [credential]);
    }
}
