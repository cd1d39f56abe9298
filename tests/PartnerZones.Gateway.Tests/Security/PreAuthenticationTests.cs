using System.Buffers.Binary;
using System.Net;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>
/// What an unauthenticated connection can make the gateway do: answer ApiVersions and run SASL, nothing
/// else. Any other request, and any frame whose size prefix is over the pre-authentication limit, ends
/// the connection — the latter as soon as the 4-byte prefix arrives, before any body is read.
/// </summary>
public sealed class PreAuthenticationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const int PreAuthLimit = 512 * 1024;

    private IPEndPoint Bootstrap => IPEndPoint.Parse(fixture.Gateway.BootstrapServers);

    public static TheoryData<string, short, short> RequestsOtherThanSasl()
    {
        var rows = new TheoryData<string, short, short>();
        foreach (var api in ApiMessages.All.Where(a => a.Key is not (SaslHandshakeRequest.Key or SaslAuthenticateRequest.Key or ApiVersionsRequest.Key)))
        {
            rows.Add(api.Name, api.Key, api.LowestVersion);
            if (api.HighestVersion != api.LowestVersion)
            {
                // APIs with one version would otherwise give xunit the same row twice.
                rows.Add(api.Name, api.Key, api.HighestVersion);
            }
        }

        foreach (var key in new short[] { 4, 7, 27, 71, 1000, -1 })
        {
            rows.Add($"unknown key {key}", key, 0);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(RequestsOtherThanSasl))]
    public async Task Any_request_but_ApiVersions_and_SASL_closes_an_unauthenticated_connection(string api, short key, short version)
    {
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        var body = ApiMessages.CreateRequest(key) is { } request ? request.Encode(version) : [];
        await client.WriteAsync(client.Frame(key, version, client.NextCorrelationId(), body));
        var answer = await client.WaitForCloseAsync();
        Assert.True(answer.Length == 0, $"{api} v{version} before authentication was answered ({answer.Length} bytes).");
    }

    [Fact]
    public async Task ApiVersions_is_answered_before_authentication_and_a_metadata_request_after_it_still_closes()
    {
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        var versions = await client.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "t", ClientSoftwareVersion = "1" }, 3);
        Assert.Equal(0, versions.ErrorCode);
        Assert.Contains(versions.ApiKeys, k => k.ApiKey == SaslHandshakeRequest.Key && k.MinVersion == 0 && k.MaxVersion == 1);

        await client.WriteAsync(client.Frame(new MetadataRequest { Topics = null }, 12, client.NextCorrelationId()));
        Assert.Empty(await client.WaitForCloseAsync());
    }

    [Theory]
    [InlineData(PreAuthLimit + 1)]
    [InlineData(100 * 1024 * 1024)]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    public async Task A_size_prefix_over_the_pre_authentication_limit_closes_before_any_body_is_sent(int size)
    {
        Assert.Equal(PreAuthLimit, fixture.Gateway.Runtime.Spec.Limits.PreAuthFrameBytes);
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        await client.WriteAsync(Prefix(size));
        Assert.Empty(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_size_prefix_at_the_limit_waits_for_its_body()
    {
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        await client.WriteAsync(Prefix(PreAuthLimit));
        Assert.True(await client.StaysOpenAsync(TimeSpan.FromSeconds(1)), "a frame of exactly the limit was refused");
    }

    [Fact]
    public async Task After_login_the_frame_limit_is_raised()
    {
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        await client.WriteAsync(Prefix(PreAuthLimit + 1));
        Assert.True(await client.StaysOpenAsync(TimeSpan.FromSeconds(1)), "an authenticated frame just over the pre-authentication limit was refused");
    }

    [Fact]
    public async Task A_header_that_does_not_decode_closes_the_connection()
    {
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        await client.WriteAsync(new byte[] { 0, 0, 0, 3, 0, 18, 0 });
        Assert.Empty(await client.WaitForCloseAsync());
    }

    private static byte[] Prefix(int size)
    {
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(prefix, size);
        return prefix;
    }
}
