using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Derp.Servers.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class ReconcileLoop : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_containers_server_id_derp_port",
                table: "containers");

            migrationBuilder.DropIndex(
                name: "ix_containers_server_id_stun_port",
                table: "containers");

            migrationBuilder.RenameColumn(
                name: "active",
                table: "renters",
                newName: "rental_active");

            migrationBuilder.AlterColumn<Guid>(
                name: "rental_id",
                table: "renters",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "expires_at",
                table: "renters",
                type: "timestamp with time zone",
                nullable: true,
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone");

            migrationBuilder.AddColumn<long>(
                name: "reconcile_done",
                table: "renters",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "reconcile_lease_until",
                table: "renters",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reconcile_reason",
                table: "renters",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "reconcile_requested",
                table: "renters",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "reconcile_retry_at",
                table: "renters",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cert_name",
                table: "containers",
                type: "character varying(80)",
                maxLength: 80,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "desired",
                table: "containers",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "running");

            migrationBuilder.AddColumn<string>(
                name: "engine_state",
                table: "containers",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "observed_at",
                table: "containers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "restarts",
                table: "containers",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "container_id",
                table: "alerts",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_renters_reconcile_retry_at",
                table: "renters",
                column: "reconcile_retry_at");

            migrationBuilder.CreateIndex(
                name: "ix_containers_server_id_derp_port",
                table: "containers",
                columns: new[] { "server_id", "derp_port" },
                unique: true,
                filter: "state IN ('pending', 'running', 'stopped', 'exited')");

            migrationBuilder.CreateIndex(
                name: "ix_containers_server_id_stun_port",
                table: "containers",
                columns: new[] { "server_id", "stun_port" },
                unique: true,
                filter: "state IN ('pending', 'running', 'stopped', 'exited')");

            migrationBuilder.CreateIndex(
                name: "ix_alerts_container_id",
                table: "alerts",
                column: "container_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_renters_reconcile_retry_at",
                table: "renters");

            migrationBuilder.DropIndex(
                name: "ix_containers_server_id_derp_port",
                table: "containers");

            migrationBuilder.DropIndex(
                name: "ix_containers_server_id_stun_port",
                table: "containers");

            migrationBuilder.DropIndex(
                name: "ix_alerts_container_id",
                table: "alerts");

            migrationBuilder.DropColumn(
                name: "reconcile_done",
                table: "renters");

            migrationBuilder.DropColumn(
                name: "reconcile_lease_until",
                table: "renters");

            migrationBuilder.DropColumn(
                name: "reconcile_reason",
                table: "renters");

            migrationBuilder.DropColumn(
                name: "reconcile_requested",
                table: "renters");

            migrationBuilder.DropColumn(
                name: "reconcile_retry_at",
                table: "renters");

            migrationBuilder.DropColumn(
                name: "cert_name",
                table: "containers");

            migrationBuilder.DropColumn(
                name: "desired",
                table: "containers");

            migrationBuilder.DropColumn(
                name: "engine_state",
                table: "containers");

            migrationBuilder.DropColumn(
                name: "observed_at",
                table: "containers");

            migrationBuilder.DropColumn(
                name: "restarts",
                table: "containers");

            migrationBuilder.DropColumn(
                name: "container_id",
                table: "alerts");

            migrationBuilder.RenameColumn(
                name: "rental_active",
                table: "renters",
                newName: "active");

            migrationBuilder.AlterColumn<Guid>(
                name: "rental_id",
                table: "renters",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "expires_at",
                table: "renters",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)),
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_containers_server_id_derp_port",
                table: "containers",
                columns: new[] { "server_id", "derp_port" },
                unique: true,
                filter: "state IN ('pending', 'running', 'stopped')");

            migrationBuilder.CreateIndex(
                name: "ix_containers_server_id_stun_port",
                table: "containers",
                columns: new[] { "server_id", "stun_port" },
                unique: true,
                filter: "state IN ('pending', 'running', 'stopped')");
        }
    }
}
