using Derp.Contracts.Finance;
using Derp.Finance.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derp.Finance.Api.Infrastructure.EntityConfigurations;

public sealed class PlanEntityTypeConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> builder)
    {
        builder.ToTable("Plans", t =>
        {
            t.HasCheckConstraint("ck_plans_price", "price_cents >= 0");
            t.HasCheckConstraint("ck_plans_duration", "duration_days > 0");
        });
        builder.Property(p => p.NameZh).HasMaxLength(64);
        builder.Property(p => p.NameEn).HasMaxLength(64);
        builder.Property(p => p.Currency).HasMaxLength(3);
    }
}

public sealed class OrderEntityTypeConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("Orders", t =>
        {
            t.HasCheckConstraint("ck_orders_paid", "paid_cents >= 0 AND paid_cents <= price_cents");
            t.HasCheckConstraint("ck_orders_refunded", "refunded_cents >= 0");
        });
        builder.Property(o => o.Number).HasMaxLength(32);
        builder.HasIndex(o => o.Number).IsUnique();
        builder.Property(o => o.Memo).HasMaxLength(16);
        // A memo identifies one order among those still waiting for money; settled orders may reuse it later.
        builder.HasIndex(o => o.Memo).IsUnique().HasFilter($"status = '{OrderStatuses.PendingPayment}'");
        builder.HasIndex(o => new { o.UserId, o.CreatedAt });
        builder.HasIndex(o => new { o.Status, o.ExpiresAt });
        builder.HasIndex(o => o.PaidAt);
        builder.Property(o => o.Type).HasMaxLength(16);
        builder.Property(o => o.Status).HasMaxLength(24);
        builder.Property(o => o.Currency).HasMaxLength(3);
        builder.Property(o => o.InstructionsJson).HasColumnType("jsonb");
        builder.Ignore(o => o.AmountDueCents);
    }
}

public sealed class PaymentEntityTypeConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.ToTable("Payments", t => t.HasCheckConstraint("ck_payments_amount", "amount_cents > 0 AND applied_cents >= 0 AND applied_cents <= amount_cents"));
        builder.Property(p => p.Channel).HasMaxLength(24);
        builder.Property(p => p.Reference).HasMaxLength(128);
        builder.HasIndex(p => new { p.Channel, p.Reference }).IsUnique();
        builder.HasIndex(p => p.OrderId);
        builder.HasIndex(p => new { p.Status, p.CreatedAt });
        builder.Property(p => p.Currency).HasMaxLength(3);
    }
}

public sealed class WalletEntityTypeConfiguration : IEntityTypeConfiguration<Wallet>
{
    public void Configure(EntityTypeBuilder<Wallet> builder)
    {
        // The database refuses a negative balance even if a code path forgot to ask.
        builder.ToTable("Wallets", t => t.HasCheckConstraint("ck_wallets_balance", "balance_cents >= 0"));
        builder.HasIndex(w => w.UserId).IsUnique();
        builder.HasIndex(w => w.Kind).IsUnique().HasFilter("user_id IS NULL");
        builder.Property(w => w.Currency).HasMaxLength(3);
    }
}

public sealed class LedgerEntryEntityTypeConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.ToTable("LedgerEntries", t => t.HasCheckConstraint("ck_ledger_amount", "amount_cents <> 0"));
        builder.HasIndex(e => new { e.WalletId, e.CreatedAt });
        builder.HasIndex(e => e.UserId);
        builder.HasIndex(e => e.OrderId);
        builder.Property(e => e.Type).HasMaxLength(24);
        builder.Property(e => e.Currency).HasMaxLength(3);
    }
}

public sealed class DonationEntityTypeConfiguration : IEntityTypeConfiguration<Donation>
{
    public void Configure(EntityTypeBuilder<Donation> builder)
    {
        builder.ToTable("Donations");
        builder.HasIndex(d => d.SerialId).IsUnique();
        builder.HasIndex(d => d.CreatedAt);
        builder.HasIndex(d => d.UserId);
        builder.Property(d => d.DonorName).HasMaxLength(64);
        builder.Property(d => d.Message).HasMaxLength(500);
    }
}

public sealed class RenterEntityTypeConfiguration : IEntityTypeConfiguration<Renter>
{
    public void Configure(EntityTypeBuilder<Renter> builder)
    {
        builder.ToTable("Renters");
        builder.HasKey(r => r.UserId);
        builder.HasIndex(r => new { r.PlanId, r.RentalActive });
    }
}

public sealed class FinanceSettingsEntityTypeConfiguration : IEntityTypeConfiguration<FinanceSettings>
{
    public void Configure(EntityTypeBuilder<FinanceSettings> builder)
    {
        builder.ToTable("Settings");
        builder.Property(s => s.Id).ValueGeneratedNever();
    }
}

public sealed class PaymentAccountEntityTypeConfiguration : IEntityTypeConfiguration<PaymentAccount>
{
    public void Configure(EntityTypeBuilder<PaymentAccount> builder)
    {
        builder.ToTable("PaymentAccounts");
        builder.HasKey(a => a.Channel);
        builder.Property(a => a.AccountName).HasMaxLength(64);
        builder.Property(a => a.Account).HasMaxLength(128);
    }
}

public sealed class SettlementCaseEntityTypeConfiguration : IEntityTypeConfiguration<SettlementCase>
{
    public void Configure(EntityTypeBuilder<SettlementCase> builder)
    {
        builder.ToTable("SettlementCases");
        builder.HasKey(c => c.UserId);
        builder.HasIndex(c => c.SettledAt);
    }
}
