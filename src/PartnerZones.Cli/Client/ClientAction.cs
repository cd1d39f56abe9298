namespace PartnerZones.Cli.Client;

/// <summary>Runs a client command body and turns a <see cref="CliFailure"/> into its one line on standard error.</summary>
internal static class ClientAction
{
    public static async Task<int> RunAsync(string command, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (CliFailure e)
        {
            // One line, whatever the message quotes: control characters are escaped.
            await System.Console.Error.WriteLineAsync($"{command}: {PartnerZones.Resources.KafkaNames.Escaped(e.Message)}").ConfigureAwait(false);
            return e.ExitCode;
        }
    }
}
