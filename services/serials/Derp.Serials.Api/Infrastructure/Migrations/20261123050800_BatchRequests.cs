using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Derp.Serials.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class BatchRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "request_id",
                table: "serial_batches",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_serial_batches_request_id",
                table: "serial_batches",
                column: "request_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_serial_batches_request_id",
                table: "serial_batches");

            migrationBuilder.DropColumn(
                name: "request_id",
                table: "serial_batches");
        }
    }
}
