using System.Globalization;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>Partition logs for direct tests: in memory, or in files under a directory.</summary>
internal static class LogFactory
{
    public static LogConfig Config(params (string Key, object Value)[] overrides) =>
        LogConfig.From(overrides.ToDictionary(o => o.Key, o => Convert.ToString(o.Value, CultureInfo.InvariantCulture)!));

    public static PartitionLog OpenFile(string directory, LogConfig config, FlushPolicy policy = FlushPolicy.Interval, List<string>? reports = null) =>
        PartitionLog.Open(new FileSegmentStore(directory, policy), config, report: reports is null ? null : reports.Add);

    /// <summary>A file log under <paramref name="directory"/> when given, else an in-memory one.</summary>
    public static PartitionLog Open(string? directory, LogConfig config) =>
        directory is null ? new PartitionLog(config) : OpenFile(directory, config);

    public static string[] SegmentFiles(string directory) =>
        [.. Directory.GetFiles(directory, "*.log").Order(StringComparer.Ordinal)];
}
