using System.Text;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Tests.Generated;

namespace PartnerZones.Protocol.Tests.Malformed;

/// <summary>One API, version and direction: the unit every malformed-input test iterates over.</summary>
public readonly record struct Case(ApiInfo Api, short Version, bool Request)
{
    public bool Flexible => Api.IsFlexible(Version);

    /// <summary>The generated class name, which is also what decode errors call the message.</summary>
    public string MessageName => NewMessage().GetType().Name;

    public IKafkaMessage NewMessage() =>
        Request ? ApiMessages.CreateRequest(Api.Key)! : ApiMessages.CreateResponse(Api.Key)!;

    /// <summary>A random message valid for this version and its encoding.</summary>
    public IKafkaMessage Random(int seed, out byte[] frame)
    {
        var rng = new Random(HashCode.Combine(Api.Key, Version, Request, seed, 0x5EED));
        var message = RandomMessages.Create(Api.Key, Request, Version, rng);
        frame = message.Encode(Version);
        return message;
    }

    public override string ToString() => $"{MessageName} v{Version}";
}

/// <summary>What one decode did: the message or the decode error, and how many bytes it allocated.</summary>
public sealed record Outcome(IKafkaMessage Message, KafkaDecodeException? Error, Exception? Unexpected, long Allocated);

/// <summary>Shared helpers: enumerate cases, decode while measuring allocation, check decode errors.</summary>
public static class Decoding
{
    /// <summary>Allocation allowed for a decode that fails on a lying length: it must fail before allocating.</summary>
    public const long SmallAllocation = 64 * 1024;

    public static IEnumerable<Case> AllCases()
    {
        foreach (var api in ApiMessages.All)
        {
            for (var v = api.LowestVersion; v <= api.HighestVersion; v++)
            {
                yield return new Case(api, v, true);
                yield return new Case(api, v, false);
            }
        }
    }

    public static int CaseCount => AllCases().Count();

    public static TheoryData<short, short, bool> EveryApiVersionAndDirection()
    {
        var data = new TheoryData<short, short, bool>();
        foreach (var c in AllCases())
        {
            data.Add(c.Api.Key, c.Version, c.Request);
        }

        return data;
    }

    public static Case CaseOf(short apiKey, short version, bool request) =>
        new(ApiMessages.Find(apiKey) ?? throw new ArgumentOutOfRangeException(nameof(apiKey)), version, request);

    /// <summary>Decodes <paramref name="frame"/> into a fresh message, catching every exception.</summary>
    public static Outcome Decode(Case c, ReadOnlyMemory<byte> frame)
    {
        var message = c.NewMessage();
        KafkaDecodeException? error = null;
        Exception? unexpected = null;
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var reader = new KafkaReader(frame);
            message.Read(ref reader, c.Version);
        }
        catch (KafkaDecodeException e)
        {
            error = e;
        }
        catch (Exception e)
        {
            unexpected = e;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return new Outcome(message, error, unexpected, allocated);
    }

    /// <summary>Decodes; if that allocated <paramref name="limit"/> bytes or more, decodes once more and keeps the
    /// second measurement, so one-time costs of a first run (type initializers, resource strings) are not counted.</summary>
    public static Outcome DecodeWarm(Case c, ReadOnlyMemory<byte> frame, long limit)
    {
        var outcome = Decode(c, frame);
        return outcome.Allocated < limit ? outcome : Decode(c, frame);
    }

    /// <summary>Null when the outcome is acceptable for malformed input (decoded, or a decode error naming the
    /// API, version and a field), otherwise what is wrong with it.</summary>
    public static string? Problem(Case c, Outcome outcome)
    {
        if (outcome.Unexpected is { } u)
        {
            return $"threw {u.GetType().Name} instead of KafkaDecodeException: {u.Message}\n{u.StackTrace}";
        }

        return outcome.Error is { } e ? LocationProblem(c, e) : null;
    }

    /// <summary>Null when the decode error names the message, the version and a field, in its properties and in its text.</summary>
    public static string? LocationProblem(Case c, KafkaDecodeException e)
    {
        var name = c.MessageName;
        if (e.GetType() != typeof(KafkaDecodeException))
        {
            return $"threw {e.GetType()}";
        }

        if (e.Api != name || e.Version != c.Version)
        {
            return $"error names {e.Api} v{e.Version}, expected {name} v{c.Version}: {e.Message}";
        }

        if (string.IsNullOrEmpty(e.Field))
        {
            return $"error does not name a field: {e.Message}";
        }

        if (!e.Message.Contains($"{name} v{c.Version}", StringComparison.Ordinal) ||
            !e.Message.Contains($"field {e.Field}", StringComparison.Ordinal))
        {
            return $"error text does not name API, version and field: {e.Message}";
        }

        return null;
    }

    /// <summary>Decodes input that must be rejected and checks the error: location always, field and problem when given.</summary>
    public static KafkaDecodeException ExpectError(Case c, byte[] frame, string? field = null, string? problem = null, long maxAllocated = SmallAllocation)
    {
        var outcome = DecodeWarm(c, frame, maxAllocated);
        var context = $"{c} input {Hex(frame)}";
        if (outcome.Unexpected is not null)
        {
            Assert.Fail($"{context}: {Problem(c, outcome)}");
        }

        if (outcome.Error is null)
        {
            Assert.Fail($"{context}: decoded although it is malformed");
        }

        var e = outcome.Error!;
        var location = LocationProblem(c, e);
        Assert.True(location is null, $"{context}: {location}");
        if (field is not null)
        {
            Assert.True(e.Field == field, $"{context}: expected field {field}, error was: {e.Message}");
        }

        if (problem is not null)
        {
            Assert.True(e.Problem.Contains(problem, StringComparison.OrdinalIgnoreCase), $"{context}: expected '{problem}' in: {e.Message}");
        }

        Assert.True(outcome.Allocated < maxAllocated, $"{context}: decode allocated {outcome.Allocated} bytes (limit {maxAllocated}) before failing: {e.Message}");
        return e;
    }

    public static string Hex(ReadOnlySpan<byte> bytes, int max = 200)
    {
        var sb = new StringBuilder();
        sb.Append('[').Append(bytes.Length).Append(" bytes] ");
        sb.Append(Convert.ToHexString(bytes[..Math.Min(bytes.Length, max)]));
        if (bytes.Length > max)
        {
            sb.Append("...");
        }

        return sb.ToString();
    }

    public static byte[] Bytes(params int[] values) => values.Select(v => checked((byte)v)).ToArray();

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] Splice(byte[] frame, int at, int remove, ReadOnlySpan<byte> insert)
    {
        var result = new byte[frame.Length - remove + insert.Length];
        frame.AsSpan(0, at).CopyTo(result);
        insert.CopyTo(result.AsSpan(at));
        frame.AsSpan(at + remove).CopyTo(result.AsSpan(at + insert.Length));
        return result;
    }
}
