using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using PartnerZones.Benchmarks;

// Full run:  dotnet run -c Release --project bench/PartnerZones.Benchmarks -- --filter '*'
// Quick run: dotnet run -c Release --project bench/PartnerZones.Benchmarks -- --quick --filter '*'
// Any other BenchmarkDotNet option (--job, --filter, --exporters, ...) passes through unchanged.
var quick = args.Contains(QuickConfig.Flag);
var config = quick ? QuickConfig.Create() : DefaultConfig.Instance;
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. args.Where(a => a != QuickConfig.Flag)], config);

// A benchmark whose setup threw (a failed round trip) or that crashed must fail the command.
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
