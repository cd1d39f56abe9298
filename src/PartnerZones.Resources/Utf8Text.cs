using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace PartnerZones.Resources;

/// <summary>
/// Finds invalid UTF-8 in a request body before it is parsed. System.Text.Json checks a document's
/// structure but leaves string contents to be transcoded later, so invalid bytes inside a string only
/// fail when the value is read, deep inside binding, as an unexpected exception (a 500). Checked first,
/// they are a 400 that says where.
/// </summary>
public static class Utf8Text
{
    /// <summary>The 1-based position of the first byte that is not valid UTF-8, or null when all are.</summary>
    public static long? FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return null;
        }

        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset + 1;
            }

            offset += consumed;
        }

        return null;
    }

    /// <summary>The message for <see cref="FirstInvalidByte"/>: what is wrong and what to send instead.
    /// <paramref name="subject"/> is "the body" or "The request body", in the words of the API answering.</summary>
    public static string Problem(string subject, long position) => $"{subject} is not valid UTF-8 JSON at byte {position}; send UTF-8.";
}
