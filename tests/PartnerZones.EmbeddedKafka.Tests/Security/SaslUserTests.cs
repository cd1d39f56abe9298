using PartnerZones.EmbeddedKafka.Security;

namespace PartnerZones.EmbeddedKafka.Tests.Security;

public sealed class SaslUserTests
{
    [Theory]
    [InlineData("PLAIN:alice:secret", SaslMechanism.Plain, "alice", "secret")]
    [InlineData("scram-sha-256:alice:a:b:c", SaslMechanism.ScramSha256, "alice", "a:b:c")]
    [InlineData("SCRAM-SHA-512:bob:pw", SaslMechanism.ScramSha512, "bob", "pw")]
    public void Parses_mechanism_name_and_a_password_that_may_hold_colons(string text, SaslMechanism mechanism, string name, string password)
    {
        Assert.True(SaslUser.TryParse(text, out var user, out var error), error);
        Assert.Equal(new SaslUser(mechanism, name, password), user);
    }

    [Theory]
    [InlineData("alice:hunter2", "MECHANISM:NAME:PASSWORD")]
    [InlineData("GSSAPI:alice:hunter2", "GSSAPI")]
    [InlineData("PLAIN::hunter2", "empty name")]
    [InlineData("PLAIN:alice:", "empty password")]
    [InlineData("PLAIN:al\tice:hunter2", "control character")]
    public void Names_what_is_wrong_and_never_echoes_the_password(string text, string expected)
    {
        Assert.False(SaslUser.TryParse(text, out var user, out var error));
        Assert.Null(user);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_listed_twice_for_one_mechanism_is_a_configuration_error()
    {
        var failure = Assert.Throws<ArgumentException>(() => SaslCredentials.Create(
        [
            new SaslUser(SaslMechanism.Plain, "alice", "a"),
            new SaslUser(SaslMechanism.Plain, "alice", "b"),
        ]));
        Assert.Contains("alice", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enabled_mechanisms_are_those_with_users_in_a_fixed_order()
    {
        var credentials = SaslCredentials.Create(
        [
            new SaslUser(SaslMechanism.ScramSha512, "a", "x"),
            new SaslUser(SaslMechanism.Plain, "b", "y"),
        ])!;

        Assert.Equal(["PLAIN", "SCRAM-SHA-512"], credentials.EnabledNames);
        Assert.Null(SaslCredentials.Create([]));
        Assert.Equal("PLAIN:a:***", new SaslUser(SaslMechanism.Plain, "a", "x").ToString());
    }
}
