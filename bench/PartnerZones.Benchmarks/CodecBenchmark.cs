using BenchmarkDotNet.Attributes;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Benchmarks;

/// <summary>
/// Decode and Encode of one message at one version, the measurement every codec benchmark makes. A
/// subclass builds the message; setup checks that decoding and re-encoding gives back the same bytes and
/// that Encode writes the whole message, so a codec bug fails the run instead of being timed.
/// </summary>
[MemoryDiagnoser]
public abstract class CodecBenchmark<TMessage>
    where TMessage : IKafkaMessage, new()
{
    private TMessage _message = default!;
    private byte[] _encoded = null!;
    private KafkaWriter _writer = null!;

    protected abstract short Version { get; }

    /// <summary>The message to measure; called once per parameter set, after BenchmarkDotNet sets [Params].</summary>
    protected abstract TMessage Build();

    [GlobalSetup]
    public void Setup()
    {
        _message = Build();
        _encoded = _message.Encode(Version);
        _writer = new KafkaWriter(_encoded.Length);
        var name = GetType().Name;
        RoundTrip.Check(_encoded, Decode().Encode(Version), name);
        RoundTrip.CheckLength(_encoded.Length, Encode(), name);
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    [Benchmark]
    public TMessage Decode()
    {
        var reader = new KafkaReader(_encoded);
        var message = new TMessage();
        message.Read(ref reader, Version);
        return message;
    }

    [Benchmark]
    public int Encode()
    {
        _writer.Reset();
        _message.Write(_writer, Version);
        return _writer.Position;
    }
}
