using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Derp.Servers.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class RenterRelayHealth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "probe_latency_ms",
                table: "containers",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "state_since",
                table: "containers",
                type: "timestamp with time zone",
                nullable: false,
                defaultValueSql: "now()");

            migrationBuilder.CreateTable(
                name: "renter_traffic_days",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    bytes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_renter_traffic_days", x => new { x.user_id, x.day });
                });

            // "Since when" a relay is in its state: every writer of the state (placement, the reconciler, the
            // observer's bulk update) is covered here once, instead of each remembering to stamp it.
            migrationBuilder.Sql("""
                CREATE FUNCTION containers_state_since() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' OR NEW.state IS DISTINCT FROM OLD.state THEN
                        NEW.state_since := now();
                    ELSE
                        NEW.state_since := OLD.state_since;
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER containers_state_since BEFORE INSERT OR UPDATE ON containers
                    FOR EACH ROW EXECUTE FUNCTION containers_state_since();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER containers_state_since ON containers; DROP FUNCTION containers_state_since();");

            migrationBuilder.DropTable(
                name: "renter_traffic_days");

            migrationBuilder.DropColumn(
                name: "probe_latency_ms",
                table: "containers");

            migrationBuilder.DropColumn(
                name: "state_since",
                table: "containers");
        }
    }
}
