using System.Diagnostics.Metrics;
using Derp.Contracts.Serials;
using Derp.Serials.Api.Infrastructure;
using Derp.ServiceDefaults.Metrics;

namespace Derp.Serials.Api.Services;

/// <summary>The serials service's own meter, exposed on /metrics.</summary>
public static class SerialsMetrics
{
    private static readonly Meter Meter = new("Derp.Serials");

    public static readonly Counter<long> Validations = Meter.CreateCounter<long>("derp.serials.validations", description: "Licence validations by outcome.");

    public static readonly Counter<long> ValidationRecordsDropped = Meter.CreateCounter<long>("derp.serials.validation_records_dropped",
        description: "Accepted validations whose environment update was dropped because the queue was full.");

    public static readonly Counter<long> ValidationRecordsRefused = Meter.CreateCounter<long>("derp.serials.validation_records_refused",
        description: "Accepted validations the database refused to record; the rest of their batch was written without them.");

    public static readonly Counter<long> Redemptions = Meter.CreateCounter<long>("derp.serials.redemptions",
        description: "Redemption attempts by serial kind and result (redeemed, or the refusal's problem code).");

    /// <summary>Counted once the answer is known: a redemption after its transaction committed, a refusal when refused.</summary>
    public static void Redeemed(string kind, string result) =>
        Redemptions.Add(1, PlatformMetrics.Tag("kind", kind), PlatformMetrics.Tag("result", result));

    public static void AddSerialsGauges(this IServiceCollection services) =>
        services.AddDatabaseGauge<SerialsContext>("derp.serials.unused", "Serials not yet redeemed and still valid, by kind.",
            $"SELECT kind, count(*) FROM serials WHERE status = '{SerialStatuses.Unused}' AND valid_until > now() GROUP BY kind");
}
