using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Derp.Distribution.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "attributions",
                columns: table => new
                {
                    renter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    distributor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    serial_id = table.Column<Guid>(type: "uuid", nullable: false),
                    attributed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_attributions", x => x.renter_id);
                });

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    actor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    actor_ip = table.Column<string>(type: "text", nullable: true),
                    action = table.Column<string>(type: "text", nullable: false),
                    target_type = table.Column<string>(type: "text", nullable: false),
                    target_id = table.Column<string>(type: "text", nullable: false),
                    details_json = table.Column<string>(type: "jsonb", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_entries", x => x.id);
                });

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
                name: "distributor_applications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    email = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "text", nullable: false),
                    contact_name = table.Column<string>(type: "text", nullable: false),
                    contact = table.Column<string>(type: "text", nullable: false),
                    payout_channel = table.Column<string>(type: "text", nullable: false),
                    payout_account_name = table.Column<string>(type: "text", nullable: false),
                    payout_account = table.Column<string>(type: "text", nullable: false),
                    payout_qr_image = table.Column<byte[]>(type: "bytea", nullable: true),
                    payout_qr_content_type = table.Column<string>(type: "text", nullable: true),
                    remark = table.Column<string>(type: "text", nullable: true),
                    rejection_reason = table.Column<string>(type: "text", nullable: true),
                    decided_by = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_distributor_applications", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "distributors",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    email = table.Column<string>(type: "text", nullable: true),
                    tier_code = table.Column<string>(type: "text", nullable: false),
                    tier_pinned = table.Column<bool>(type: "boolean", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    contact_name = table.Column<string>(type: "text", nullable: false),
                    contact = table.Column<string>(type: "text", nullable: false),
                    payout_channel = table.Column<string>(type: "text", nullable: false),
                    payout_account_name = table.Column<string>(type: "text", nullable: false),
                    payout_account = table.Column<string>(type: "text", nullable: false),
                    payout_qr_image = table.Column<byte[]>(type: "bytea", nullable: true),
                    payout_qr_content_type = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_distributors", x => x.user_id);
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_messages", x => new { x.message_id, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "known_users",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    email = table.Column<string>(type: "text", nullable: false),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_known_users", x => x.user_id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
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
                name: "plans",
                columns: table => new
                {
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    name_zh = table.Column<string>(type: "text", nullable: false),
                    name_en = table.Column<string>(type: "text", nullable: false),
                    duration_days = table.Column<int>(type: "integer", nullable: false),
                    price_cents = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "text", nullable: false),
                    traffic_quota_gb = table.Column<int>(type: "integer", nullable: false),
                    retired = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plans", x => x.plan_id);
                });

            migrationBuilder.CreateTable(
                name: "serial_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    distributor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    plan_name_zh = table.Column<string>(type: "text", nullable: false),
                    plan_name_en = table.Column<string>(type: "text", nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    remark = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "text", nullable: false),
                    unit_price_cents = table.Column<long>(type: "bigint", nullable: true),
                    tier_code = table.Column<string>(type: "text", nullable: true),
                    rate_basis_points = table.Column<int>(type: "integer", nullable: true),
                    price_cents = table.Column<long>(type: "bigint", nullable: true),
                    currency = table.Column<string>(type: "text", nullable: true),
                    order_id = table.Column<Guid>(type: "uuid", nullable: true),
                    pay_by = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: true),
                    rejection_reason = table.Column<string>(type: "text", nullable: true),
                    decided_by = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    paid_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_serial_requests", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stock_serials",
                columns: table => new
                {
                    serial_id = table.Column<Guid>(type: "uuid", nullable: false),
                    distributor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    full_code = table.Column<string>(type: "text", nullable: false),
                    valid_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    redeemed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    delivery_id = table.Column<Guid>(type: "uuid", nullable: true),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stock_serials", x => x.serial_id);
                });

            migrationBuilder.CreateTable(
                name: "storefront_api_keys",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    prefix = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_storefront_api_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "storefront_cards",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    delay_seconds = table.Column<int>(type: "integer", nullable: false),
                    spec_name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    spec_value = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: true),
                    template = table.Column<string>(type: "text", nullable: true),
                    image_url = table.Column<string>(type: "text", nullable: true),
                    api_url = table.Column<string>(type: "text", nullable: true),
                    api_method = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    api_headers_json = table.Column<string>(type: "text", nullable: true),
                    api_body = table.Column<string>(type: "text", nullable: true),
                    api_timeout_seconds = table.Column<int>(type: "integer", nullable: false),
                    api_retries = table.Column<int>(type: "integer", nullable: false),
                    api_response_field = table.Column<string>(type: "text", nullable: true),
                    low_stock_threshold = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_storefront_cards", x => x.id);
                    table.CheckConstraint("ck_storefront_cards_type", "type IN ('serial', 'text', 'data', 'image', 'api')");
                });

            migrationBuilder.CreateTable(
                name: "storefront_deliveries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    api_key_id = table.Column<Guid>(type: "uuid", nullable: true),
                    channel = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    external_order_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    item_title = table.Column<string>(type: "text", nullable: true),
                    item_id = table.Column<Guid>(type: "uuid", nullable: true),
                    spec = table.Column<string>(type: "text", nullable: true),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    buyer_id = table.Column<string>(type: "text", nullable: true),
                    card_id = table.Column<Guid>(type: "uuid", nullable: true),
                    card_name = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    failure_reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ready_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_storefront_deliveries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "storefront_low_stock_alerts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    card_id = table.Column<Guid>(type: "uuid", nullable: false),
                    remaining = table.Column<int>(type: "integer", nullable: false),
                    threshold = table.Column<int>(type: "integer", nullable: false),
                    raised_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_storefront_low_stock_alerts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tiers",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    name_zh = table.Column<string>(type: "text", nullable: false),
                    name_en = table.Column<string>(type: "text", nullable: false),
                    rate_basis_points = table.Column<int>(type: "integer", nullable: false),
                    holding_days = table.Column<int>(type: "integer", nullable: false),
                    minimum_payout_cents = table.Column<long>(type: "bigint", nullable: false),
                    promotion_turnover_cents = table.Column<long>(type: "bigint", nullable: true),
                    sort_order = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tiers", x => x.code);
                    table.CheckConstraint("ck_tiers_rate", "rate_basis_points BETWEEN 0 AND 10000");
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

            migrationBuilder.CreateTable(
                name: "storefront_pool_lines",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    card_id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    content = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    delivery_id = table.Column<Guid>(type: "uuid", nullable: true),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_storefront_pool_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_storefront_pool_lines_storefront_cards_card_id",
                        column: x => x.card_id,
                        principalTable: "storefront_cards",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "storefront_rules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    keyword = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    card_id = table.Column<Guid>(type: "uuid", nullable: false),
                    priority = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_storefront_rules", x => x.id);
                    table.ForeignKey(
                        name: "fk_storefront_rules_storefront_cards_card_id",
                        column: x => x.card_id,
                        principalTable: "storefront_cards",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "storefront_delivery_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    delivery_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    content = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_storefront_delivery_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_storefront_delivery_items_storefront_deliveries_delivery_id",
                        column: x => x.delivery_id,
                        principalTable: "storefront_deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_attributions_distributor_id",
                table: "attributions",
                column: "distributor_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_action_created_at",
                table: "audit_entries",
                columns: new[] { "action", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_target_id_created_at",
                table: "audit_entries",
                columns: new[] { "target_id", "created_at" });

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
                name: "ix_distributor_applications_status_created_at",
                table: "distributor_applications",
                columns: new[] { "status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_distributor_applications_user_id",
                table: "distributor_applications",
                column: "user_id",
                unique: true,
                filter: "status = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_distributors_tier_code",
                table: "distributors",
                column: "tier_code");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_message_id",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unsent",
                table: "outbox_messages",
                column: "id",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_payouts_distributor_id_requested_at",
                table: "payouts",
                columns: new[] { "distributor_id", "requested_at" });

            migrationBuilder.CreateIndex(
                name: "ix_payouts_status_requested_at",
                table: "payouts",
                columns: new[] { "status", "requested_at" });

            migrationBuilder.CreateIndex(
                name: "ix_serial_requests_distributor_id_created_at",
                table: "serial_requests",
                columns: new[] { "distributor_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_serial_requests_order_id",
                table: "serial_requests",
                column: "order_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_serial_requests_status_pay_by",
                table: "serial_requests",
                columns: new[] { "status", "pay_by" });

            migrationBuilder.CreateIndex(
                name: "ix_stock_serials_delivery_id",
                table: "stock_serials",
                column: "delivery_id");

            migrationBuilder.CreateIndex(
                name: "ix_stock_serials_distributor_id_plan_id_delivered_at",
                table: "stock_serials",
                columns: new[] { "distributor_id", "plan_id", "delivered_at" });

            migrationBuilder.CreateIndex(
                name: "ix_storefront_api_keys_owner_id",
                table: "storefront_api_keys",
                column: "owner_id");

            migrationBuilder.CreateIndex(
                name: "ix_storefront_api_keys_prefix",
                table: "storefront_api_keys",
                column: "prefix",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_storefront_cards_owner_id_name",
                table: "storefront_cards",
                columns: new[] { "owner_id", "name" });

            migrationBuilder.CreateIndex(
                name: "ix_storefront_deliveries_due",
                table: "storefront_deliveries",
                column: "ready_at",
                filter: "status = 'scheduled'");

            migrationBuilder.CreateIndex(
                name: "ix_storefront_deliveries_owner_id_channel_external_order_id",
                table: "storefront_deliveries",
                columns: new[] { "owner_id", "channel", "external_order_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_storefront_deliveries_owner_id_created_at",
                table: "storefront_deliveries",
                columns: new[] { "owner_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_storefront_delivery_items_delivery_id_position",
                table: "storefront_delivery_items",
                columns: new[] { "delivery_id", "position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_storefront_low_stock_alerts_open",
                table: "storefront_low_stock_alerts",
                column: "card_id",
                unique: true,
                filter: "resolved_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_storefront_low_stock_alerts_owner_id_raised_at",
                table: "storefront_low_stock_alerts",
                columns: new[] { "owner_id", "raised_at" });

            migrationBuilder.CreateIndex(
                name: "ix_storefront_pool_lines_available",
                table: "storefront_pool_lines",
                columns: new[] { "card_id", "id" },
                filter: "delivered_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_storefront_pool_lines_delivery_id",
                table: "storefront_pool_lines",
                column: "delivery_id");

            migrationBuilder.CreateIndex(
                name: "ix_storefront_rules_card_id",
                table: "storefront_rules",
                column: "card_id");

            migrationBuilder.CreateIndex(
                name: "ix_storefront_rules_owner_id_priority",
                table: "storefront_rules",
                columns: new[] { "owner_id", "priority" });

            migrationBuilder.CreateIndex(
                name: "ix_wallet_transfers_distributor_id_created_at",
                table: "wallet_transfers",
                columns: new[] { "distributor_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "attributions");

            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropTable(
                name: "commissions");

            migrationBuilder.DropTable(
                name: "distributor_applications");

            migrationBuilder.DropTable(
                name: "distributors");

            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "known_users");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "payouts");

            migrationBuilder.DropTable(
                name: "plans");

            migrationBuilder.DropTable(
                name: "serial_requests");

            migrationBuilder.DropTable(
                name: "stock_serials");

            migrationBuilder.DropTable(
                name: "storefront_api_keys");

            migrationBuilder.DropTable(
                name: "storefront_delivery_items");

            migrationBuilder.DropTable(
                name: "storefront_low_stock_alerts");

            migrationBuilder.DropTable(
                name: "storefront_pool_lines");

            migrationBuilder.DropTable(
                name: "storefront_rules");

            migrationBuilder.DropTable(
                name: "tiers");

            migrationBuilder.DropTable(
                name: "wallet_transfers");

            migrationBuilder.DropTable(
                name: "storefront_deliveries");

            migrationBuilder.DropTable(
                name: "storefront_cards");
        }
    }
}
