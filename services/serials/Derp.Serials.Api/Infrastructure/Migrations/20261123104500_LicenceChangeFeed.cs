using Derp.Serials.Api.Infrastructure;
using Derp.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Derp.Serials.Api.Infrastructure.Migrations
{
    /// <summary>
    /// The change feed of the licence view (ADR-028): a serial's row (not its insert: bulk generation adds rows
    /// nobody holds), its client environment's binding columns and its batch notify on commit.
    /// </summary>
    [DbContext(typeof(SerialsContext))]
    [Migration("20261123104500_LicenceChangeFeed")]
    public partial class LicenceChangeFeed : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ChangeFeedTriggers.CreateFunction);
            migrationBuilder.Sql(ChangeFeedTriggers.Create("serials", "serials_changed", "full_code", onInsert: false));
            migrationBuilder.Sql(ChangeFeedTriggers.Create("serial_batches", "serial_batches_changed", "id", onInsert: false));
            // The client environment names its serial by id; the view holds codes.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION serials_notify_client_change() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    code text;
                BEGIN
                    SELECT full_code INTO code FROM serials WHERE id = COALESCE(NEW.serial_id, OLD.serial_id);
                    IF code IS NOT NULL THEN
                        PERFORM pg_notify('serials_changed', code);
                    END IF;
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER client_environments_change_feed_update AFTER UPDATE ON client_environments FOR EACH ROW
                    WHEN (OLD.machine_code IS DISTINCT FROM NEW.machine_code OR OLD.hardware IS DISTINCT FROM NEW.hardware OR OLD.ip IS DISTINCT FROM NEW.ip)
                    EXECUTE FUNCTION serials_notify_client_change();
                CREATE TRIGGER client_environments_change_feed_rows AFTER INSERT OR DELETE ON client_environments FOR EACH ROW
                    EXECUTE FUNCTION serials_notify_client_change();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ChangeFeedTriggers.Drop("client_environments"));
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS serials_notify_client_change();");
            migrationBuilder.Sql(ChangeFeedTriggers.Drop("serial_batches"));
            migrationBuilder.Sql(ChangeFeedTriggers.Drop("serials"));
        }
    }
}
