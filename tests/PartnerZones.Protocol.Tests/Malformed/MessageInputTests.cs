using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;
using static PartnerZones.Protocol.Tests.Malformed.Decoding;

namespace PartnerZones.Protocol.Tests.Malformed;

/// <summary>
/// Hand-built malformed bodies for shapes that need a particular API (a nullable array in one version and
/// not another, a known tagged field, a classic or compact string at a known place). The located-field and
/// fuzz tests cover every API; these pin the exact error a reader of the logs will see.
/// </summary>
public sealed class MessageInputTests
{
    private static readonly byte[] TenLeft = new byte[10];

    private static Case MetadataReq(short v) => CaseOf(MetadataRequest.Key, v, request: true);

    private static Case MetadataResp(short v) => CaseOf(MetadataRequest.Key, v, request: false);

    private static Case ApiVersionsReq(short v) => CaseOf(ApiVersionsRequest.Key, v, request: true);

    private static Case ApiVersionsResp(short v) => CaseOf(ApiVersionsRequest.Key, v, request: false);

    [Fact]
    public void Error_text_names_api_version_field_and_problem()
    {
        var e = ExpectError(MetadataReq(1), Bytes(0, 0, 0, 1, 0xFF, 0xFE, 0x61));
        Assert.Equal("Malformed MetadataRequest v1, field MetadataRequestTopic.Name: string length -2 is negative", e.Message);
        Assert.Equal("MetadataRequest", e.Api);
        Assert.Equal(1, e.Version);
        Assert.Equal("MetadataRequestTopic.Name", e.Field);
        Assert.Equal("string length -2 is negative", e.Problem);
    }

    [Fact]
    public void Negative_array_count_is_rejected()
    {
        ExpectError(MetadataReq(1), Bytes(0xFF, 0xFF, 0xFF, 0xF9, 0, 0), "MetadataRequest.Topics", "array count -7 is negative");
        ExpectError(MetadataReq(4), Bytes(0x80, 0, 0, 0, 1), "MetadataRequest.Topics", "array count -2147483648 is negative");
        ExpectError(MetadataResp(0), Bytes(0xFF, 0xFF, 0xFF, 0xF9), "MetadataResponse.Brokers", "negative");
    }

    [Fact]
    public void Array_count_int_max_with_ten_bytes_left_fails_before_allocating()
    {
        var e = ExpectError(MetadataResp(0), Concat(Bytes(0x7F, 0xFF, 0xFF, 0xFF), TenLeft), "MetadataResponse.Brokers");
        Assert.Equal("array count 2147483647 is larger than the 10 bytes that remain could hold", e.Problem);

        // Compact: unsigned varint 2^31 - 1 is a count of 2^31 - 2.
        ExpectError(MetadataResp(9), Concat(Bytes(0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x07), TenLeft), "MetadataResponse.Brokers", "array count 2147483646 is larger");
        ExpectError(MetadataResp(9), Concat(Bytes(0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F), TenLeft), "MetadataResponse.Brokers", "too large");
        ExpectError(ApiVersionsResp(3), Concat(Bytes(0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x07), TenLeft), "ApiVersionsResponse.ApiKeys", "larger");

        // With a megabyte left the count still may not exceed what the bytes could hold.
        ExpectError(MetadataResp(1), Concat(Bytes(0x7F, 0xFF, 0xFF, 0xFF), new byte[1 << 20]), "MetadataResponse.Brokers", "larger");
    }

