using System.Text;

namespace PartnerZones.EmbeddedKafka.Security;

/// <summary>Strict UTF-8 for SASL messages: invalid bytes fail the authentication instead of becoming U+FFFD,
/// so two different byte strings can never decode to the same name.</summary>
internal static class SaslText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new SaslAuthenticationException($"Authentication failed: the {what} is not valid UTF-8");
        }
    }
}
