using System.Diagnostics;
using Derp.ServiceDefaults.Persistence;
using Derp.TestSupport;
using Derp.Users.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Derp.Users.FunctionalTests;

/// <summary>
/// Kubernetes runs each service's migrations as a Job (<c>--migrate-only</c>) and the replicas with
/// <c>Database__MigrateOnStartup=false</c> (deploy/k8s). The switch lives in building-blocks
/// (<see cref="DatabaseExtensions.RunWithMigrationsAsync{TContext}"/>); users stands for every service here. The
/// process is the real one, started like the Job's container: <c>dotnet Derp.Users.Api.dll --migrate-only</c>.
/// </summary>
public sealed class MigrateOnlyTests
{
    [Fact]
    public async Task Migrate_only_creates_and_migrates_a_fresh_database_and_exits_0()
    {
        await using var database = TestDatabase.NewName("migrate_only");

        var run = await RunServiceAsync(database.ConnectionString, "--migrate-only");

        run.ExitCode.ShouldBe(0, run.Output);
        (await AppliedMigrationsAsync(database.ConnectionString)).ShouldBe(AllMigrations());

        // A second run (the next deployment's Job) finds nothing to do and succeeds again.
        var again = await RunServiceAsync(database.ConnectionString, "--migrate-only");
        again.ExitCode.ShouldBe(0, again.Output);
        (await AppliedMigrationsAsync(database.ConnectionString)).ShouldBe(AllMigrations());
    }

    [Fact]
    public async Task Migrate_only_exits_non_zero_when_the_database_cannot_be_reached()
    {
        // Nothing listens on port 1: the Job must fail (and be retried by Kubernetes), not report success.
        var unreachable = new NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer)
        {
            Host = "127.0.0.1", Port = 1, Database = "test_migrate_only_unreachable", Timeout = 2,
        }.ConnectionString;

        var run = await RunServiceAsync(unreachable, "--migrate-only");

        run.ExitCode.ShouldNotBe(0, run.Output);
    }

    [Fact]
    public async Task A_replica_started_with_MigrateOnStartup_false_migrates_nothing_and_does_not_run_on_an_unmigrated_database()
    {
        await using var database = TestDatabase.NewName("not_migrating");

        // A replica started before its migration Job: the Deployment's setting, no --migrate-only.
        var run = await RunServiceAsync(database.ConnectionString);

        // It neither created nor migrated the database (the migrator, registered before every other hosted service,
        // would have done both before anything else started)...
        (await DatabaseExistsAsync(database.Name)).ShouldBeFalse("Database:MigrateOnStartup=false created the database");
        // ...and it stopped instead of serving on a schema that is not there (Kubernetes restarts it until the Job is done).
        run.ExitCode.ShouldNotBe(0, run.Output);
    }

    private sealed record ProcessRun(int ExitCode, string Output);

    private static async Task<ProcessRun> RunServiceAsync(string databaseConnectionString, params string[] arguments)
    {
        var serviceAssembly = typeof(UsersContext).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serviceAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(serviceAssembly);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // What the Job's container gets (deploy/k8s/base/services/users.yaml), pointed at the test infrastructure.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment["Database__MigrateOnStartup"] = "false";
        // Never one of `make up`'s ports, should the service get as far as listening.
        start.Environment["Urls"] = "http://127.0.0.1:0";
        start.Environment["ConnectionStrings__Database"] = databaseConnectionString;
        start.Environment["ConnectionStrings__RabbitMq"] = TestInfrastructure.RabbitMq;
        start.Environment["ConnectionStrings__Redis"] = TestInfrastructure.Redis;
        start.Environment["Jwt__SigningKey"] = TestInfrastructure.JwtSigningKey;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        // A deadline, not a timing assertion: a hung migration, or a replica that came up when it should not have, fails
        // the test rather than the whole run.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the service ({string.Join(' ', arguments)}) did not exit: {await output}{await errors}");
        }
        return new ProcessRun(process.ExitCode, $"exit {process.ExitCode}:\n{await output}\n{await errors}");
    }

    private static string[] AllMigrations()
    {
        using var context = new UsersContext(new DbContextOptionsBuilder<UsersContext>().UseNpgsql("Host=unused").Options);
        return context.Database.GetMigrations().ToArray();
    }

    private static async Task<string[]> AppliedMigrationsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT \"MigrationId\" FROM __ef_migrations_history ORDER BY \"MigrationId\"", connection);
        var applied = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            applied.Add(reader.GetString(0));
        return [.. applied];
    }

    private static async Task<bool> DatabaseExistsAsync(string name)
    {
        var admin = new NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", name);
        return await exists.ExecuteScalarAsync(TestContext.Current.CancellationToken) is not null;
    }
}
