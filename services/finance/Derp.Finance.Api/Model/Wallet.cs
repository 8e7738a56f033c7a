namespace Derp.Finance.Api.Model;

/// <summary>
/// A balance: a renter's prepaid money (a liability of the operator), or one of the platform's own accounts (donations).
/// Only <see cref="Services.Ledger"/> changes it, with one conditional UPDATE that can never take it below zero, and
/// writes the ledger entry in the same transaction.
/// </summary>
public sealed class Wallet
{
    public Guid Id { get; set; }

    /// <summary>The renter; null for a platform account.</summary>
    public Guid? UserId { get; set; }

    /// <summary><see cref="WalletKinds"/>.</summary>
    public required string Kind { get; set; }

    public long BalanceCents { get; set; }
    public required string Currency { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class WalletKinds
{
    public const string Renter = "renter";
    public const string Donations = "donations";
}

/// <summary>One change of one wallet; append-only. The entries of a wallet sum to its balance.</summary>
public sealed class LedgerEntry
{
    public Guid Id { get; set; }
    public Guid WalletId { get; set; }
    public Guid? UserId { get; set; }

    /// <summary><see cref="Derp.Contracts.Finance.LedgerEntryTypes"/>.</summary>
    public required string Type { get; set; }

    /// <summary>Signed: credits are positive, debits negative.</summary>
    public long AmountCents { get; set; }

    public long BalanceAfterCents { get; set; }
    public required string Currency { get; set; }
    public Guid? OrderId { get; set; }
    public Guid? SerialId { get; set; }
    public Guid? DonationId { get; set; }
    public Guid? PaymentId { get; set; }
    public Guid? OperatorId { get; set; }
    public string? Remark { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
