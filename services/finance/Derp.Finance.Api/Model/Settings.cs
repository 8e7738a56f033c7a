namespace Derp.Finance.Api.Model;

/// <summary>The operator's finance settings: one row.</summary>
public sealed class FinanceSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>An unpaid order expires after this many minutes.</summary>
    public int OrderTimeoutMinutes { get; set; } = 30;

    /// <summary>Whether the public thank-you list shows donations.</summary>
    public bool PublicDonations { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A receiving account renters transfer to by hand (requirements §8): Alipay or WeChat, with its QR code.</summary>
public sealed class PaymentAccount
{
    /// <summary><see cref="Derp.Contracts.Finance.PaymentAccountChannels"/>.</summary>
    public required string Channel { get; set; }

    public required string AccountName { get; set; }
    public required string Account { get; set; }
    public bool Enabled { get; set; }
    public byte[]? QrImage { get; set; }
    public string? QrContentType { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// An account users wanted to deregister that was not settled (requirements §1.4). Recorded when the internal
/// settlement check answers "not settled", so admins see it; cleared when an admin settles it.
/// </summary>
public sealed class SettlementCase
{
    public Guid UserId { get; set; }
    public List<string> Blockers { get; set; } = [];
    public long BalanceCents { get; set; }
    public DateTimeOffset FirstAskedAt { get; set; }
    public DateTimeOffset LastAskedAt { get; set; }
    public DateTimeOffset? SettledAt { get; set; }
    public Guid? SettledBy { get; set; }
    public string? Action { get; set; }
    public string? Remark { get; set; }
}
