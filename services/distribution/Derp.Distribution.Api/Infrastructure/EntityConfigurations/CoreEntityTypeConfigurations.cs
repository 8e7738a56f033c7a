using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derp.Distribution.Api.Infrastructure.EntityConfigurations;

public sealed class TierEntityTypeConfiguration : IEntityTypeConfiguration<Tier>
{
    public void Configure(EntityTypeBuilder<Tier> builder)
    {
        builder.ToTable("Tiers", t => t.HasCheckConstraint("ck_tiers_rate", "rate_basis_points BETWEEN 0 AND 10000"));
        builder.HasKey(t => t.Code);
        builder.Property(t => t.Code).HasMaxLength(32);
    }
}

public sealed class DistributorEntityTypeConfiguration : IEntityTypeConfiguration<Distributor>
{
    public void Configure(EntityTypeBuilder<Distributor> builder)
    {
        builder.ToTable("Distributors");
        builder.HasKey(d => d.UserId);
        builder.HasIndex(d => d.TierCode);
    }
}

public sealed class DistributorApplicationEntityTypeConfiguration : IEntityTypeConfiguration<DistributorApplication>
{
    public void Configure(EntityTypeBuilder<DistributorApplication> builder)
    {
        builder.ToTable("DistributorApplications");
        // One application waiting per user.
        builder.HasIndex(a => a.UserId).IsUnique().HasFilter($"status = '{ApplicationStatuses.Pending}'");
        builder.HasIndex(a => new { a.Status, a.CreatedAt });
    }
}

public sealed class KnownUserEntityTypeConfiguration : IEntityTypeConfiguration<KnownUser>
{
    public void Configure(EntityTypeBuilder<KnownUser> builder)
    {
        builder.ToTable("KnownUsers");
        builder.HasKey(u => u.UserId);
    }
}

public sealed class SerialRequestEntityTypeConfiguration : IEntityTypeConfiguration<SerialRequest>
{
    public void Configure(EntityTypeBuilder<SerialRequest> builder)
    {
        builder.ToTable("SerialRequests");
        builder.HasIndex(r => new { r.DistributorId, r.CreatedAt });
        builder.HasIndex(r => new { r.Status, r.PayBy });
        builder.HasIndex(r => r.OrderId).IsUnique();
    }
}

public sealed class StockSerialEntityTypeConfiguration : IEntityTypeConfiguration<StockSerial>
{
    public void Configure(EntityTypeBuilder<StockSerial> builder)
    {
        builder.ToTable("StockSerials");
        builder.HasKey(s => s.SerialId);
        builder.HasIndex(s => new { s.DistributorId, s.PlanId, s.DeliveredAt });
        builder.HasIndex(s => s.DeliveryId);
    }
}

public sealed class AttributionEntityTypeConfiguration : IEntityTypeConfiguration<Attribution>
{
    public void Configure(EntityTypeBuilder<Attribution> builder)
    {
        builder.ToTable("Attributions");
        builder.HasKey(a => a.RenterId);
        builder.HasIndex(a => a.DistributorId);
    }
}
