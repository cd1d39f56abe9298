using System.IO.Pipelines;
using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Gateway.Routing.Versions;

/// <summary>
/// Serves versions the upstream no longer accepts (Kafka 4.0 removed the oldest versions of several client
/// APIs that Kafka 3.9 still served, and 2.x-era clients still send) by translating them to the upstream's
/// oldest version: the request is decoded at the client's version, adjusted (<see cref="VersionTranslations"/>),
/// re-encoded at the upstream's version and routed as usual; the answer is decoded, adjusted back and encoded
/// at the client's version. Requests the upstream serves pass straight through, so only clients that need
/// the translation pay for it. Wraps the principal's router, so admins and partners get the same promise.
/// </summary>
internal sealed class VersionBridge(UpstreamApis apis, IRequestRouter inner) : IRequestRouter, IAsyncDisposable
{
    public IRequestRouter Inner => inner;

    public Task<OutgoingFrame?> RouteAsync(RequestHeader header, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        apis.TranslationTarget(header.ApiKey, header.ApiVersion) is { } target
            ? TranslateAsync(header, body, target, cancellationToken)
            : inner.RouteAsync(header, body, cancellationToken);

    public ValueTask DisposeAsync() => inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    private async Task<OutgoingFrame?> TranslateAsync(RequestHeader header, ReadOnlyMemory<byte> body, short target, CancellationToken cancellationToken)
    {
        var translation = VersionTranslations.For(header.ApiKey);
        var request = ApiMessages.CreateRequest(header.ApiKey)!;
        var reader = new KafkaReader(body);
        request.Read(ref reader, header.ApiVersion);
        var state = translation.Up(request, header.ApiVersion);

        var upHeader = new RequestHeader
        {
            ApiKey = header.ApiKey,
            ApiVersion = target,
            CorrelationId = header.CorrelationId,
            ClientId = header.ClientId,
        };
        var answer = await inner.RouteAsync(upHeader, request.Encode(target), cancellationToken).ConfigureAwait(false);
        if (answer is null)
        {
            return null;
        }

        byte[] frame;
        using (answer)
        {
            frame = Render(answer);
        }

        // The rendered frame: size, correlation id, header tagged fields when flexible, then the body.
        var responseReader = new KafkaReader(frame.AsMemory(4));
        ResponseHeader.Read(ref responseReader, HeaderVersions.Response(header.ApiKey, target));
        var response = ApiMessages.CreateResponse(header.ApiKey)!;
        response.Read(ref responseReader, target);
        translation.Down(request, response, header.ApiVersion, state);
        return OutgoingFrame.Encode(header.CorrelationId, header.ApiVersion, response);
    }

    /// <summary>The inner router's answer as bytes (this path decodes it again, so one copy is fine).</summary>
    private static byte[] Render(OutgoingFrame answer)
    {
        using var buffer = new MemoryStream();
        var writer = PipeWriter.Create(buffer, new StreamPipeWriterOptions(leaveOpen: true));
        answer.WriteTo(writer);
        writer.FlushAsync().AsTask().GetAwaiter().GetResult();
        writer.Complete();
        return buffer.ToArray();
    }
}
