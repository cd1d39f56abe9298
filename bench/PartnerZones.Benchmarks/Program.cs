using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/PartnerZones.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
