using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Derp.ServiceDefaults.Persistence;

public static class DatabaseExtensions
{
    public const string ConnectionStringName = "Database";

    /// <summary>The argument that makes a service apply its migrations and exit (a Kubernetes Job runs this).</summary>
    public const string MigrateOnlyArgument = "--migrate-only";

    public static WebApplicationBuilder AddDerpDatabase<TContext>(this WebApplicationBuilder builder) where TContext : DbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.");
        builder.Services.AddDbContext<TContext>(options => options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history")));
        // Registered before every other hosted service, so consumers, jobs and seeders start on a migrated schema.
        if (builder.Configuration.GetValue("Database:MigrateOnStartup", true))
            builder.Services.AddHostedService<DatabaseMigrator<TContext>>();
        return builder;
    }

    /// <summary>
    /// Applies the context's migrations under a PostgreSQL advisory lock, so replicas that start together migrate
    /// one after another rather than racing. Creates the database first when it does not exist yet.
    /// </summary>
    public static async Task MigrateDatabaseAsync<TContext>(this IServiceProvider services, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Derp.Migrations");
        var connectionString = context.Database.GetConnectionString()!;

        await EnsureDatabaseExistsAsync(connectionString, cancellationToken);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var lockKey = LockKey(typeof(TContext).FullName!);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            acquire.Parameters.AddWithValue("key", lockKey);
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} migration(s) to {Context}: {Migrations}", pending.Count, typeof(TContext).Name, pending);
                await context.Database.MigrateAsync(cancellationToken);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            release.Parameters.AddWithValue("key", lockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Runs the service; with <c>--migrate-only</c> it applies migrations and exits instead (for a Kubernetes Job, with
    /// <c>Database:MigrateOnStartup=false</c> on the replicas).
    /// </summary>
    public static async Task RunWithMigrationsAsync<TContext>(this WebApplication app, string[] args) where TContext : DbContext
    {
        if (args.Contains(MigrateOnlyArgument))
        {
            await app.Services.MigrateDatabaseAsync<TContext>();
            return;
        }
        await app.RunAsync();
    }

    private static async Task EnsureDatabaseExistsAsync(string connectionString, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var database = target.Database ?? throw new InvalidOperationException("The connection string names no database.");
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            return;
        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another replica created it first.
        }
    }

    // A stable 64-bit key per context type (string.GetHashCode is randomised per process).
    private static long LockKey(string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("derp-migrations:" + name));
        return BitConverter.ToInt64(hash, 0);
    }
}

public sealed class DatabaseMigrator<TContext>(IServiceProvider services) : IHostedService where TContext : DbContext
{
    public Task StartAsync(CancellationToken cancellationToken) => services.MigrateDatabaseAsync<TContext>(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
