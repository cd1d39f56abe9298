using System.Net.Http.Headers;
using System.Text;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Security;

namespace PartnerZones.ControlPlane.Tests;

/// <summary>A console running in the test process on 127.0.0.1 (a free port), on a SQLite file or a
/// PostgreSQL database, with one admin and one API key ready.</summary>
public sealed class TestConsole : IAsyncDisposable
{
    public const string AdminName = "admin";
    public const string AdminPassword = "test-admin-password";

    /// <summary>Hashed once with a low iteration count: tests log in often, and strength is not under test here.</summary>
    private static readonly string AdminHash = PasswordHash.Hash(AdminPassword, iterations: 10_000);

    private TestConsole(ConsoleHost host, StoreConfig store, string apiKey)
    {
        Host = host;
        StoreConfig = store;
        ApiKey = apiKey;
        Client = CreateClient(new AuthenticationHeaderValue("Bearer", apiKey));
    }

    public ConsoleHost Host { get; }

    public StoreConfig StoreConfig { get; }

    public Uri Url => Host.Address;

    public string ApiKey { get; }

    /// <summary>Sends the API key.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts a console. The reconciler is off unless <paramref name="reconciler"/> turns it on, so
    /// API tests see the statuses the API wrote and never call a gateway.</summary>
    public static async Task<TestConsole> StartAsync(StoreConfig store, ControlPlane.Reconciliation.IGatewayAdmin? gateway = null, ControlPlane.Reconciliation.ReconcilerOptions? reconciler = null, Microsoft.Extensions.Logging.ILoggerProvider? logs = null)
    {
        var options = new ConsoleHostOptions
        {
            ExtraLogger = logs,
            FailedLoginDelay = TimeSpan.FromMilliseconds(50),
            GatewayAdmin = gateway,
            Reconciler = reconciler ?? new ControlPlane.Reconciliation.ReconcilerOptions { Enabled = false },
        };
        var host = await ConsoleHost.StartAsync(Config(store), options);
        var key = ApiKeys.Generate();
        await host.Store.CreateApiKeyAsync("tests", ApiKeys.HashOf(key), AdminName, CancellationToken.None);
        return new TestConsole(host, store, key);
    }

    public static ConsoleConfig Config(StoreConfig store, string listen = "http://127.0.0.1:0") => new()
    {
        Spec = new ConsoleSpec
        {
            Listen = listen,
            Store = store,
            Admins = [new AdminUser { Name = AdminName, PasswordHash = AdminHash }],
        },
    };

    public HttpClient CreateClient(AuthenticationHeaderValue? authorization = null)
    {
        var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }

    public HttpClient AdminClient(string password = AdminPassword) =>
        CreateClient(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminName}:{password}"))));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>Where a test class's console keeps its state; one per test class.</summary>
public interface IStoreFixture
{
    TestConsole Console { get; }

    /// <summary>A fresh, empty store of the same type (for migration and restart tests).</summary>
    Task<StoreConfig> NewStoreAsync();
}

public sealed class SqliteFixture : IStoreFixture, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-console-tests-").FullName;

    public TestConsole Console { get; private set; } = null!;

    public Task<StoreConfig> NewStoreAsync() =>
        Task.FromResult(new StoreConfig { Sqlite = Path.Combine(_directory, $"{Guid.NewGuid():N}.db") });

    public async Task InitializeAsync() => Console = await TestConsole.StartAsync(await NewStoreAsync());

    public async Task DisposeAsync()
    {
        await Console.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>One PostgreSQL server and console shared by every PostgreSQL test class (see <see cref="PostgresCollection"/>).</summary>
public sealed class PostgresFixture : IStoreFixture, IAsyncLifetime
{
    private readonly PostgresServer _server = new();

    public TestConsole Console { get; private set; } = null!;

    public async Task<StoreConfig> NewStoreAsync() => new() { Postgres = await _server.CreateDatabaseAsync("pz_console") };

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        Console = await TestConsole.StartAsync(await NewStoreAsync());
    }

    public async Task DisposeAsync()
    {
        if (Console is not null)
        {
            await Console.DisposeAsync();
        }

        await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
