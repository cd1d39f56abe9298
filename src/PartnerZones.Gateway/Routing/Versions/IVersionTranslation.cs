using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Versions;

/// <summary>
/// What changes, beyond the fields the codecs add and drop by version, when one API's request is moved from
/// a version the upstream no longer serves to the oldest one it does, and its answer back. The codecs are
/// one class per API for every version, so most APIs need nothing here: fields absent at the old version
/// take their defaults, and fields absent at the old version are not written back.
/// </summary>
internal interface IVersionTranslation
{
    /// <summary>Adjusts the request decoded at <paramref name="clientVersion"/> before it is encoded at the
    /// upstream's version; returns what <see cref="Down"/> needs to know of it (parts answered here), or null.</summary>
    object? Up(IKafkaRequest request, short clientVersion);

    /// <summary>Adjusts the answer decoded at the upstream's version before it is encoded at <paramref name="clientVersion"/>.</summary>
    void Down(IKafkaRequest request, IKafkaResponse response, short clientVersion, object? state);
}

/// <summary>A translation for one API, typed.</summary>
internal abstract class VersionTranslation<TRequest, TResponse> : IVersionTranslation
    where TRequest : IKafkaRequest
    where TResponse : IKafkaResponse
{
    public object? Up(IKafkaRequest request, short clientVersion) => Up((TRequest)request, clientVersion);

    public void Down(IKafkaRequest request, IKafkaResponse response, short clientVersion, object? state) =>
        Down((TRequest)request, (TResponse)response, clientVersion, state);

    protected virtual object? Up(TRequest request, short clientVersion) => null;

    protected virtual void Down(TRequest request, TResponse response, short clientVersion, object? state)
    {
    }
}
