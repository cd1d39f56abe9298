using PartnerZones.Cli;

return PzCommand.Run(args);
