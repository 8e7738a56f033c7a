using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Derp.Distribution.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Storefront : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
                name: "storefront_deliveries");

            migrationBuilder.DropTable(
                name: "storefront_cards");
        }
    }
}
