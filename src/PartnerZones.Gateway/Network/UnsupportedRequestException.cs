namespace PartnerZones.Gateway.Network;

/// <summary>A request for an API or version the gateway does not serve this principal. As with Apache Kafka,
/// the connection closes; unlike a silent close, the session logs and counts it with what was asked and
/// what is served (<see cref="ConnectionCloseLog"/>).</summary>
internal sealed class UnsupportedRequestException(short apiKey, short apiVersion, string served)
    : ClientProtocolException($"{Name(apiKey)} v{apiVersion} is not served to this principal (served: {served})")
{
    public short ApiKey { get; } = apiKey;

    public short ApiVersion { get; } = apiVersion;

    private static string Name(short apiKey) =>
        Protocol.Messages.ApiMessages.Find(apiKey) is { } api ? $"{api.Name} (API {apiKey})" : $"API key {apiKey}";
}
