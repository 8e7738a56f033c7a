using Derp.Acl.Api.Model;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Derp.Acl.Api.Infrastructure;

public sealed class AclContext(DbContextOptions<AclContext> options) : DbContext(options)
{
    public DbSet<Renter> Renters => Set<Renter>();
    public DbSet<RenterDevice> Devices => Set<RenterDevice>();
    public DbSet<RemovedDevice> RemovedDevices => Set<RemovedDevice>();
    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();
    public DbSet<GenerationLogEntry> GenerationLog => Set<GenerationLogEntry>();
    public DbSet<DownloadLogEntry> DownloadLog => Set<DownloadLogEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AclContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.ApplySnakeCaseNames();
    }
}
