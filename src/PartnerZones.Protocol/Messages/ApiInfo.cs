namespace PartnerZones.Protocol.Messages;

/// <summary>What the protocol library knows of one API: its key, name and version ranges.</summary>
/// <param name="LowestFlexibleVersion">First version using compact encodings and tagged fields; short.MaxValue when none does.</param>
public sealed record ApiInfo(short Key, string Name, short LowestVersion, short HighestVersion, short LowestFlexibleVersion)
{
    public bool Supports(short version) => version >= LowestVersion && version <= HighestVersion;

    public bool IsFlexible(short version) => version >= LowestFlexibleVersion;
}

public static partial class ApiMessages
{
    /// <summary>The API with this key, or null when the library has no codec for it.</summary>
    public static ApiInfo? Find(short apiKey) => Index.ByKey.GetValueOrDefault(apiKey);

    // A nested class so the index is built after All, whichever partial file declares it.
    private static class Index
    {
        public static readonly Dictionary<short, ApiInfo> ByKey = All.ToDictionary(a => a.Key);
    }
}
