namespace PartnerZones.EmbeddedKafka.Security;

/// <summary>The server side of one SASL exchange: fed each client message in turn, it answers with the
/// next server message until <see cref="IsComplete"/>.</summary>
internal interface ISaslServer
{
    SaslMechanism Mechanism { get; }

    bool IsComplete { get; }

    /// <summary>The authenticated user name once <see cref="IsComplete"/>.</summary>
    string? User { get; }

    /// <summary>The server's reply to <paramref name="clientMessage"/> (empty when there is nothing to say).</summary>
    /// <exception cref="SaslAuthenticationException">Wrong credentials, a malformed message, or a message out of turn.</exception>
    byte[] Evaluate(ReadOnlySpan<byte> clientMessage);
}

/// <summary>An authentication that failed. <see cref="Exception.Message"/> goes to the client, so it never says
/// whether the user or the password was wrong; <see cref="User"/> is for the server's log.</summary>
internal sealed class SaslAuthenticationException(string message, string? user = null) : Exception(message)
{
    public string? User { get; } = user;
}
