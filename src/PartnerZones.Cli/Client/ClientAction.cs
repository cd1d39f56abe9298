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
            await System.Console.Error.WriteLineAsync($"{command}: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
    }
}
