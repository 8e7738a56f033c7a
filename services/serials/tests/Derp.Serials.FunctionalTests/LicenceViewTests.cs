using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Serials.Api.Services;
using Derp.ServiceDefaults.Persistence;
using Derp.ServiceDefaults.Security;
using Derp.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Derp.Serials.FunctionalTests;

/// <summary>A second serials replica on the first one's database (what two pods behind the gateway are).</summary>
public sealed class SerialsReplicaFactory(string connectionString) : SerialsApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        base.Settings().Append(new("ConnectionStrings:Database", connectionString));
}

public sealed class TwoSerialsReplicas : IAsyncLifetime
{
    public SerialsApiFactory First { get; } = new();
    public SerialsReplicaFactory Second { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await First.InitializeAsync();
        Second = new SerialsReplicaFactory(First.Database.ConnectionString);
        await Second.InitializeAsync();
        // Both replicas' clocks tell the same time.
        Second.Clock.Set(First.Clock.GetUtcNow());
    }

    public async ValueTask DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }
}

/// <summary>
/// The licence view (ADR-028): every change that decides a validation reaches memory within a bounded delay after its
/// commit, whoever wrote it, and once the notification is out the old answer never comes back.
/// </summary>
public sealed class LicenceViewTests(TwoSerialsReplicas replicas) : IClassFixture<TwoSerialsReplicas>
{
    private SerialsApiFactory A => replicas.First;
    private SerialsApiFactory B => replicas.Second;

    private static async Task<string> ValidateAsync(SerialsApiFactory replica, string code, string machine = "M", string? function = null, string field = "code")
    {
        var response = await replica.CreateClient().PostAsJsonAsync("/api/validate", new { code, machine_code = machine, function });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("status").GetString() == "success" && field == "code" ? "success"
            : body.TryGetProperty(field, out var value) ? value.GetString()! : "";
    }

    private static LicenceView View(SerialsApiFactory replica) => replica.Services.GetRequiredService<LicenceView>();

    private async Task<(Guid Id, string Code)> HeldLicenceAsync(object? extra = null)
    {
        var (id, code) = (await A.Admin().NewSerialsAsync("licence", extra: extra)).Single();
        await Until.TrueAsync(() => Task.FromResult(View(A).Held.IsLive && View(B).Held.IsLive), "both change feeds listening");
        (await ValidateAsync(A, code)).ShouldBe("success"); // activates and binds
        (await ValidateAsync(A, code)).ShouldBe("success");
        (await ValidateAsync(B, code)).ShouldBe("success");
        View(A).Held.Contains(code).ShouldBeTrue("the steady state is held in memory");
        View(B).Held.Contains(code).ShouldBeTrue();
        return (id, code);
    }

    private async Task SqlAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(A.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Waits for the refusal on both replicas, then checks it stays (no stale allow comes back).</summary>
    private static async Task RefusedFromNowOnAsync(string code, string expected, params SerialsApiFactory[] on)
    {
        foreach (var replica in on)
            await Until.TrueAsync(async () => await ValidateAsync(replica, code) == expected, $"{expected} for {code}", TimeSpan.FromSeconds(30));
        for (var i = 0; i < 5; i++)
            foreach (var replica in on)
                (await ValidateAsync(replica, code)).ShouldBe(expected);
    }

    [Fact]
    public async Task A_serial_disabled_through_one_replica_is_refused_by_both()
    {
        var (id, code) = await HeldLicenceAsync();

        (await B.Admin().PatchAsJsonAsync($"/api/serials/{id}", new { status = "disabled" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await RefusedFromNowOnAsync(code, "serial_disabled", A, B);
    }

    [Fact]
    public async Task A_batch_disabled_by_raw_sql_is_refused()
    {
        var (id, code) = await HeldLicenceAsync();

        await SqlAsync("UPDATE serials SET status = 'disabled' WHERE batch_id = (SELECT batch_id FROM serials WHERE id = @id)", ("id", id));

        await RefusedFromNowOnAsync(code, "serial_disabled", A, B);
    }

    [Fact]
    public async Task A_batch_whose_data_key_changes_hands_out_the_new_key()
    {
        var (id, code) = await HeldLicenceAsync(new { dataKey = "old-key" });
        (await ValidateAsync(A, code, function: "open", field: "data_key")).ShouldBe("old-key");
        (await ValidateAsync(B, code, function: "open", field: "data_key")).ShouldBe("old-key");

        var ciphertext = A.Services.GetRequiredService<SecretProtector>().Protect("new-key");
        await SqlAsync("UPDATE serial_batches SET data_key_ciphertext = @key WHERE id = (SELECT batch_id FROM serials WHERE id = @id)",
            ("key", ciphertext), ("id", id));

        foreach (var replica in new[] { A, B })
            await Until.TrueAsync(async () => await ValidateAsync(replica, code, function: "open", field: "data_key") == "new-key", "the new data key");
        (await ValidateAsync(A, code, function: "open", field: "data_key")).ShouldBe("new-key");
    }

    [Fact]
    public async Task An_expiry_marked_by_the_database_and_one_by_the_clock_are_both_refused()
    {
        var (id, code) = await HeldLicenceAsync();
        await SqlAsync("UPDATE serials SET status = 'expired' WHERE id = @id", ("id", id));
        await RefusedFromNowOnAsync(code, "serial_expired", A, B);

        var (_, timed) = await HeldLicenceAsync(new { durationHours = 1 });
        var before = A.Clock.GetUtcNow();
        try
        {
            A.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
            // No notification needed: the held row's expiry is compared with the clock on every call.
            (await ValidateAsync(A, timed)).ShouldBe("serial_expired");
        }
        finally
        {
            A.Clock.Set(before);
        }
    }

    [Fact]
    public async Task An_unbind_through_one_replica_lets_a_new_machine_bind_on_the_other()
    {
        var (id, code) = await HeldLicenceAsync();
        (await ValidateAsync(A, code, machine: "NEW")).ShouldBe("binding_mismatch");

        (await B.Admin().PostAsync($"/api/serials/{id}/unbind", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Until.TrueAsync(() => Task.FromResult(!View(A).Held.Contains(code)), "replica A dropped the unbound serial");
        (await ValidateAsync(A, code, machine: "NEW")).ShouldBe("success");
        (await ValidateAsync(A, code, machine: "M")).ShouldBe("binding_mismatch");
        await Until.TrueAsync(async () => await ValidateAsync(B, code, machine: "M") == "binding_mismatch", "replica B sees the new binding");
    }

    [Fact]
    public async Task A_reconnect_of_the_listener_drops_what_was_held()
    {
        var (id, code) = await HeldLicenceAsync();
        var feed = A.Services.GetRequiredService<ChangeFeed>();
        var connections = feed.Connections;
        // A change that does not notify (its triggers off): memory is stale, as after notifications lost in a disconnection.
        await SqlAsync("""
            ALTER TABLE serials DISABLE TRIGGER USER;
            UPDATE serials SET status = 'disabled' WHERE id = @id;
            ALTER TABLE serials ENABLE TRIGGER USER;
            """, ("id", id));
        (await ValidateAsync(A, code)).ShouldBe("success", "held in memory, not re-read");

        await SqlAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @db AND application_name = '{ChangeFeed.ApplicationName}'",
            ("db", A.Database.Name));

        await Until.TrueAsync(() => Task.FromResult(feed.Connections > connections && feed.IsLive), "the listener reconnected");
        (await ValidateAsync(A, code)).ShouldBe("serial_disabled");
    }
}
