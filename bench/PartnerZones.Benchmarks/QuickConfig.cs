using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace PartnerZones.Benchmarks;

/// <summary>A CI-sized run: BenchmarkDotNet's short job (1 launch, 3 warm-up and 3 measured iterations),
/// in this process. Skipping the per-benchmark generated project saves minutes of building on a 2-core
/// machine; the price is wider error bars than a default run, which the report shows.</summary>
internal static class QuickConfig
{
    public const string Flag = "--quick";

    public static IConfig Create() =>
        ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.DontLogOutput).WithId("Quick"));
}
