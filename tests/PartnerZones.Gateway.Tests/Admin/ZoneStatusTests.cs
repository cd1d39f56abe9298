using System.Net;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>GET /gateway/v2/partner-zone/{name}/status: whether the zone's backing topics exist upstream.</summary>
public sealed class ZoneStatusTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Status_names_the_backing_topics_the_cluster_lacks()
    {
        using var api = AdminApi.For(fixture.HttpPort);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsync("/gateway/v2/service-account", """{"metadata": {"name": "status-partner"}}""")).Status);
        var (put, putBody) = await api.PutAsync("/gateway/v2/partner-zone", """
            {"metadata": {"name": "status-zone"}, "spec": {"cluster": "gateway", "serviceAccount": "status-partner", "topics": [
              {"name": "here", "backingTopic": "kafka-topic-a", "permission": "READ"},
              {"name": "later", "backingTopic": "not-created-yet", "permission": "READ"}]}}
            """);
        Assert.True(put == HttpStatusCode.OK, putBody?.ToJsonString());

        var (status, body) = await api.GetAsync("/gateway/v2/partner-zone/status-zone/status");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body!["ready"]!.GetValue<bool>());
        Assert.Equal(["kafka-topic-a", "not-created-yet"], body["backingTopics"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(["not-created-yet"], body["missingBackingTopics"]!.AsArray().Select(t => t!.GetValue<string>()));

        // The check asks; it never creates the topic.
        (status, body) = await api.GetAsync("/gateway/v2/partner-zone/status-zone/status");
        Assert.Equal(["not-created-yet"], body!["missingBackingTopics"]!.AsArray().Select(t => t!.GetValue<string>()));

        (status, body) = await api.GetAsync("/gateway/v2/partner-zone/no-such-zone/status");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("PartnerZone 'no-such-zone' does not exist", body!["message"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/gateway/v2/partner-zone/status-zone")).Status);
    }
}
