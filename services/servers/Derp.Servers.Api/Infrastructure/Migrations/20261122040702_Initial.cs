using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Derp.Servers.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "alerts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    severity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    message = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    server_id = table.Column<Guid>(type: "uuid", nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    resolved_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alerts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "host_samples",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    server_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reachable = table.Column<bool>(type: "boolean", nullable: false),
                    latency_ms = table.Column<double>(type: "double precision", nullable: true),
                    rate_bytes_per_second = table.Column<long>(type: "bigint", nullable: false),
                    containers = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_host_samples", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "host_traffic_months",
                columns: table => new
                {
                    server_id = table.Column<Guid>(type: "uuid", nullable: false),
                    month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    bytes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_host_traffic_months", x => new { x.server_id, x.month });
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
                name: "renters",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    rental_id = table.Column<Guid>(type: "uuid", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    deregistered = table.Column<bool>(type: "boolean", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    quota_bytes = table.Column<long>(type: "bigint", nullable: true),
                    period_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    period_bytes = table.Column<long>(type: "bigint", nullable: false),
                    over_quota = table.Column<bool>(type: "boolean", nullable: false),
                    announced_relays = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_renters", x => x.user_id);
                });

            migrationBuilder.CreateTable(
                name: "servers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    public_ip = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: false),
                    host_name = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    region_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    region_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    location = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    cloud_account = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ssh_host = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    ssh_port = table.Column<int>(type: "integer", nullable: false),
                    ssh_user = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ssh_private_key_protected = table.Column<string>(type: "text", nullable: false),
                    host_key_fingerprint = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    host_key = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    docker_socket = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    capacity = table.Column<int>(type: "integer", nullable: false),
                    port_range_start = table.Column<int>(type: "integer", nullable: false),
                    port_range_end = table.Column<int>(type: "integer", nullable: false),
                    monthly_traffic_gb = table.Column<long>(type: "bigint", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    consecutive_failures = table.Column<int>(type: "integer", nullable: false),
                    consecutive_successes = table.Column<int>(type: "integer", nullable: false),
                    latency_ms = table.Column<double>(type: "double precision", nullable: true),
                    last_checked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    rate_bytes_per_second = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    removed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_servers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "containers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    server_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    rental_id = table.Column<Guid>(type: "uuid", nullable: false),
                    derp_port = table.Column<int>(type: "integer", nullable: false),
                    stun_port = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    docker_id = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    probe_ok = table.Column<bool>(type: "boolean", nullable: true),
                    probed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    rx_bytes = table.Column<long>(type: "bigint", nullable: false),
                    tx_bytes = table.Column<long>(type: "bigint", nullable: false),
                    last_rx_counter = table.Column<long>(type: "bigint", nullable: false),
                    last_tx_counter = table.Column<long>(type: "bigint", nullable: false),
                    stats_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    rate_bytes_per_second = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    removed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_containers", x => x.id);
                    table.ForeignKey(
                        name: "fk_containers_servers_server_id",
                        column: x => x.server_id,
                        principalTable: "servers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_alerts_created_at",
                table: "alerts",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_alerts_key",
                table: "alerts",
                column: "key",
                unique: true,
                filter: "resolved_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_containers_name",
                table: "containers",
                column: "name",
                unique: true);

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

            migrationBuilder.CreateIndex(
                name: "ix_containers_user_id_state",
                table: "containers",
                columns: new[] { "user_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_host_samples_at",
                table: "host_samples",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_host_samples_server_id_at",
                table: "host_samples",
                columns: new[] { "server_id", "at" });

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
                name: "ix_servers_name",
                table: "servers",
                column: "name",
                unique: true,
                filter: "status <> 'removed'");

            migrationBuilder.CreateIndex(
                name: "ix_servers_region_code",
                table: "servers",
                column: "region_code");

            migrationBuilder.CreateIndex(
                name: "ix_servers_status",
                table: "servers",
                column: "status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alerts");

            migrationBuilder.DropTable(
                name: "containers");

            migrationBuilder.DropTable(
                name: "host_samples");

            migrationBuilder.DropTable(
                name: "host_traffic_months");

            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "renters");

            migrationBuilder.DropTable(
                name: "servers");
        }
    }
}
