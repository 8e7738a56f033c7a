using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Derp.Servers.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class RenterRequestedFromIp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "requested_from_ip",
                table: "renters",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "requested_from_ip",
                table: "renters");
        }
    }
}
