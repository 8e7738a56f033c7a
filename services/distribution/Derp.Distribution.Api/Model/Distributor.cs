namespace Derp.Distribution.Api.Model;

/// <summary>
/// A commission tier (requirements §9.1): data a superadmin edits. Defaults: gold 10 %, white-gold 15 %, platinum 20 %.
/// Rates are basis points (1 000 = 10 %) so that every rate is an integer and every rounding explicit.
/// </summary>
public sealed class Tier
{
    /// <summary><see cref="Derp.Contracts.Distribution.TierCodes"/> for the defaults; superadmins may add more.</summary>
    public required string Code { get; set; }

    public required string NameZh { get; set; }
    public required string NameEn { get; set; }
    public int RateBasisPoints { get; set; }

    /// <summary>Days a commission stays pending before it can be paid out (refund window).</summary>
    public int HoldingDays { get; set; }

    public long MinimumPayoutCents { get; set; }

    /// <summary>Turnover over the rolling promotion window that earns this tier automatically; null: by hand only.</summary>
    public long? PromotionTurnoverCents { get; set; }

    /// <summary>Ascending: the order tiers are climbed in.</summary>
    public int SortOrder { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A user who sells serials: approved from an application or appointed by an admin. Keyed by the user id.</summary>
public sealed class Distributor
{
    public Guid UserId { get; set; }
    public string? Email { get; set; }
    public required string TierCode { get; set; }

    /// <summary>Set by hand: promotion rules leave this distributor's tier alone.</summary>
    public bool TierPinned { get; set; }

    /// <summary><see cref="Derp.Contracts.Distribution.DistributorStatuses"/>.</summary>
    public required string Status { get; set; }

    public required string ContactName { get; set; }
    public required string Contact { get; set; }

    /// <summary><see cref="Derp.Contracts.Finance.PaymentAccountChannels"/>: where payouts go.</summary>
    public required string PayoutChannel { get; set; }

    public required string PayoutAccountName { get; set; }
    public required string PayoutAccount { get; set; }
    public byte[]? PayoutQrImage { get; set; }
    public string? PayoutQrContentType { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A user's request to become a distributor.</summary>
public sealed class DistributorApplication
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string? Email { get; set; }

    /// <summary><see cref="Derp.Contracts.Distribution.ApplicationStatuses"/>.</summary>
    public required string Status { get; set; }

    public required string ContactName { get; set; }
    public required string Contact { get; set; }
    public required string PayoutChannel { get; set; }
    public required string PayoutAccountName { get; set; }
    public required string PayoutAccount { get; set; }
    public byte[]? PayoutQrImage { get; set; }
    public string? PayoutQrContentType { get; set; }
    public string? Remark { get; set; }
    public string? RejectionReason { get; set; }
    public Guid? DecidedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}

/// <summary>users' accounts as far as distribution needs them (emails for admins' lists), kept from <c>UserRegistered</c>.</summary>
public sealed class KnownUser
{
    public Guid UserId { get; set; }
    public required string Email { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
}
