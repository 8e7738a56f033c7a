namespace Derp.Distribution.Api.Model;

/// <summary>A renter brought by a distributor's serial (requirements §9.4). The first attribution stays.</summary>
public sealed class Attribution
{
    public Guid RenterId { get; set; }
    public Guid DistributorId { get; set; }
    public Guid SerialId { get; set; }
    public DateTimeOffset AttributedAt { get; set; }
}
