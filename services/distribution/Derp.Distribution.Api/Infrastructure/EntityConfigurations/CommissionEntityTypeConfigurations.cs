using Derp.Distribution.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derp.Distribution.Api.Infrastructure.EntityConfigurations;

public sealed class CommissionEntityTypeConfiguration : IEntityTypeConfiguration<Commission>
{
    public void Configure(EntityTypeBuilder<Commission> builder)
    {
        builder.ToTable("Commissions");
        builder.Property(c => c.Kind).HasMaxLength(16);
        builder.Property(c => c.Status).HasMaxLength(16);
        builder.Property(c => c.TierCode).HasMaxLength(32);
        builder.Property(c => c.Currency).HasMaxLength(3);
        // One commission per order, however often OrderPaid arrives.
        builder.HasIndex(c => c.OrderId).IsUnique().HasFilter($"kind = '{CommissionKinds.Order}'");
        builder.HasIndex(c => new { c.DistributorId, c.Status, c.AvailableAt });
        builder.HasIndex(c => new { c.Status, c.AvailableAt });
        builder.HasIndex(c => c.PayoutId);
    }
}

public sealed class PayoutEntityTypeConfiguration : IEntityTypeConfiguration<Payout>
{
    public void Configure(EntityTypeBuilder<Payout> builder)
    {
        builder.ToTable("Payouts", t => t.HasCheckConstraint("ck_payouts_amount", "amount_cents > 0"));
        builder.Property(p => p.Status).HasMaxLength(16);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.HasIndex(p => new { p.DistributorId, p.RequestedAt });
        builder.HasIndex(p => new { p.Status, p.RequestedAt });
    }
}

public sealed class WalletTransferEntityTypeConfiguration : IEntityTypeConfiguration<WalletTransfer>
{
    public void Configure(EntityTypeBuilder<WalletTransfer> builder)
    {
        builder.ToTable("WalletTransfers", t => t.HasCheckConstraint("ck_wallet_transfers_amount", "amount_cents > 0"));
        builder.Property(w => w.Currency).HasMaxLength(3);
        builder.HasIndex(w => new { w.DistributorId, w.CreatedAt });
    }
}

public sealed class RefundedOrderEntityTypeConfiguration : IEntityTypeConfiguration<RefundedOrder>
{
    public void Configure(EntityTypeBuilder<RefundedOrder> builder)
    {
        builder.ToTable("RefundedOrders");
        builder.HasKey(r => r.OrderId);
    }
}
