using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Derp.Distribution.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Commissions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "commissions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    distributor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    renter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    base_cents = table.Column<long>(type: "bigint", nullable: false),
                    rate_basis_points = table.Column<int>(type: "integer", nullable: false),
                    tier_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    amount_cents = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    earned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    available_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    payout_id = table.Column<Guid>(type: "uuid", nullable: true),
                    wallet_transfer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    source_id = table.Column<Guid>(type: "uuid", nullable: true),
                    reversed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_commissions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "payouts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    distributor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    amount_cents = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    payout_channel = table.Column<string>(type: "text", nullable: false),
                    payout_account_name = table.Column<string>(type: "text", nullable: false),
                    payout_account = table.Column<string>(type: "text", nullable: false),
                    reference = table.Column<string>(type: "text", nullable: true),
                    rejection_reason = table.Column<string>(type: "text", nullable: true),
                    decided_by = table.Column<Guid>(type: "uuid", nullable: true),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payouts", x => x.id);
                    table.CheckConstraint("ck_payouts_amount", "amount_cents > 0");
                });

            migrationBuilder.CreateTable(
                name: "wallet_transfers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    distributor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    amount_cents = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wallet_transfers", x => x.id);
                    table.CheckConstraint("ck_wallet_transfers_amount", "amount_cents > 0");
                });

            migrationBuilder.CreateIndex(
                name: "ix_commissions_distributor_id_status_available_at",
                table: "commissions",
                columns: new[] { "distributor_id", "status", "available_at" });

            migrationBuilder.CreateIndex(
                name: "ix_commissions_order_id",
                table: "commissions",
                column: "order_id",
                unique: true,
                filter: "kind = 'order'");

            migrationBuilder.CreateIndex(
                name: "ix_commissions_payout_id",
                table: "commissions",
                column: "payout_id");

            migrationBuilder.CreateIndex(
                name: "ix_commissions_status_available_at",
                table: "commissions",
                columns: new[] { "status", "available_at" });

            migrationBuilder.CreateIndex(
                name: "ix_payouts_distributor_id_requested_at",
                table: "payouts",
                columns: new[] { "distributor_id", "requested_at" });

            migrationBuilder.CreateIndex(
                name: "ix_payouts_status_requested_at",
                table: "payouts",
                columns: new[] { "status", "requested_at" });

            migrationBuilder.CreateIndex(
                name: "ix_wallet_transfers_distributor_id_created_at",
                table: "wallet_transfers",
                columns: new[] { "distributor_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "commissions");

            migrationBuilder.DropTable(
                name: "payouts");

            migrationBuilder.DropTable(
                name: "wallet_transfers");
        }
    }
}
