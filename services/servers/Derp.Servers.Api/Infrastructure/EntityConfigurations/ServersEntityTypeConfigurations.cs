using Derp.Servers.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derp.Servers.Api.Infrastructure.EntityConfigurations;

public sealed class ServerEntityTypeConfiguration : IEntityTypeConfiguration<Server>
{
    public void Configure(EntityTypeBuilder<Server> builder)
    {
        builder.ToTable("Servers");
        builder.Property(s => s.Name).HasMaxLength(64);
        builder.HasIndex(s => s.Name).IsUnique().HasFilter("status <> 'removed'");
        builder.Property(s => s.PublicIp).HasMaxLength(45);
        builder.Property(s => s.HostName).HasMaxLength(253);
        builder.Property(s => s.RegionCode).HasMaxLength(16);
        builder.Property(s => s.RegionName).HasMaxLength(64);
        builder.Property(s => s.Location).HasMaxLength(128);
        builder.Property(s => s.CloudAccount).HasMaxLength(32);
        builder.Property(s => s.SshHost).HasMaxLength(253);
        builder.Property(s => s.SshUser).HasMaxLength(32);
        builder.Property(s => s.HostKeyFingerprint).HasMaxLength(60);
        builder.Property(s => s.HostKey).HasMaxLength(2000);
        builder.Property(s => s.DockerSocket).HasMaxLength(200);
        builder.Property(s => s.Status).HasMaxLength(16);
        builder.Property(s => s.LastError).HasMaxLength(1000);
        builder.HasIndex(s => s.Status);
        builder.HasIndex(s => s.RegionCode);
    }
}

public sealed class RelayContainerEntityTypeConfiguration : IEntityTypeConfiguration<RelayContainer>
{
    public void Configure(EntityTypeBuilder<RelayContainer> builder)
    {
        builder.ToTable("Containers");
        builder.Property(c => c.Name).HasMaxLength(64);
        builder.Property(c => c.DockerId).HasMaxLength(80);
        builder.Property(c => c.State).HasMaxLength(16);
        builder.Property(c => c.Desired).HasMaxLength(16).HasDefaultValue(DesiredStates.Running);
        builder.Property(c => c.EngineState).HasMaxLength(32);
        builder.Property(c => c.CertName).HasMaxLength(80);
        builder.Property(c => c.LastError).HasMaxLength(1000);
        // Set by the trigger of migration RenterRelayHealth whenever the state changes; EF never writes it.
        builder.Property(c => c.StateSince).HasDefaultValueSql("now()").ValueGeneratedOnAddOrUpdate();
        builder.HasOne(c => c.Server).WithMany().HasForeignKey(c => c.ServerId).OnDelete(DeleteBehavior.Restrict);
        // The database, not the code, guarantees that no two live relays on a host share a port.
        const string live = "state IN ('pending', 'running', 'stopped', 'exited')";
        builder.HasIndex(c => new { c.ServerId, c.DerpPort }).IsUnique().HasFilter(live);
        builder.HasIndex(c => new { c.ServerId, c.StunPort }).IsUnique().HasFilter(live);
        builder.HasIndex(c => new { c.UserId, c.State });
        builder.HasIndex(c => c.Name).IsUnique();
    }
}

public sealed class RenterEntityTypeConfiguration : IEntityTypeConfiguration<Renter>
{
    public void Configure(EntityTypeBuilder<Renter> builder)
    {
        builder.ToTable("Renters");
        builder.HasKey(r => r.UserId);
        builder.Property(r => r.AnnouncedRelays).HasMaxLength(4000);
        builder.Property(r => r.ReconcileReason).HasMaxLength(32);
        builder.Property(r => r.RequestedFromIp).HasMaxLength(64);
        // The reconcile queue: renters with an open request or a due retry.
        builder.HasIndex(r => r.ReconcileRetryAt);
    }
}

public sealed class HostSampleEntityTypeConfiguration : IEntityTypeConfiguration<HostSample>
{
    public void Configure(EntityTypeBuilder<HostSample> builder)
    {
        builder.ToTable("HostSamples");
        builder.HasIndex(s => new { s.ServerId, s.At });
        builder.HasIndex(s => s.At);
    }
}

public sealed class HostTrafficMonthEntityTypeConfiguration : IEntityTypeConfiguration<HostTrafficMonth>
{
    public void Configure(EntityTypeBuilder<HostTrafficMonth> builder)
    {
        builder.ToTable("HostTrafficMonths");
        builder.HasKey(t => new { t.ServerId, t.Month });
        builder.Property(t => t.Month).HasMaxLength(7);
    }
}

public sealed class AlertEntityTypeConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.ToTable("Alerts");
        builder.Property(a => a.Type).HasMaxLength(40);
        builder.Property(a => a.Severity).HasMaxLength(16);
        builder.Property(a => a.Message).HasMaxLength(1000);
        builder.Property(a => a.Key).HasMaxLength(200);
        builder.HasIndex(a => a.Key).IsUnique().HasFilter("resolved_at IS NULL");
        builder.HasIndex(a => a.CreatedAt);
        builder.HasIndex(a => a.ContainerId);
    }
}

public sealed class RenterTrafficDayEntityTypeConfiguration : IEntityTypeConfiguration<RenterTrafficDay>
{
    public void Configure(EntityTypeBuilder<RenterTrafficDay> builder)
    {
        builder.ToTable("RenterTrafficDays");
        builder.HasKey(t => new { t.UserId, t.Day });
    }
}
