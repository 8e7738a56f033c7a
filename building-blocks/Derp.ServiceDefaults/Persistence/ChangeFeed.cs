using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Derp.ServiceDefaults.Persistence;

/// <summary>
/// Something kept in memory from database rows (see <see cref="RecentView{TKey,TValue}"/>) that a
/// <see cref="ChangeFeed"/> keeps fresh.
/// </summary>
public interface IChangeFeedSubscriber
{
    /// <summary>The PostgreSQL channels whose notifications this subscriber wants (see <see cref="ChangeFeedTriggers"/>).</summary>
    IReadOnlyCollection<string> Channels { get; }

    /// <summary>A committed change of the row(s) named by <paramref name="key"/> (the trigger's payload).</summary>
    void Changed(string channel, string key);

    /// <summary>
    /// Notifications may have been missed: drop everything. <paramref name="live"/> says whether notifications flow
    /// again (a (re)connect) or not (a lost connection: until the next reset with <c>live</c>, read the database).
    /// </summary>
    void Reset(bool live);
}

/// <summary>
/// PostgreSQL's LISTEN/NOTIFY as the one way an in-memory view learns that rows it holds changed: triggers
/// (<see cref="ChangeFeedTriggers"/>) notify on commit, whatever wrote (EF, ExecuteUpdate, raw SQL, another replica, a
/// person in psql), and this hosted listener, on a dedicated connection, hands each payload to the subscribers of its
/// channel. It reconnects with backoff; every (re)connect and every loss tells the subscribers to drop everything,
/// since notifications sent while nobody listened are gone. See ADR-028.
/// </summary>
public sealed class ChangeFeed(
    IEnumerable<IChangeFeedSubscriber> subscribers, ChangeFeedOptions options, ILogger<ChangeFeed> logger) : BackgroundService
{
    public const string ApplicationName = "derp-change-feed";

    private static readonly Meter Meter = new("Derp.ChangeFeed");
    private static readonly Counter<long> Connects = Meter.CreateCounter<long>("derp.change_feed.connects",
        description: "Times the change feed's listener (re)connected; each one drops the in-memory views.");
    private static readonly Counter<long> Notifications = Meter.CreateCounter<long>("derp.change_feed.notifications",
        description: "Row change notifications received, by channel.");
    private static int _listening;

    static ChangeFeed() =>
        Meter.CreateObservableGauge("derp.change_feed.listening", () => Volatile.Read(ref _listening),
            description: "Change feed listeners connected (0 while a service's views read the database on every call).");

    private readonly IChangeFeedSubscriber[] _subscribers = [.. subscribers];
    private volatile bool _live;
    private long _connections;

    /// <summary>Notifications flow: views may answer from memory.</summary>
    public bool IsLive => _live;

    /// <summary>How many times the listener has connected (a test waits for a reconnect with it).</summary>
    public long Connections => Interlocked.Read(ref _connections);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var channels = _subscribers.SelectMany(s => s.Channels).Distinct(StringComparer.Ordinal).ToArray();
        if (channels.Length == 0)
            return;
        var backoff = options.MinBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(channels, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or IOException or OperationCanceledException)
            {
                var wasLive = _live;
                Lost();
                if (wasLive)
                    backoff = options.MinBackoff;
                logger.LogWarning(e, "Change feed listener lost or could not connect; in-memory views read the database until it is back (retry in {Backoff})", backoff);
            }
            try
            {
                await Task.Delay(backoff, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
        }
        Lost();
    }

    private async Task ListenAsync(string[] channels, CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            Pooling = false, // its own backend, which a test (or an operator) can terminate to prove a reconnect
            ApplicationName = ApplicationName,
            KeepAlive = (int)options.ProbeInterval.TotalSeconds,
        }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        connection.Notification += (_, e) => Dispatch(e.Channel, e.Payload);
        await connection.OpenAsync(stoppingToken);
        foreach (var channel in channels)
        {
            await using var listen = new NpgsqlCommand($"LISTEN \"{channel.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }
        // Listening from here on: whatever a view held may have missed a change before this point.
        Interlocked.Increment(ref _connections);
        Connects.Add(1);
        foreach (var subscriber in _subscribers)
            subscriber.Reset(live: true);
        _live = true;
        Interlocked.Exchange(ref _listening, 1);
        logger.LogInformation("Change feed listening on {Channels}", channels);

        while (true)
        {
            // A silent network loss does not end WaitAsync: an idle wait is followed by a round trip that must answer.
            if (!await connection.WaitAsync(options.ProbeInterval, stoppingToken))
            {
                await using var probe = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = Math.Max(1, (int)options.ProbeInterval.TotalSeconds) };
                await probe.ExecuteScalarAsync(stoppingToken);
            }
        }
    }

    private void Dispatch(string channel, string payload)
    {
        Notifications.Add(1, new KeyValuePair<string, object?>("channel", channel));
        foreach (var subscriber in _subscribers)
        {
            if (!subscriber.Channels.Contains(channel))
                continue;
            try
            {
                subscriber.Changed(channel, payload);
            }
            catch (Exception e)
            {
                // A subscriber that cannot apply a change must not keep what it holds: drop it all.
                logger.LogError(e, "A change feed subscriber failed on {Channel}:{Payload}; dropping its view", channel, payload);
                subscriber.Reset(live: true);
            }
        }
    }

    private void Lost()
    {
        _live = false;
        Interlocked.Exchange(ref _listening, 0);
        foreach (var subscriber in _subscribers)
            subscriber.Reset(live: false);
    }
}

public sealed class ChangeFeedOptions
{
    public required string ConnectionString { get; init; }

    /// <summary>An idle listener checks its connection this often; a silently dead one is noticed within about twice this.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Degraded while the listener is down: the service still answers correctly, from the database, only slower.</summary>
public sealed class ChangeFeedHealthCheck(ChangeFeed feed) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(feed.IsLive
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus, "The change feed is not listening; in-memory views are bypassed."));
}

public static class ChangeFeedExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TSubscriber"/> as a singleton fed by the service's one change feed listener
    /// (added on the first call, on the service's database).
    /// </summary>
    public static WebApplicationBuilder AddChangeFeedSubscriber<TSubscriber>(this WebApplicationBuilder builder)
        where TSubscriber : class, IChangeFeedSubscriber
    {
        builder.Services.AddSingleton<TSubscriber>();
        builder.Services.AddSingleton<IChangeFeedSubscriber>(sp => sp.GetRequiredService<TSubscriber>());
        if (builder.Services.Any(d => d.ServiceType == typeof(ChangeFeed)))
            return builder;
        var connectionString = builder.Configuration.GetConnectionString(DatabaseExtensions.ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{DatabaseExtensions.ConnectionStringName} is not configured.");
        builder.Services.TryAddSingleton(new ChangeFeedOptions { ConnectionString = connectionString });
        builder.Services.AddSingleton<ChangeFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChangeFeed>());
        builder.Services.AddHealthChecks().AddCheck<ChangeFeedHealthCheck>("change-feed", failureStatus: HealthStatus.Degraded,
            tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }
}
