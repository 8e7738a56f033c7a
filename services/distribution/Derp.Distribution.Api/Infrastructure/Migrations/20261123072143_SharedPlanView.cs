using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Derp.Distribution.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SharedPlanView : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "plan_id",
                table: "plans",
                newName: "id");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "changed_at",
                table: "plans",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<bool>(
                name: "renew",
                table: "plans",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "sell",
                table: "plans",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "changed_at",
                table: "plans");

            migrationBuilder.DropColumn(
                name: "renew",
                table: "plans");

            migrationBuilder.DropColumn(
                name: "sell",
                table: "plans");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "plans",
                newName: "plan_id");
        }
    }
}
