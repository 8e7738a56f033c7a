using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Derp.Users.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SessionsAndRentalFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "session_version",
                table: "users",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "policy_generated_at",
                table: "rentals",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "relays_provisioned_at",
                table: "rentals",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "session_version",
                table: "refresh_tokens",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // The latches become facts: what was ready keeps reading ready (its policy counts as made after its relays);
            // the rentals of accounts already closed are closed.
            migrationBuilder.Sql("""
                UPDATE rentals SET relays_provisioned_at = started_at WHERE containers_ready;
                UPDATE rentals SET policy_generated_at = now() WHERE policy_ready;
                UPDATE rentals SET status = 'closed' FROM users WHERE users.id = rentals.user_id AND users.status = 'deregistered';
                """);

            migrationBuilder.DropColumn(
                name: "containers_ready",
                table: "rentals");

            migrationBuilder.DropColumn(
                name: "policy_ready",
                table: "rentals");

            migrationBuilder.CreateTable(
                name: "session_revocations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    minimum_session_version = table.Column<int>(type: "integer", nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: true),
                    reason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_session_revocations", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_session_revocations_revoked_at",
                table: "session_revocations",
                column: "revoked_at");

            migrationBuilder.CreateIndex(
                name: "ix_session_revocations_user_id",
                table: "session_revocations",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "session_revocations");

            migrationBuilder.DropColumn(
                name: "session_version",
                table: "users");

            migrationBuilder.DropColumn(
                name: "policy_generated_at",
                table: "rentals");

            migrationBuilder.DropColumn(
                name: "relays_provisioned_at",
                table: "rentals");

            migrationBuilder.DropColumn(
                name: "session_version",
                table: "refresh_tokens");

            migrationBuilder.AddColumn<bool>(
                name: "containers_ready",
                table: "rentals",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "policy_ready",
                table: "rentals",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }
    }
}
