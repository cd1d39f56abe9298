using System.CommandLine;
using PartnerZones.Resources;

namespace PartnerZones.Cli.Client;

/// <summary>The KIND argument: case-insensitive, singular, plural or short (<c>PartnerZone</c>,
/// <c>partner-zones</c>, <c>pz</c>; <c>KafkaCluster</c>, <c>kc</c>).</summary>
internal static class KindArgument
{
    public static Argument<string> Create() => new("kind") { Description = $"Resource kind: {ResourceKinds.Known}" };

    public static ResourceKind Resolve(string text) =>
        ResourceKinds.Resolve(text) ?? throw new CliFailure($"unknown kind '{text}'; use {ResourceKinds.Known}.", ExitCodes.Usage);
}
