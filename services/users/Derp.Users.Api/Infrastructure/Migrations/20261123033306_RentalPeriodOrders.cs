using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Derp.Users.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class RentalPeriodOrders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "order_id",
                table: "rental_periods",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_rental_periods_order_id",
                table: "rental_periods",
                column: "order_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_rental_periods_order_id",
                table: "rental_periods");

            migrationBuilder.DropColumn(
                name: "order_id",
                table: "rental_periods");
        }
    }
}
