using System.Text;
using PartnerZones.EmbeddedKafka.Security;

namespace PartnerZones.EmbeddedKafka.Tests.Security;

public sealed class PlainServerTests
{
    private static readonly SaslCredentials Credentials = SaslCredentials.Create(
    [
        new SaslUser(SaslMechanism.Plain, "alice", "wonderland"),
        new SaslUser(SaslMechanism.Plain, "bob", "builder:with:colons"),
    ])!;

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [InlineData("\0alice\0wonderland", "alice")]
    [InlineData("alice\0alice\0wonderland", "alice")]
    [InlineData("\0bob\0builder:with:colons", "bob")]
    public void The_right_password_authenticates_with_an_empty_reply(string message, string user)
    {
        var server = Credentials.CreateServer(SaslMechanism.Plain);

        Assert.Empty(server.Evaluate(Bytes(message)));
        Assert.True(server.IsComplete);
        Assert.Equal(user, server.User);
    }

    [Theory]
    [InlineData("\0alice\0Wonderland")]
    [InlineData("\0alice\0wonderland ")]
    [InlineData("\0alice\0wonderlan")]
    [InlineData("\0mallory\0wonderland")]
    [InlineData("\0bob\0wonderland")]
    public void A_wrong_password_or_unknown_user_gets_one_message_that_reveals_neither(string message)
    {
        var server = Credentials.CreateServer(SaslMechanism.Plain);

        var failure = Assert.Throws<SaslAuthenticationException>(() => server.Evaluate(Bytes(message)));
        Assert.Equal("Authentication failed: invalid username or password (PLAIN)", failure.Message);
        Assert.False(server.IsComplete);
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("alice\0wonderland")]
    [InlineData("\0\0wonderland")]
    [InlineData("\0alice\0")]
    [InlineData("\0alice\0wonderland\0")]
    [InlineData("\0alice\0wonder\0land")]
    [InlineData("bob\0alice\0wonderland")]
    public void Malformed_messages_are_refused(string message)
    {
        var server = Credentials.CreateServer(SaslMechanism.Plain);

        var failure = Assert.Throws<SaslAuthenticationException>(() => server.Evaluate(Bytes(message)));
        Assert.StartsWith("Authentication failed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_in_the_name_is_refused()
    {
        var server = Credentials.CreateServer(SaslMechanism.Plain);
        byte[] message = [0, .. "ali"u8, 0xFF, .. "ce"u8, 0, .. "wonderland"u8];

        var failure = Assert.Throws<SaslAuthenticationException>(() => server.Evaluate(message));
        Assert.Contains("UTF-8", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_message_is_refused_even_after_success()
    {
        var server = Credentials.CreateServer(SaslMechanism.Plain);
        server.Evaluate(Bytes("\0alice\0wonderland"));

        Assert.Throws<SaslAuthenticationException>(() => server.Evaluate(Bytes("\0alice\0wonderland")));
    }
}
