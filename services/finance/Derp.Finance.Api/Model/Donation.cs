namespace Derp.Finance.Api.Model;

/// <summary>A donation paid with a donation serial (seed 004): the serial's face value, with the donor's words.</summary>
public sealed class Donation
{
    /// <summary>Chosen by serials (<c>SerialRedeemed.RelatedId</c>) so its use-log row points here.</summary>
    public Guid Id { get; set; }

    public Guid UserId { get; set; }
    public Guid SerialId { get; set; }
    public required string FullCode { get; set; }
    public string? DonorName { get; set; }
    public string? Message { get; set; }
    public bool Anonymous { get; set; }
    public long AmountCents { get; set; }
    public required string Currency { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
