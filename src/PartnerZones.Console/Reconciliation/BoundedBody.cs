namespace PartnerZones.ControlPlane.Reconciliation;

/// <summary>
/// Reads at most a fixed number of bytes of an HTTP answer. The limit is counted on what arrives, not
/// taken from Content-Length: whatever answers at a KafkaCluster's URL is not trusted to say how much it
/// will send, and one answer must not be able to fill the console's memory.
/// </summary>
internal static class BoundedBody
{
    /// <summary>The body, or its first <paramref name="limit"/> bytes with <c>TooLarge</c> set when there was more.</summary>
    public static async Task<(byte[] Bytes, bool TooLarge)> ReadAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            while (true)
            {
                var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer.ToArray(), false);
                }

                if (buffer.Length + read > limit)
                {
                    buffer.Write(chunk, 0, (int)(limit - buffer.Length));
                    return (buffer.ToArray(), true);
                }

                buffer.Write(chunk, 0, read);
            }
        }
    }
}
