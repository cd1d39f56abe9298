using System.Text;
using PartnerZones.Resources;

namespace PartnerZones.Resources.Tests;

public sealed class Utf8TextTests
{
    [Theory]
    [InlineData(new byte[] { 0x7b, 0x22, 0xff, 0x22, 0x7d }, 3)] // a byte that never starts a character
    [InlineData(new byte[] { 0x22, 0xc3 }, 2)] // a character cut short at the end
    [InlineData(new byte[] { 0x61, 0x62, 0xe2, 0x28, 0xa1 }, 3)] // a continuation byte missing
    [InlineData(new byte[] { 0xc0, 0xaf }, 1)] // an overlong encoding of '/'
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 }, 1)] // a UTF-16 surrogate
    public void The_first_invalid_byte_is_found_counting_from_one(byte[] bytes, long expected)
    {
        Assert.Equal(expected, Utf8Text.FirstInvalidByte(bytes));
        Assert.Null(Utf8Text.FirstInvalidByte(Encoding.UTF8.GetBytes("{\"name\": \"café 😀\"}")));
        Assert.Null(Utf8Text.FirstInvalidByte([]));
    }
}
