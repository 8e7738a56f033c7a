using System.Collections.Concurrent;
using System.Data;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Derp.ServiceDefaults.Metrics;

/// <summary>
/// A gauge whose value a SQL query reads from the service's database. The query's last column is the value; every
/// column before it is a label, named by the column (<c>SELECT kind, count(*) FROM serials GROUP BY kind</c>).
/// </summary>
public sealed record DatabaseGauge(Type ContextType, string Name, string Description, string Sql, string? Unit = null);

public static class DatabaseGaugeExtensions
{
    /// <summary>
    /// Registers a gauge read from <typeparamref name="TContext"/>'s database by <see cref="DatabaseGaugeRefresher"/>:
    /// in the background every <c>Metrics:GaugeRefreshInterval</c> (30 s), never once per scrape.
    /// </summary>
    public static IServiceCollection AddDatabaseGauge<TContext>(this IServiceCollection services, string name, string description,
        string sql, string? unit = null) where TContext : DbContext
    {
        services.AddSingleton(new DatabaseGauge(typeof(TContext), name, description, sql, unit));
        services.TryAddSingleton<DatabaseGaugeRefresher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DatabaseGaugeRefresher>(
            sp => sp.GetRequiredService<DatabaseGaugeRefresher>()));
        return services;
    }
}

/// <summary>
/// Runs every registered <see cref="DatabaseGauge"/> query on a timer and serves the last values to the scrape.
/// A scrape costs no query, however often Prometheus (or several) asks; a failed query keeps the last values and
/// is logged, so a database hiccup does not blank a dashboard.
/// </summary>
public sealed class DatabaseGaugeRefresher : BackgroundService
{
    private readonly IReadOnlyList<DatabaseGauge> _gauges;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<DatabaseGaugeRefresher> _logger;
    private readonly TimeSpan _interval;
    private readonly ConcurrentDictionary<string, Measurement<double>[]> _values = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refreshing = new(1, 1);

    public DatabaseGaugeRefresher(IEnumerable<DatabaseGauge> gauges, IServiceScopeFactory scopes, IMeterFactory meters,
        IConfiguration configuration, ILogger<DatabaseGaugeRefresher> logger)
    {
        _gauges = gauges.ToList();
        _scopes = scopes;
        _logger = logger;
        _interval = configuration.GetValue("Metrics:GaugeRefreshInterval", TimeSpan.FromSeconds(30));
        var meter = meters.Create("Derp.Gauges");
        foreach (var gauge in _gauges)
        {
            var name = gauge.Name;
            meter.CreateObservableGauge(name, () => _values.TryGetValue(name, out var values) ? values : [], gauge.Unit, gauge.Description);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        do
        {
            await RefreshAsync(stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Reads every gauge now (the timer calls it; tests may too).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            foreach (var byContext in _gauges.GroupBy(g => g.ContextType))
            {
                await using var scope = _scopes.CreateAsyncScope();
                var context = (DbContext)scope.ServiceProvider.GetRequiredService(byContext.Key);
                foreach (var gauge in byContext)
                {
                    try
                    {
                        _values[gauge.Name] = await ReadAsync(context, gauge.Sql, cancellationToken);
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                    {
                        _logger.LogWarning(e, "Could not read the gauge {Gauge}; keeping its last values", gauge.Name);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private static async Task<Measurement<double>[]> ReadAsync(DbContext context, string sql, CancellationToken cancellationToken)
    {
        var connection = context.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open)
            await context.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<Measurement<double>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var last = reader.FieldCount - 1;
            var tags = new KeyValuePair<string, object?>[last];
            for (var i = 0; i < last; i++)
                tags[i] = new(reader.GetName(i), reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
            var value = reader.IsDBNull(last) ? 0 : Convert.ToDouble(reader.GetValue(last), CultureInfo.InvariantCulture);
            rows.Add(new Measurement<double>(value, tags));
        }
        return [.. rows];
    }
}
