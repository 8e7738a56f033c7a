using System.Net;
using Derp.ServiceDefaults.Email;
using Derp.ServiceDefaults.Jobs;
using Derp.ServiceDefaults.Metrics;
using Derp.TestSupport;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace Derp.ServiceDefaults.Tests;

/// <summary>The building blocks' metric mechanisms, each against the real part it watches (PostgreSQL, Quartz, SMTP, MassTransit).</summary>
public sealed class MetricsMechanismsTests
{
    private static string PostgresDatabase => new NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer) { Database = "postgres" }.ConnectionString;

    private static async Task<WebApplication> StartHostAsync(Action<WebApplicationBuilder> configure, params KeyValuePair<string, string?>[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection([new("Metrics:GaugeRefreshInterval", "00:00:00.200"), .. settings]);
        builder.Services.AddDerpMetrics();
        configure(builder);
        var app = builder.Build();
        app.Services.StartDerpMetrics();
        await app.StartAsync();
        return app;
    }

    private static string Scrape(WebApplication host) => host.Services.GetRequiredService<PrometheusMetrics>().Scrape();

    [Fact]
    public async Task Database_gauges_read_labels_and_value_from_their_query_in_the_background()
    {
        await using var app = await StartHostAsync(builder =>
        {
            builder.Services.AddDbContext<GaugeContext>(o => o.UseNpgsql(PostgresDatabase));
            builder.Services.AddDatabaseGauge<GaugeContext>("derp.test.stock", "Stock by kind.",
                "SELECT * FROM (VALUES ('monthly', 2), ('yearly', 3)) AS stock(kind, value)");
            builder.Services.AddDatabaseGauge<GaugeContext>("derp.test.wait", "Oldest wait.", "SELECT 4.5", unit: "s");
        });

        var text = await Until.ValueAsync(() => Task.FromResult(Scrape(app)), t => t.Contains("derp_test_wait_seconds 4.5\n"), "the gauges' first refresh");

        text.ShouldContain("# TYPE derp_test_stock gauge\n");
        text.ShouldContain("derp_test_stock{kind=\"monthly\"} 2\n");
        text.ShouldContain("derp_test_stock{kind=\"yearly\"} 3\n");
    }

    [Fact]
    public async Task A_gauge_whose_query_fails_is_absent_and_the_others_still_refresh()
    {
        await using var app = await StartHostAsync(builder =>
        {
            builder.Services.AddDbContext<GaugeContext>(o => o.UseNpgsql(PostgresDatabase));
            builder.Services.AddDatabaseGauge<GaugeContext>("derp.test.broken", "A typo.", "SELECT count(*) FROM no_such_table");
            builder.Services.AddDatabaseGauge<GaugeContext>("derp.test.fine", "Fine.", "SELECT 7");
        });

        var text = await Until.ValueAsync(() => Task.FromResult(Scrape(app)), t => t.Contains("derp_test_fine 7\n"), "the working gauge");

        text.ShouldNotContain("\nderp_test_broken ");
    }

    [Fact]
    public async Task Each_host_in_one_process_shows_its_own_gauges_only()
    {
        // Tests host several services in one process: one service's /metrics must not show another's database figures.
        await using var first = await StartHostAsync(builder =>
        {
            builder.Services.AddDbContext<GaugeContext>(o => o.UseNpgsql(PostgresDatabase));
            builder.Services.AddDatabaseGauge<GaugeContext>("derp.test.shared_name", "Same name.", "SELECT 1");
        });
        await using var second = await StartHostAsync(builder =>
        {
            builder.Services.AddDbContext<GaugeContext>(o => o.UseNpgsql(PostgresDatabase));
            builder.Services.AddDatabaseGauge<GaugeContext>("derp.test.shared_name", "Same name.", "SELECT 2");
        });

        var firstText = await Until.ValueAsync(() => Task.FromResult(Scrape(first)), t => t.Contains("derp_test_shared_name 1\n"), "the first host's gauge");
        var secondText = await Until.ValueAsync(() => Task.FromResult(Scrape(second)), t => t.Contains("derp_test_shared_name 2\n"), "the second host's gauge");

        firstText.ShouldNotContain("derp_test_shared_name 2\n");
        secondText.ShouldNotContain("derp_test_shared_name 1\n");
        firstText.Split('\n').Count(l => l.StartsWith("# TYPE derp_test_shared_name ", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task Build_info_names_the_running_version()
    {
        await using var app = await StartHostAsync(_ => { });

        Scrape(app).ShouldMatch("derp_build_info\\{version=\"[^\"]+\"\\} 1\n");
    }

    [Fact]
    public async Task Job_runs_are_counted_by_result_and_timed()
    {
        var database = TestDatabase.NewName("jobs");
        await using (var admin = new NpgsqlConnection(PostgresDatabase))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        await using var dropDatabase = database;
        var job = $"job-{Guid.NewGuid():N}";
        await using var app = await StartHostAsync(builder => builder.AddDerpJobs(quartz =>
        {
            quartz.ScheduleJob<SucceedingJob>(t => t.StartNow(), j => j.WithIdentity(job + "-ok"));
            quartz.ScheduleJob<FailingJob>(t => t.StartNow(), j => j.WithIdentity(job + "-bad"));
        }), new KeyValuePair<string, string?>("ConnectionStrings:Database", database.ConnectionString));

        var text = await Until.ValueAsync(() => Task.FromResult(Scrape(app)),
            t => t.Contains($"derp_job_runs_total{{quartz_job=\"{job}-bad\",result=\"failed\"}} 1\n"), "the failed run");

        text.ShouldContain($"derp_job_runs_total{{quartz_job=\"{job}-ok\",result=\"succeeded\"}} 1\n");
        text.ShouldContain($"derp_job_duration_seconds_count{{quartz_job=\"{job}-ok\"}} 1\n");
        await app.StopAsync();
    }

    [Fact]
    public async Task Mails_are_counted_by_kind_and_result()
    {
        using var metrics = new PrometheusMetrics();
        var kind = $"kind-{Guid.NewGuid():N}";
        var message = new EmailTemplate(kind, "主题", "正文 {Username}", "Subject", "Body {Username}")
            .Render("someone@example.com", "en", new Dictionary<string, string> { ["Username"] = "someone" });
        var working = new SmtpEmailSender(Monitor(new SmtpOptions { Host = TestInfrastructure.SmtpHost, Port = TestInfrastructure.SmtpPort }),
            NullLogger<SmtpEmailSender>.Instance);
        var unreachable = new SmtpEmailSender(Monitor(new SmtpOptions { Host = "127.0.0.1", Port = 1, TimeoutMilliseconds = 2000 }),
            NullLogger<SmtpEmailSender>.Instance);

        await working.SendAsync(message, TestContext.Current.CancellationToken);
        await Should.ThrowAsync<System.Net.Mail.SmtpException>(() => unreachable.SendAsync(message, TestContext.Current.CancellationToken));

        var text = metrics.Scrape();
        text.ShouldContain($"derp_mails_total{{kind=\"{kind}\",result=\"sent\"}} 1\n");
        text.ShouldContain($"derp_mails_total{{kind=\"{kind}\",result=\"failed\"}} 1\n");
    }

    [Fact]
    public async Task Consumer_failures_are_counted_by_consumer_and_message()
    {
        var prefix = $"test-{Guid.NewGuid():N}"[..17];
        await using var provider = new ServiceCollection()
            .AddLogging()
            .AddDerpMetrics()
            .AddReceiveObserver<ConsumerFailureObserver>()
            .AddMassTransit(bus =>
            {
                bus.AddConsumer<RefusingConsumer>();
                bus.AddConfigureEndpointsCallback((_, endpoint) =>
                {
                    if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint)
                        rabbitEndpoint.AutoDelete = true;
                });
                bus.UsingRabbitMq((context, rabbitMq) =>
                {
                    rabbitMq.Host(new Uri(TestInfrastructure.RabbitMq));
                    rabbitMq.ConfigureEndpoints(context, new KebabCaseEndpointNameFormatter(prefix, false));
                });
            })
            .BuildServiceProvider(true);
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await bus.Publish(new MetricsTestMessage(Guid.NewGuid()), TestContext.Current.CancellationToken);

            await Until.TrueAsync(() => Task.FromResult(provider.GetRequiredService<PrometheusMetrics>().Scrape()
                .Contains("derp_consumer_failures_total{consumer=\"RefusingConsumer\",message=\"MetricsTestMessage\"}", StringComparison.Ordinal)), "the failure counted");
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    [Theory]
    [InlineData("Derp.Users.Api.IntegrationEvents.RentalConsumer", "RentalConsumer")]
    [InlineData("Derp.Serials.Api.Consumers.Generic<Derp.X>", "Generic")]
    [InlineData("Plain", "Plain")]
    public void Consumer_labels_are_the_short_type_name(string consumerType, string label) =>
        ConsumerFailureObserver.ShortName(consumerType).ShouldBe(label);

    private static StaticOptionsMonitor Monitor(SmtpOptions options) => new StaticOptionsMonitor(options);

    private sealed class StaticOptionsMonitor(SmtpOptions value) : IOptionsMonitor<SmtpOptions>
    {
        public SmtpOptions CurrentValue => value;
        public SmtpOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<SmtpOptions, string?> listener) => null;
    }
}

public sealed class GaugeContext(DbContextOptions<GaugeContext> options) : DbContext(options);

public sealed record MetricsTestMessage(Guid Marker);

public sealed class RefusingConsumer : IConsumer<MetricsTestMessage>
{
    public Task Consume(ConsumeContext<MetricsTestMessage> context) => throw new InvalidOperationException("refused on purpose");
}

public sealed class SucceedingJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}

public sealed class FailingJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) => throw new JobExecutionException("failed on purpose");
}
