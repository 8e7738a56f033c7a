using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Derp.Serials.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "binding_mismatches",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    serial_id = table.Column<Guid>(type: "uuid", nullable: false),
                    full_code = table.Column<string>(type: "character varying(49)", maxLength: 49, nullable: false),
                    policy = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    request_json = table.Column<string>(type: "jsonb", nullable: false),
                    bound_machine_code = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    bound_hardware = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    bound_ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_binding_mismatches", x => x.id);
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
                name: "serial_batches",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false),
                    code_length = table.Column<int>(type: "integer", nullable: false),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: true),
                    duration_days = table.Column<int>(type: "integer", nullable: true),
                    duration_hours = table.Column<int>(type: "integer", nullable: true),
                    traffic_quota_gb = table.Column<int>(type: "integer", nullable: true),
                    value_cents = table.Column<long>(type: "bigint", nullable: true),
                    valid_days = table.Column<int>(type: "integer", nullable: false),
                    binding_policy = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    data_key_ciphertext = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    distributor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    remark = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_by = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_serial_batches", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "serial_use_logs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    serial_id = table.Column<Guid>(type: "uuid", nullable: true),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    use_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    related_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    related_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    remark = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_serial_use_logs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "serials",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    full_code = table.Column<string>(type: "character varying(49)", maxLength: 49, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status_before_disable = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    distributor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: true),
                    duration_days = table.Column<int>(type: "integer", nullable: true),
                    duration_hours = table.Column<int>(type: "integer", nullable: true),
                    traffic_quota_gb = table.Column<int>(type: "integer", nullable: true),
                    value_cents = table.Column<long>(type: "bigint", nullable: true),
                    binding_policy = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    remark = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    valid_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    first_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_serials", x => x.id);
                    table.ForeignKey(
                        name: "fk_serials_serial_batches_batch_id",
                        column: x => x.batch_id,
                        principalTable: "serial_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "client_environments",
                columns: table => new
                {
                    serial_id = table.Column<Guid>(type: "uuid", nullable: false),
                    machine_code = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    hardware = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    function = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    bound_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_request_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_client_environments", x => x.serial_id);
                    table.ForeignKey(
                        name: "fk_client_environments_serials_serial_id",
                        column: x => x.serial_id,
                        principalTable: "serials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_binding_mismatches_created_at",
                table: "binding_mismatches",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_binding_mismatches_serial_id_created_at",
                table: "binding_mismatches",
                columns: new[] { "serial_id", "created_at" });

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
                name: "ix_serial_batches_created_at",
                table: "serial_batches",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_serial_use_logs_created_at",
                table: "serial_use_logs",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_serial_use_logs_serial_id_created_at",
                table: "serial_use_logs",
                columns: new[] { "serial_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_serial_use_logs_use_type_created_at",
                table: "serial_use_logs",
                columns: new[] { "use_type", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_serial_use_logs_user_id_created_at",
                table: "serial_use_logs",
                columns: new[] { "user_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_serials_batch_id",
                table: "serials",
                column: "batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_serials_created_at",
                table: "serials",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_serials_full_code",
                table: "serials",
                column: "full_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_serials_status_prefix",
                table: "serials",
                columns: new[] { "status", "prefix" });

            migrationBuilder.CreateIndex(
                name: "ix_serials_user_id",
                table: "serials",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "binding_mismatches");

            migrationBuilder.DropTable(
                name: "client_environments");

            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "serial_use_logs");

            migrationBuilder.DropTable(
                name: "serials");

            migrationBuilder.DropTable(
                name: "serial_batches");
        }
    }
}
