using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Derp.Serials.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Serials.FunctionalTests;

public sealed class ValidateTests(SerialsApiFactory factory) : IClassFixture<SerialsApiFactory>
{
    private sealed record Reply(HttpStatusCode Status, JsonElement Body, byte[] Raw, HttpResponseMessage Response)
    {
        public string? Field(string name) => Body.TryGetProperty(name, out var value) ? value.ToString() : null;
    }

    private async Task<Reply> ValidateAsync(object request, string? clientIp = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/validate") { Content = JsonContent.Create(request) };
        if (clientIp is not null)
            message.Headers.Add("X-Forwarded-For", clientIp);
        var response = await factory.CreateClient().SendAsync(message);
        var raw = await response.Content.ReadAsByteArrayAsync();
        return new Reply(response.StatusCode, JsonDocument.Parse(raw).RootElement, raw, response);
    }

    private async Task<(Guid Id, string Code)> NewLicenceAsync(object? extra = null) =>
        (await factory.Admin().NewSerialsAsync("licence", extra: extra)).Single();

    [Fact]
    public async Task First_use_binds_and_activates_for_three_hours_then_the_same_machine_is_accepted()
    {
        var (id, code) = await NewLicenceAsync();
        var start = factory.Clock.GetUtcNow();

        var first = await ValidateAsync(new { code, machine_code = "PC-UUID-123", hardware = "cpu-1", function = "start" }, "203.0.113.10");
        factory.Clock.Advance(TimeSpan.FromMinutes(30));
        var again = await ValidateAsync(new { code = code.ToLowerInvariant(), machine_code = "PC-UUID-123", function = "sync" }, "203.0.113.10");

        first.Status.ShouldBe(HttpStatusCode.OK);
        first.Field("status").ShouldBe("success");
        first.Field("message").ShouldBe("授权成功");
        first.Body.GetProperty("expires_at").GetDateTimeOffset().ShouldBe(start.AddHours(3), TimeSpan.FromSeconds(1));
        again.Status.ShouldBe(HttpStatusCode.OK);
        var serial = (await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/serials/{id}")).GetProperty("serial");
        serial.GetProperty("status").GetString().ShouldBe("active");
        serial.GetProperty("client").GetProperty("machineCode").GetString().ShouldBe("PC-UUID-123");
        serial.GetProperty("client").GetProperty("ip").GetString().ShouldBe("203.0.113.10");
    }

    [Fact]
    public async Task Every_accepted_call_updates_the_client_environment()
    {
        var (id, code) = await NewLicenceAsync(new { bindingPolicy = "lenient" });
        await ValidateAsync(new { code, machine_code = "M", hardware = "hw-1", function = "start" }, "203.0.113.1");
        factory.Clock.Advance(TimeSpan.FromMinutes(5));

        (await ValidateAsync(new { code, machine_code = "M", hardware = "hw-1", function = "export" }, "203.0.113.2")).Status.ShouldBe(HttpStatusCode.OK);

        var client = await WaitForClientAsync(id, c => c.Function == "export");
        client.Function.ShouldBe("export");
        client.Ip.ShouldBe("203.0.113.2");
        client.LastRequestAt.ShouldBe(factory.Clock.GetUtcNow(), TimeSpan.FromSeconds(1));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SerialsContext>();
        (await db.UseLogs.CountAsync(l => l.SerialId == id && l.Action == "validate")).ShouldBe(2);
    }

    /// <summary>Waits (bounded) until the background writer has recorded what the test expects, and returns the row.</summary>
    private async Task<Derp.Serials.Api.Model.ClientEnvironment> WaitForClientAsync(Guid serialId, Func<Derp.Serials.Api.Model.ClientEnvironment, bool> done)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SerialsContext>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var client = await db.ClientEnvironments.AsNoTracking().SingleAsync(c => c.SerialId == serialId);
            if (done(client) || DateTime.UtcNow > deadline)
                return client;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Strict_binding_refuses_another_machine_and_keeps_the_request()
    {
        var (id, code) = await NewLicenceAsync();
        await ValidateAsync(new { code, machine_code = "PC-1" });

        var other = await ValidateAsync(new { code, machine_code = "PC-2", hardware = "hw-x", function = "open" }, "198.51.100.9");

        other.Status.ShouldBe(HttpStatusCode.Forbidden);
        other.Field("status").ShouldBe("error");
        other.Field("code").ShouldBe("binding_mismatch");
        other.Body.TryGetProperty("data_key", out _).ShouldBeFalse();
        var mismatch = (await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/serials/binding-mismatches?serialId={id}")).GetProperty("items").EnumerateArray().Single();
        mismatch.GetProperty("policy").GetString().ShouldBe("strict");
        mismatch.GetProperty("boundMachineCode").GetString().ShouldBe("PC-1");
        mismatch.GetProperty("ip").GetString().ShouldBe("198.51.100.9");
        mismatch.GetProperty("requestJson").GetString()!.ShouldContain("PC-2");
    }

    [Fact]
    public async Task Lenient_binding_refuses_only_when_both_hardware_and_ip_differ()
    {
        var (id, code) = await NewLicenceAsync(new { bindingPolicy = "lenient" });
        (await ValidateAsync(new { code, machine_code = "M1", hardware = "hw-A" }, "203.0.113.50")).Status.ShouldBe(HttpStatusCode.OK);

        // Same hardware from a new address: accepted (and the address is now the bound one).
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        (await ValidateAsync(new { code, machine_code = "M1", hardware = "hw-A" }, "203.0.113.51")).Status.ShouldBe(HttpStatusCode.OK);
        await WaitForClientAsync(id, c => c.Ip == "203.0.113.51"); // the environment update is written in the background
        // New hardware from the known address: accepted.
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        (await ValidateAsync(new { code, machine_code = "M2", hardware = "hw-B" }, "203.0.113.51")).Status.ShouldBe(HttpStatusCode.OK);
        await WaitForClientAsync(id, c => c.Hardware == "hw-B");
        // Both different: refused and kept for analysis.
        var refused = await ValidateAsync(new { code, machine_code = "M3", hardware = "hw-C" }, "192.0.2.77");

        refused.Status.ShouldBe(HttpStatusCode.Forbidden);
        refused.Field("code").ShouldBe("binding_mismatch");
        (await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/serials/binding-mismatches?serialId={id}")).GetProperty("total").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task The_data_key_is_returned_only_for_the_open_function()
    {
        var (_, withOwnKey) = await NewLicenceAsync(new { dataKey = "batch-secret-key" });
        var (_, withGlobalKey) = await NewLicenceAsync();

        var open = await ValidateAsync(new { code = withOwnKey, machine_code = "M", function = "open" });
        var other = await ValidateAsync(new { code = withOwnKey, machine_code = "M", function = "export" });
        var global = await ValidateAsync(new { code = withGlobalKey, machine_code = "M", function = "open" });

        open.Field("data_key").ShouldBe("batch-secret-key");
        other.Status.ShouldBe(HttpStatusCode.OK);
        other.Body.TryGetProperty("data_key", out _).ShouldBeFalse();
        global.Field("data_key").ShouldBe(SerialsApiFactory.GlobalDataKey);
    }

    [Fact]
    public async Task Responses_are_signed_with_the_published_key_over_timestamp_nonce_and_body()
    {
        var (_, code) = await NewLicenceAsync();
        var publicKey = (await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/validate/public-key")).GetProperty("publicKeyPem").GetString()!;
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(publicKey);

        foreach (var reply in new[] { await ValidateAsync(new { code, machine_code = "M", nonce = "n-123" }), await ValidateAsync(new { code = "NO-SUCH", machine_code = "M", nonce = "n-456" }) })
        {
            var timestamp = reply.Response.Headers.GetValues("X-Derp-Timestamp").Single();
            var nonce = reply.Response.Headers.GetValues("X-Derp-Nonce").Single();
            var signature = Convert.FromBase64String(reply.Response.Headers.GetValues("X-Derp-Signature").Single());
            byte[] Signed(byte[] body) => [.. Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n"), .. body];

            ecdsa.VerifyData(Signed(reply.Raw), signature, HashAlgorithmName.SHA256).ShouldBeTrue();
            // A forged body, or a replay presented for another nonce, does not verify.
            var forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(reply.Raw).Replace("error", "success", StringComparison.Ordinal).Replace("授权成功", "OK!", StringComparison.Ordinal));
            ecdsa.VerifyData(Signed(forged), signature, HashAlgorithmName.SHA256).ShouldBeFalse();
            ecdsa.VerifyData((byte[])[.. Encoding.UTF8.GetBytes($"{timestamp}\nother-nonce\n"), .. reply.Raw], signature, HashAlgorithmName.SHA256).ShouldBeFalse();
        }
    }

    [Fact]
    public async Task A_reused_nonce_is_refused()
    {
        var (_, code) = await NewLicenceAsync();
        (await ValidateAsync(new { code, machine_code = "M", nonce = "once" })).Status.ShouldBe(HttpStatusCode.OK);

        var replay = await ValidateAsync(new { code, machine_code = "M", nonce = "once" });

        replay.Status.ShouldBe(HttpStatusCode.Conflict);
        replay.Field("code").ShouldBe("nonce_reused");
    }

    [Fact]
    public async Task An_expired_licence_is_refused_and_marked_expired()
    {
        var (id, code) = await NewLicenceAsync(new { durationHours = 1 });
        (await ValidateAsync(new { code, machine_code = "M" })).Status.ShouldBe(HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        var late = await ValidateAsync(new { code, machine_code = "M" });

        late.Status.ShouldBe(HttpStatusCode.Forbidden);
        late.Field("code").ShouldBe("serial_expired");
        (await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/serials/{id}")).GetProperty("serial").GetProperty("status").GetString().ShouldBe("expired");
        (await ValidateAsync(new { code, machine_code = "M" })).Field("code").ShouldBe("serial_expired");
    }

    [Fact]
    public async Task Unknown_disabled_and_wrong_kind_serials_are_refused_in_the_clients_shape()
    {
        var admin = factory.Admin();
        var (disabledId, disabled) = await NewLicenceAsync();
        await admin.PatchAsJsonAsync($"/api/serials/{disabledId}", new { status = "disabled" });
        var (_, rental) = (await admin.NewSerialsAsync("rental")).Single();

        var unknown = await ValidateAsync(new { code = "VIP-NOTHERE", machine_code = "M" });
        var refusedDisabled = await ValidateAsync(new { code = disabled, machine_code = "M" });
        var wrongKind = await ValidateAsync(new { code = rental, machine_code = "M" });

        (unknown.Status, unknown.Field("status"), unknown.Field("code")).ShouldBe((HttpStatusCode.NotFound, "error", "serial_not_found"));
        (refusedDisabled.Status, refusedDisabled.Field("code")).ShouldBe((HttpStatusCode.Forbidden, "serial_disabled"));
        (wrongKind.Status, wrongKind.Field("code")).ShouldBe((HttpStatusCode.UnprocessableEntity, "serial_wrong_kind"));
        unknown.Field("message").ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("""{"code":"A-B"}""")]
    [InlineData("""{"machine_code":"M"}""")]
    [InlineData("""{"code":42,"machine_code":"M"}""")]
    public async Task Bad_requests_get_the_seed_error_shape_not_a_server_error(string body)
    {
        var response = await factory.CreateClient().PostAsync("/api/validate", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        json.GetProperty("status").GetString().ShouldBe("error");
        json.GetProperty("code").GetString().ShouldBe("invalid_request");
    }

    [Fact]
    public async Task After_an_admin_unbinds_a_licence_the_next_machine_binds()
    {
        var (id, code) = await NewLicenceAsync();
        await ValidateAsync(new { code, machine_code = "OLD" });
        (await ValidateAsync(new { code, machine_code = "NEW" })).Status.ShouldBe(HttpStatusCode.Forbidden);

        (await factory.Admin().PostAsync($"/api/serials/{id}/unbind", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await ValidateAsync(new { code, machine_code = "NEW" })).Status.ShouldBe(HttpStatusCode.OK);
        (await ValidateAsync(new { code, machine_code = "OLD" })).Status.ShouldBe(HttpStatusCode.Forbidden);
        var log = (await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/serials/logs?serialId={id}&action=unbind")).GetProperty("items");
        log[0].GetProperty("remark").GetString().ShouldBe("was OLD");
    }
}

public sealed class ValidateRateLimitFactory : SerialsApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        base.Settings().Where(s => s.Key != "Serials:ValidatePerCode").Append(new("Serials:ValidatePerCode", "3"))
            // Validation windows are aligned on the clock (ADR-029): a day-long one puts no boundary between the four calls.
            .Append(new("Serials:ValidateWindow", "1.00:00:00"));
}

public sealed class ValidateRateLimitTests(ValidateRateLimitFactory factory) : IClassFixture<ValidateRateLimitFactory>
{
    [Fact]
    public async Task Calls_per_code_are_limited()
    {
        var (_, code) = (await factory.Admin().NewSerialsAsync("licence")).Single();
        for (var i = 0; i < 3; i++)
            (await factory.CreateClient().PostAsJsonAsync("/api/validate", new { code, machine_code = "M" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var fourth = await factory.CreateClient().PostAsJsonAsync("/api/validate", new { code, machine_code = "M" });

        fourth.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await fourth.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().ShouldBe("rate_limited");
        fourth.Headers.RetryAfter.ShouldNotBeNull();
    }
}
