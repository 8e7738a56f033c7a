using System.Diagnostics.Metrics;

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
}
