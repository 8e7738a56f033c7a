using Derp.Acl.Api.Infrastructure;
using Derp.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Derp.Acl.Api.Infrastructure.Migrations
{
    /// <summary>The change feed of the admission view (ADR-028): devices and the renters' deciding columns notify on commit.</summary>
    [DbContext(typeof(AclContext))]
    [Migration("20261123105500_AdmissionChangeFeed")]
    public partial class AdmissionChangeFeed : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ChangeFeedTriggers.CreateFunction);
            migrationBuilder.Sql(ChangeFeedTriggers.Create("renter_devices", "acl_devices_changed", "node_key", onInsert: true));
            migrationBuilder.Sql(ChangeFeedTriggers.Create("renters", "acl_renters_changed", "user_id", onInsert: true,
                "rental_active", "expires_at", "over_quota", "deregistered"));
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ChangeFeedTriggers.Drop("renters"));
            migrationBuilder.Sql(ChangeFeedTriggers.Drop("renter_devices"));
        }
    }
}
