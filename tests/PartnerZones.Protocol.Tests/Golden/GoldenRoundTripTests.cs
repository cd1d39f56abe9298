using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Tests.Golden;

/// <summary>
/// Every frame captured from kcat and Confluent.Kafka decodes with the generated codec for its API
/// version, leaves no byte unread, and encodes again to exactly the captured bytes. Request frames
/// were written by the real clients; response frames by our encoder (see TestData/Captures/README.md).
/// </summary>
public sealed class GoldenRoundTripTests
{
    /// <summary>What every client's captures must include (the README promises these).</summary>
    private static readonly short[] RequiredApis =
    [
        ApiVersionsRequest.Key, MetadataRequest.Key, ProduceRequest.Key, FetchRequest.Key, FindCoordinatorRequest.Key,
        JoinGroupRequest.Key, SyncGroupRequest.Key, OffsetCommitRequest.Key,
    ];

    public static TheoryData<string> Files() => GoldenCaptures.Files();

    public static TheoryData<string> RequestFiles() => GoldenCaptures.RequestFiles();

    [Theory]
    [MemberData(nameof(Files))]
    public void Capture_decodes_completely_and_re_encodes_to_identical_bytes(string file)
    {
        var capture = GoldenCaptures.Get(file);
        var api = ApiMessages.Find(capture.ApiKey);
        Assert.True(api is not null, $"{capture}: no codec for API key {capture.ApiKey}");
        Assert.Equal(api.Name, capture.Api);
        Assert.True(api.Supports(capture.BodyVersion), $"{capture}: the codec for {api.Name} has no version {capture.BodyVersion}");

        var reader = new KafkaReader(capture.Frame);
        using var writer = new KafkaWriter(capture.Frame.Length);
        IKafkaMessage body;
        if (capture.IsRequest)
        {
            var header = RequestHeader.Read(ref reader);
            Assert.Equal(capture.ApiKey, header.ApiKey);
            Assert.Equal(capture.Version, header.ApiVersion);
            Assert.Equal(capture.CorrelationId, header.CorrelationId);
            header.Write(writer);
            body = ApiMessages.CreateRequest(capture.ApiKey)!;
        }
        else
        {
            var headerVersion = HeaderVersions.Response(capture.ApiKey, capture.Version);
            var header = ResponseHeader.Read(ref reader, headerVersion);
            Assert.Equal(capture.CorrelationId, header.CorrelationId);
            header.Write(writer, headerVersion);
            body = ApiMessages.CreateResponse(capture.ApiKey)!;
        }

        var bodyStart = reader.Position;
        body.Read(ref reader, capture.BodyVersion);
        Assert.True(reader.End,
            $"{capture}: {api.Name} v{capture.BodyVersion} read {reader.Position - bodyStart} body bytes and left {reader.Remaining} unread");

        body.Write(writer, capture.BodyVersion);
        AssertSameBytes(capture, writer.WrittenSpan);
    }

    /// <summary>The gateway keeps unknown tagged fields, so this is no failure of forwarding; but a
    /// real client sending a tag our schema lacks means the schema is behind the client.</summary>
    [Theory]
    [MemberData(nameof(RequestFiles))]
    public void Client_requests_carry_no_tagged_field_the_schema_lacks(string file)
    {
        var capture = GoldenCaptures.Get(file);
        var reader = new KafkaReader(capture.Frame);
        var header = RequestHeader.Read(ref reader);
        Assert.True(header.UnknownTaggedFields is null or { Count: 0 }, $"{capture}: request header has unknown tagged fields");
        var body = ApiMessages.CreateRequest(capture.ApiKey)!;
        body.Read(ref reader, capture.BodyVersion);
        Assert.Empty(UnknownTaggedFields.In(body));
    }

    [Fact]
    public void Every_client_has_captures_of_the_required_apis()
    {
        foreach (var client in GoldenCaptures.Clients)
        {
            var sent = GoldenCaptures.All.Where(c => c.Client == client && c.IsRequest).Select(c => c.ApiKey).ToHashSet();
            var missing = RequiredApis.Where(k => !sent.Contains(k)).Select(k => ApiMessages.Find(k)!.Name).ToList();
            Assert.True(missing.Count == 0, $"{client} has no captured request for: {string.Join(", ", missing)}");
        }
    }

    [Fact]
    public void Every_request_has_its_response_and_both_agree_on_api_version_and_correlation_id()
    {
        var requests = GoldenCaptures.All.Where(c => c.IsRequest).ToList();
        Assert.NotEmpty(requests);
        foreach (var request in requests)
        {
            if (request.ApiKey == ProduceRequest.Key && GoldenDecoder.Request<ProduceRequest>(request).Body.Acks == 0)
            {
                // acks=0: the broker sends nothing back.
                Assert.DoesNotContain(GoldenCaptures.All, c => !c.IsRequest && c.ExchangeName == request.ExchangeName);
                continue;
            }

            var response = GoldenCaptures.ResponseTo(request);
            Assert.Equal(request.Client, response.Client);
            Assert.Equal(request.ApiKey, response.ApiKey);
            Assert.Equal(request.Version, response.Version);
            Assert.Equal(request.CorrelationId, response.CorrelationId);
        }

        Assert.All(GoldenCaptures.All.Where(c => !c.IsRequest), r => Assert.Contains(requests, q => q.ExchangeName == r.ExchangeName));
    }

    [Fact]
    public void Captures_sit_in_their_client_folder()
    {
        foreach (var capture in GoldenCaptures.All)
        {
            Assert.StartsWith(capture.Client + "/", capture.RelativePath, StringComparison.Ordinal);
            Assert.Contains(capture.Client, GoldenCaptures.Clients);
        }
    }

    /// <summary>Names the first differing byte; a bare array comparison of a 2 KB frame says little.</summary>
    private static void AssertSameBytes(CaptureFile capture, ReadOnlySpan<byte> encoded)
    {
        var expected = capture.Frame.AsSpan();
        var common = expected.CommonPrefixLength(encoded);
        if (common == expected.Length && common == encoded.Length)
        {
            return;
        }

        var from = Math.Max(0, common - 8);
        Assert.Fail(
            $"{capture}: re-encoded {encoded.Length} bytes, captured {expected.Length}; first difference at byte {common}.\n" +
            $"  captured   [{from}..]: {Convert.ToHexStringLower(expected[from..Math.Min(expected.Length, common + 16)])}\n" +
            $"  re-encoded [{from}..]: {Convert.ToHexStringLower(encoded[from..Math.Min(encoded.Length, common + 16)])}");
    }
}
