using System.CommandLine;
using System.Net.Sockets;
using PartnerZones.ControlPlane;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Security;
using PartnerZones.ControlPlane.Store;
using PartnerZones.Resources;

namespace PartnerZones.Cli;

/// <summary><c>pz console --config FILE</c> runs the console until SIGINT or SIGTERM; <c>pz console
/// hash-password</c> hashes an admin password read from standard input for the configuration.</summary>
internal static class ConsoleCommand
{
    public static Command Build()
    {
        var config = new Option<FileInfo>("--config") { Description = "Console configuration file (YAML; see docs/console.md and examples/console.yaml)", Required = true };
        var command = new Command("console", $"Run the console: the REST API and store for partner zones (default {ConsoleSpec.DefaultListen})") { config };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config)!, cancellationToken));

        var hash = new Command("hash-password", "Read an admin password from standard input and print the passwordHash to put in the console configuration");
        hash.SetAction(_ =>
        {
            var password = System.Console.In.ReadToEnd().TrimEnd('\r', '\n');
            if (password.Length == 0)
            {
                System.Console.Error.WriteLine("pz console hash-password: no password on standard input; pipe one in, e.g. echo -n 'PASSWORD' | pz console hash-password");
                return ExitCodes.Usage;
            }

            System.Console.WriteLine(PasswordHash.Hash(password));
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(hash);
        return command;
    }

    private static async Task<int> RunAsync(FileInfo file, CancellationToken cancellationToken)
    {
        // System.CommandLine installs its SIGINT/SIGTERM handler (which cancels cancellationToken) only once this
        // action has returned a task. Starting the console completes without yielding, so without this the
        // start-up lines were out, and a SIGTERM sent on reading them could arrive, before that handler existed:
        // only the web host's console lifetime took the signal, asking the host to stop, and the command, waiting
        // on cancellationToken alone, never ended.
        await Task.Yield();
        ConsoleConfig config;
        try
        {
            config = ConsoleConfigLoader.Load(file.FullName);
        }
        catch (ResourceException e)
        {
            foreach (var error in e.Errors)
            {
                System.Console.Error.WriteLine($"error: {error}");
            }

            return ExitCodes.Usage;
        }

        ConsoleHost host;
        try
        {
            host = await ConsoleHost.StartAsync(config, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            return Fail(e.Message + "; check spec.store.");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return Fail($"cannot listen on {config.Spec.Listen}: {e.Message}; stop what listens there or change spec.listen.");
        }

        await using (host.ConfigureAwait(false))
        {
            System.Console.WriteLine($"console listening on {host.Address.ToString().TrimEnd('/')}");
            System.Console.WriteLine($"console store: {host.Store.Description}");
            System.Console.WriteLine($"console API description: {host.Address.ToString().TrimEnd('/')}{ControlPlane.Api.ApiRoutes.OpenApi}");
            System.Console.WriteLine($"console web UI: {host.Address.ToString().TrimEnd('/')}/ (sign in as one of spec.admins)");
            await System.Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            // SIGINT or SIGTERM, taken by pz or by the web host: leaving this block stops serving and closes the
            // store. ForceYielding: stopping runs on the thread pool, not inline on the thread that took the signal.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, host.Stopping);
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
        }

        return ExitCodes.Ok;
    }

    private static int Fail(string message)
    {
        System.Console.Error.WriteLine($"pz console: {message}");
        return ExitCodes.Usage;
    }
}
