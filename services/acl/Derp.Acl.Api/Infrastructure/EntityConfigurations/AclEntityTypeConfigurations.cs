using Derp.Acl.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derp.Acl.Api.Infrastructure.EntityConfigurations;

public sealed class RenterEntityTypeConfiguration : IEntityTypeConfiguration<Renter>
{
    public void Configure(EntityTypeBuilder<Renter> builder)
    {
        builder.ToTable("Renters");
        builder.HasKey(r => r.UserId);
        builder.HasIndex(r => r.DistributorId);
    }
}

public sealed class RenterDeviceEntityTypeConfiguration : IEntityTypeConfiguration<RenterDevice>
{
    public void Configure(EntityTypeBuilder<RenterDevice> builder)
    {
        builder.ToTable("RenterDevices");
        builder.HasKey(d => d.NodeKey);
        builder.Property(d => d.NodeKey).HasMaxLength(80);
        builder.HasIndex(d => d.DeviceId).IsUnique();
        builder.HasIndex(d => d.UserId);
    }
}

public sealed class RemovedDeviceEntityTypeConfiguration : IEntityTypeConfiguration<RemovedDevice>
{
    public void Configure(EntityTypeBuilder<RemovedDevice> builder)
    {
        builder.ToTable("RemovedDevices");
        builder.HasKey(d => d.DeviceId);
    }
}

public sealed class PolicyVersionEntityTypeConfiguration : IEntityTypeConfiguration<PolicyVersion>
{
    public void Configure(EntityTypeBuilder<PolicyVersion> builder)
    {
        builder.ToTable("PolicyVersions");
        builder.HasIndex(v => new { v.UserId, v.Version }).IsUnique();
        builder.Property(v => v.Trigger).HasMaxLength(20);
        builder.Property(v => v.Relays).HasColumnType("jsonb");
        builder.HasIndex(v => v.ValidUntil);
    }
}

public sealed class GenerationLogEntryEntityTypeConfiguration : IEntityTypeConfiguration<GenerationLogEntry>
{
    public void Configure(EntityTypeBuilder<GenerationLogEntry> builder)
    {
        builder.ToTable("GenerationLog");
        builder.Property(e => e.Trigger).HasMaxLength(20);
        builder.Property(e => e.RequesterIp).HasMaxLength(64);
        builder.Property(e => e.Location).HasMaxLength(100);
        builder.HasIndex(e => new { e.UserId, e.GeneratedAt });
        builder.HasIndex(e => e.GeneratedAt);
    }
}

public sealed class DownloadLogEntryEntityTypeConfiguration : IEntityTypeConfiguration<DownloadLogEntry>
{
    public void Configure(EntityTypeBuilder<DownloadLogEntry> builder)
    {
        builder.ToTable("DownloadLog");
        builder.Property(e => e.Format).HasMaxLength(20);
        builder.Property(e => e.Ip).HasMaxLength(64);
        builder.Property(e => e.Location).HasMaxLength(100);
        builder.Property(e => e.MachineCode).HasMaxLength(128);
        builder.Property(e => e.UserAgent).HasMaxLength(512);
        builder.HasIndex(e => new { e.UserId, e.DownloadedAt });
        builder.HasIndex(e => e.DownloadedAt);
    }
}