    [Fact]
    public void Oversized_string_lengths_fail_before_allocating()
    {
        ExpectError(MetadataReq(1), Concat(Bytes(0, 0, 0, 1, 0x7F, 0xFF), TenLeft), "MetadataRequestTopic.Name", "string length 32767 is larger than the 10 bytes that remain");
        ExpectError(ApiVersionsReq(3), Concat(Bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x07), TenLeft), "ApiVersionsRequest.ClientSoftwareName", "larger");
        ExpectError(ApiVersionsReq(3), Concat(Bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F), TenLeft), "ApiVersionsRequest.ClientSoftwareName", "too large");
        ExpectError(ApiVersionsReq(3), Bytes(0x01, 0x0C, 0x61), "ApiVersionsRequest.ClientSoftwareVersion", "string length 11 is larger than the 1 bytes that remain");
    }

    [Fact]
    public void Over_long_varints_in_lengths_counts_and_tags_are_rejected()
    {
        var six = Bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
        ExpectError(ApiVersionsReq(3), Concat(six, TenLeft), "ApiVersionsRequest.ClientSoftwareName", "varint is longer than 32 bits");
        ExpectError(MetadataReq(9), Concat(six, TenLeft), "MetadataRequest.Topics", "varint is longer than 32 bits");
        ExpectError(ApiVersionsReq(3), Concat(Bytes(0x01, 0x01), six, TenLeft), "ApiVersionsRequest tagged fields", "varint is longer than 32 bits");
        ExpectError(ApiVersionsReq(3), Concat(Bytes(0x01, 0x01, 0x01), six, TenLeft), "ApiVersionsRequest tagged fields", "varint is longer than 32 bits");
        ExpectError(ApiVersionsReq(3), Concat(Bytes(0x01, 0x01, 0x01, 0x07), six, TenLeft), "ApiVersionsRequest tagged fields", "varint is longer than 32 bits");
        ExpectError(ApiVersionsReq(3), Bytes(0x01, 0x01, 0x80), "ApiVersionsRequest tagged fields", "varint is cut off");
    }

    [Fact]
    public void Tagged_field_sections_that_lie_are_rejected()
    {
        ExpectError(ApiVersionsReq(3), Bytes(0x01, 0x01, 0x05, 0x07, 0x00), "ApiVersionsRequest tagged fields", "5 tagged fields cannot fit in 2 bytes");
        ExpectError(ApiVersionsReq(3), Bytes(0x01, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x07, 0x00), "ApiVersionsRequest tagged fields", "cannot fit");
        ExpectError(ApiVersionsReq(3), Bytes(0x01, 0x01, 0x01, 0x07, 0x05, 0xAA), "ApiVersionsRequest tagged fields", "tagged field 7 claims 5 bytes but only 1 remain");
        ExpectError(ApiVersionsReq(3), Bytes(0x01, 0x01, 0x01, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00), "ApiVersionsRequest tagged fields", "tag 2147483648 is too large");
        ExpectError(ApiVersionsReq(3), Bytes(0x01, 0x01, 0x02, 0x07, 0x00), "ApiVersionsRequest tagged fields", "cut off");
    }

    [Fact]
    public void Known_tagged_fields_must_fill_their_data_exactly()
    {
        // ApiVersionsResponse v3: ErrorCode, empty ApiKeys, ThrottleTimeMs, then one tagged field.
        static byte[] WithTag(params int[] tagged) => Concat(Bytes(0, 0, 0x01, 0, 0, 0, 0, 0x01), Bytes(tagged));

        ExpectError(ApiVersionsResp(3), WithTag(0x01, 0x04, 0, 0, 0, 5), "ApiVersionsResponse.FinalizedFeaturesEpoch", "needs 8 bytes but only 4 remain");
        ExpectError(ApiVersionsResp(3), WithTag(0x01, 0x09, 0, 0, 0, 0, 0, 0, 0, 5, 0), "ApiVersionsResponse.FinalizedFeaturesEpoch", "1 bytes left over");
        ExpectError(ApiVersionsResp(3), WithTag(0x03, 0x00), "ApiVersionsResponse.ZkMigrationReady", "needs 1 bytes");
        ExpectError(ApiVersionsResp(3), WithTag(0x03, 0x01, 0x02), "ApiVersionsResponse.ZkMigrationReady", "boolean byte is 2");
        ExpectError(ApiVersionsResp(3), WithTag(0x00, 0x02, 0x03, 0x00), "ApiVersionsResponse.SupportedFeatures", "array count 2 is larger than the 1 bytes");
        ExpectError(ApiVersionsResp(3), WithTag(0x00, 0x01, 0x00), "ApiVersionsResponse.SupportedFeatures", "array is null where null is not allowed");
        ExpectError(ApiVersionsResp(3), WithTag(0x02, 0x03, 0x02, 0x00, 0x00), "FinalizedFeatureKey.Name", "null");

        // Inside a known tagged field the sizes are checked against the field's own data.
        ExpectError(ApiVersionsResp(3), WithTag(0x00, 0x03, 0x02, 0x05, 0x61), "SupportedFeatureKey.Name", "string length 4 is larger than the 1 bytes that remain");
    }

    [Fact]
    public void Null_is_rejected_where_the_version_does_not_allow_it()
    {
        ExpectError(MetadataReq(0), Bytes(0xFF, 0xFF, 0xFF, 0xFF), "MetadataRequest.Topics", "array is null where null is not allowed");
        ExpectError(MetadataReq(9), Bytes(0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00), "MetadataRequestTopic.Name", "string is null where null is not allowed");
        ExpectError(MetadataReq(3), Bytes(0, 0, 0, 1, 0xFF, 0xFF), "MetadataRequestTopic.Name", "string is null where null is not allowed");
        ExpectError(MetadataResp(11), Concat(Bytes(0, 0, 0, 0), Bytes(0x01, 0x00, 0, 0, 0, 0, 0x02, 0, 0, 0x00)), "MetadataResponseTopic.Name", "null");
        ExpectError(ApiVersionsReq(3), Bytes(0x00, 0x01, 0x00), "ApiVersionsRequest.ClientSoftwareName", "string is null where null is not allowed");
        ExpectError(ApiVersionsReq(3), Bytes(0x01, 0x00, 0x00), "ApiVersionsRequest.ClientSoftwareVersion", "string is null where null is not allowed");
        ExpectError(ApiVersionsResp(3), Bytes(0, 0, 0x00, 0, 0, 0, 0, 0), "ApiVersionsResponse.ApiKeys", "array is null where null is not allowed");

        // The same encodings are fine where the version allows null.
        Assert.Null(MessageCodec.Decode<MetadataRequest>(Bytes(0xFF, 0xFF, 0xFF, 0xFF), 1).Topics);
        var v10 = MessageCodec.Decode<MetadataRequest>(Concat(Bytes(0x02), new byte[16], Bytes(0x00, 0x00, 0x01, 0x00, 0x00, 0x00)), 10);
        Assert.Null(Assert.Single(v10.Topics!).Name);
    }

    [Fact]
    public void Bool_bytes_other_than_0_and_1_are_rejected()
    {
        ExpectError(MetadataReq(4), Bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x02), "MetadataRequest.AllowAutoTopicCreation", "boolean byte is 2; only 0 and 1 are valid");
        ExpectError(MetadataReq(8), Bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0xFF), "MetadataRequest.IncludeTopicAuthorizedOperations", "boolean byte is 255");
        ExpectError(MetadataReq(10), Bytes(0x00, 0x01, 0x80, 0x00, 0x00), "MetadataRequest.IncludeClusterAuthorizedOperations", "boolean byte is 128");
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public void Bad_utf8_in_message_strings_is_rejected(byte[] bad)
    {
        ExpectError(ApiVersionsReq(3), Concat(Bytes(bad.Length + 1), bad, Bytes(0x01, 0x00)), "ApiVersionsRequest.ClientSoftwareName", "string is not valid UTF-8");
        ExpectError(ApiVersionsReq(4), Concat(Bytes(0x01, bad.Length + 1), bad, Bytes(0x00)), "ApiVersionsRequest.ClientSoftwareVersion", "string is not valid UTF-8");
        ExpectError(MetadataReq(1), Concat(Bytes(0, 0, 0, 1, 0, bad.Length), bad), "MetadataRequestTopic.Name", "string is not valid UTF-8");
        ExpectError(MetadataResp(0), Concat(Bytes(0, 0, 0, 1, 0, 0, 0, 1, 0, bad.Length), bad, Bytes(0, 0, 0, 0, 0, 0, 0, 0)), "MetadataResponseBroker.Host", "string is not valid UTF-8");
    }

    [Fact]
    public void Valid_non_ascii_strings_decode_exactly()
    {
        // é, 東京, U+1F600, a BOM (kept, not stripped) and U+FFFD itself.
        var text = "é東京\U0001F600\uFEFF\uFFFD";
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        var frame = Concat(Bytes(utf8.Length + 1), utf8, Bytes(0x01, 0x00));
        var decoded = MessageCodec.Decode<ApiVersionsRequest>(frame, 3);
        Assert.Equal(text, decoded.ClientSoftwareName);
        Assert.Equal(frame, decoded.Encode(3));
    }

    [Fact]
    public void Errors_inside_nested_structs_name_the_struct_field_and_the_message()
    {
        // ApiVersionsResponse v0 with one ApiVersion cut after its ApiKey.
        var e = ExpectError(ApiVersionsResp(0), Bytes(0, 0, 0, 0, 0, 1, 0, 18), "ApiVersion.MinVersion", "needs 2 bytes but only 0 remain");
        Assert.Equal("Malformed ApiVersionsResponse v0, field ApiVersion.MinVersion: needs 2 bytes but only 0 remain", e.Message);
    }

    [Fact]
    public void Versions_outside_the_range_are_a_decode_error_for_every_api()
    {
        foreach (var api in ApiMessages.All)
        {
            foreach (var request in new[] { true, false })
            {
                foreach (var version in new[] { (short)(api.HighestVersion + 1), (short)(api.LowestVersion - 1), short.MaxValue, short.MinValue })
                {
                    var message = request ? (IKafkaMessage)ApiMessages.CreateRequest(api.Key)! : ApiMessages.CreateResponse(api.Key)!;
                    var name = message.GetType().Name;
                    KafkaDecodeException? error = null;
                    try
                    {
                        var reader = new KafkaReader(new byte[64]);
                        message.Read(ref reader, version);
                    }
                    catch (KafkaDecodeException e)
                    {
                        error = e;
                    }

                    Assert.True(error is not null, $"{name} read version {version}");
                    Assert.Equal(name, error.Api);
                    Assert.Equal(version, error.Version);
                    Assert.StartsWith($"Malformed {name} v{version}", error.Message);
                    Assert.Contains($"version {version} is outside {api.LowestVersion}-{api.HighestVersion}", error.Problem);
                }
            }
        }
    }
}
