using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Derp.Users.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class DistributorDecidedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "distributor_decided_at",
                table: "users",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "distributor_decided_at",
                table: "users");
        }
    }
}
