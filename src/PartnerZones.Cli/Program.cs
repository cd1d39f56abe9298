using PartnerZones.Cli;

return PzCommand.Build().Parse(args).Invoke();
