namespace PartnerZones.EmbeddedKafka.Security;

/// <summary>
/// PLAIN (RFC 4616): one client message <c>[authzid] NUL authcid NUL passwd</c>, one empty reply.
/// Exactly two NULs; name and password non-empty; an authorization id, when given, must be the user
/// itself (acting for another principal is not supported).
/// </summary>
internal sealed class PlainServer(SaslCredentials credentials) : ISaslServer
{
    private bool _used;

    public SaslMechanism Mechanism => SaslMechanism.Plain;

    public bool IsComplete { get; private set; }

    public string? User { get; private set; }

    public byte[] Evaluate(ReadOnlySpan<byte> clientMessage)
    {
        if (_used)
        {
            throw new SaslAuthenticationException("Authentication failed: PLAIN takes a single message");
        }

        _used = true;
        var first = clientMessage.IndexOf((byte)0);
        var rest = first < 0 ? default : clientMessage[(first + 1)..];
        var second = first < 0 ? -1 : rest.IndexOf((byte)0);
        if (second < 0 || rest[(second + 1)..].IndexOf((byte)0) >= 0)
        {
            throw new SaslAuthenticationException("Authentication failed: a PLAIN message is [authzid] NUL user NUL password, with exactly two NULs");
        }

        var authzid = SaslText.Decode(clientMessage[..first], "PLAIN authorization id");
        var user = SaslText.Decode(rest[..second], "PLAIN user name");
        var password = rest[(second + 1)..];
        if (user.Length == 0 || password.IsEmpty)
        {
            throw new SaslAuthenticationException("Authentication failed: the PLAIN user name and password must not be empty");
        }

        if (authzid.Length > 0 && authzid != user)
        {
            throw new SaslAuthenticationException("Authentication failed: the authorization id must be empty or equal to the user name", user);
        }

        _ = SaslText.Decode(password, "PLAIN password");
        if (!credentials.CheckPlain(user, password))
        {
            throw new SaslAuthenticationException("Authentication failed: invalid username or password (PLAIN)", user);
        }

        User = user;
        IsComplete = true;
        return [];
    }
}
