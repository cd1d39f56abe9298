using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace PartnerZones.ControlPlane.Tests;

/// <summary>
/// A throwaway PostgreSQL server on 127.0.0.1 for the store tests: initdb and pg_ctl in a temporary
/// directory (as the postgres user when the tests run as root, since PostgreSQL refuses to run as root),
/// stopped and removed afterwards. PZ_TEST_POSTGRES (an Npgsql connection string to a superuser) uses an
/// existing server instead. Missing binaries fail the tests with the command that installs them; they
/// never skip.
/// </summary>
public sealed class PostgresServer
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);
    private string? _directory;
    private string? _binDir;
    private string _adminConnectionString = "";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("PZ_TEST_POSTGRES") is { Length: > 0 } given)
        {
            _adminConnectionString = given;
            return;
        }

        _binDir = FindBinDir() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin; "
            + "run scripts/install-test-tools.sh (it installs Debian's postgresql package), or set PZ_TEST_POSTGRES to a server's connection string.");
        _directory = Directory.CreateTempSubdirectory("pz-pg-").FullName;
        var asRoot = Environment.UserName == "root" || GetUid() == 0;
        if (asRoot)
        {
            Run("chown", ["-R", "postgres:postgres", _directory], asPostgres: false);
        }

        var data = Path.Combine(_directory, "data");
        var socket = Path.Combine(_directory, "sock");
        Run(Path.Combine(_binDir, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"], asRoot);
        Run("mkdir", ["-p", socket], asRoot);
        var port = FreePort();
        Run(Path.Combine(_binDir, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "90", "-o",
             $"-c listen_addresses=127.0.0.1 -p {port} -k {socket} -c fsync=off -c full_page_writes=off -c synchronous_commit=off", "start"],
            asRoot);
        _adminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;Timeout=30";
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
    }

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..40].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public Task DisposeAsync()
    {
        if (_directory is not null && _binDir is not null)
        {
            try
            {
                Run(Path.Combine(_binDir, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"], Environment.UserName == "root" || GetUid() == 0);
            }
            finally
            {
                Directory.Delete(_directory, recursive: true);
            }
        }

        return Task.CompletedTask;
    }

    private static string? FindBinDir()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin")));
        }

        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static void Run(string file, string[] args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres)
        {
            foreach (var arg in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {CommandTimeout.TotalSeconds:0} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {output.Result} {error.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetUid();
}
