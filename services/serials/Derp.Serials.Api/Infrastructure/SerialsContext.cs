using Derp.Serials.Api.Model;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Derp.ServiceDefaults.Projections;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derp.Serials.Api.Infrastructure;

public sealed class SerialsContext(DbContextOptions<SerialsContext> options) : DbContext(options)
{
    public DbSet<SerialBatch> Batches => Set<SerialBatch>();
    public DbSet<Serial> Serials => Set<Serial>();
    public DbSet<ClientEnvironment> ClientEnvironments => Set<ClientEnvironment>();
    public DbSet<BindingMismatch> BindingMismatches => Set<BindingMismatch>();
    public DbSet<SerialUseLog> UseLogs => Set<SerialUseLog>();
    public DbSet<UserRole> UserRoles => Set<UserRole>();
    public DbSet<PlanView> Plans => Set<PlanView>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SerialsContext).Assembly);
        modelBuilder.ApplyConfiguration(new PlanViewEntityTypeConfiguration());
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.ApplySnakeCaseNames();
    }
}

public sealed class UserRoleEntityTypeConfiguration : IEntityTypeConfiguration<UserRole>
{
    public void Configure(EntityTypeBuilder<UserRole> builder)
    {
        builder.ToTable("UserRoles");
        builder.HasKey(u => u.UserId);
        builder.Property(u => u.Role).HasMaxLength(32);
    }
}

public sealed class SerialBatchEntityTypeConfiguration : IEntityTypeConfiguration<SerialBatch>
{
    public void Configure(EntityTypeBuilder<SerialBatch> builder)
    {
        builder.ToTable("SerialBatches");
        builder.Property(b => b.Prefix).HasMaxLength(16);
        builder.Property(b => b.Kind).HasMaxLength(16);
        builder.Property(b => b.BindingPolicy).HasMaxLength(16);
        builder.Property(b => b.DataKeyCiphertext).HasMaxLength(2000);
        builder.Property(b => b.Remark).HasMaxLength(500);
        builder.HasIndex(b => b.CreatedAt);
        builder.HasIndex(b => b.RequestId).IsUnique();
    }
}

public sealed class SerialEntityTypeConfiguration : IEntityTypeConfiguration<Serial>
{
    public void Configure(EntityTypeBuilder<Serial> builder)
    {
        builder.ToTable("Serials");
        builder.Property(s => s.Prefix).HasMaxLength(16);
        builder.Property(s => s.Code).HasMaxLength(32);
        builder.Property(s => s.FullCode).HasMaxLength(49);
        builder.Property(s => s.Kind).HasMaxLength(16);
        builder.Property(s => s.Status).HasMaxLength(16);
        builder.Property(s => s.StatusBeforeDisable).HasMaxLength(16);
        builder.Property(s => s.BindingPolicy).HasMaxLength(16);
        builder.Property(s => s.Remark).HasMaxLength(500);
        builder.Ignore(s => s.LicenceDuration);
        // Full codes are unique across every batch: the database is the last word on it.
        builder.HasIndex(s => s.FullCode).IsUnique();
        builder.HasIndex(s => new { s.Status, s.Prefix });
        builder.HasIndex(s => s.BatchId);
        builder.HasIndex(s => s.UserId);
        builder.HasIndex(s => s.CreatedAt);
        builder.HasOne<SerialBatch>().WithMany().HasForeignKey(s => s.BatchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.Client).WithOne().HasForeignKey<ClientEnvironment>(c => c.SerialId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class ClientEnvironmentEntityTypeConfiguration : IEntityTypeConfiguration<ClientEnvironment>
{
    public void Configure(EntityTypeBuilder<ClientEnvironment> builder)
    {
        builder.ToTable("ClientEnvironments");
        builder.HasKey(c => c.SerialId);
        builder.Property(c => c.MachineCode).HasMaxLength(128);
        builder.Property(c => c.Hardware).HasMaxLength(512);
        builder.Property(c => c.Ip).HasMaxLength(64);
        builder.Property(c => c.Function).HasMaxLength(64);
    }
}

public sealed class BindingMismatchEntityTypeConfiguration : IEntityTypeConfiguration<BindingMismatch>
{
    public void Configure(EntityTypeBuilder<BindingMismatch> builder)
    {
        builder.ToTable("BindingMismatches");
        builder.Property(m => m.FullCode).HasMaxLength(49);
        builder.Property(m => m.Policy).HasMaxLength(16);
        builder.Property(m => m.RequestJson).HasColumnType("jsonb");
        builder.Property(m => m.BoundMachineCode).HasMaxLength(128);
        builder.Property(m => m.BoundHardware).HasMaxLength(512);
        builder.Property(m => m.BoundIp).HasMaxLength(64);
        builder.Property(m => m.Ip).HasMaxLength(64);
        builder.Property(m => m.UserAgent).HasMaxLength(512);
        builder.HasIndex(m => new { m.SerialId, m.CreatedAt });
        builder.HasIndex(m => m.CreatedAt);
    }
}

public sealed class SerialUseLogEntityTypeConfiguration : IEntityTypeConfiguration<SerialUseLog>
{
    public void Configure(EntityTypeBuilder<SerialUseLog> builder)
    {
        builder.ToTable("SerialUseLogs");
        builder.Property(l => l.Action).HasMaxLength(16);
        builder.Property(l => l.UseType).HasMaxLength(16);
        builder.Property(l => l.RelatedId).HasMaxLength(64);
        builder.Property(l => l.RelatedType).HasMaxLength(32);
        builder.Property(l => l.Ip).HasMaxLength(64);
        builder.Property(l => l.UserAgent).HasMaxLength(512);
        builder.Property(l => l.Remark).HasMaxLength(500);
        builder.HasIndex(l => new { l.SerialId, l.CreatedAt });
        builder.HasIndex(l => new { l.UseType, l.CreatedAt });
        builder.HasIndex(l => new { l.UserId, l.CreatedAt });
        builder.HasIndex(l => l.CreatedAt);
    }
}
