using PartnerZones.LoadTest;

// dotnet run -c Release --project bench/PartnerZones.LoadTest -- --help
return await LoadTestCommand.Build().Parse(args).InvokeAsync();
