using Derp.Contracts.Serials;
using System.Text.Json;
using System.Text.Json.Serialization;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Model;
using Derp.Serials.Api.Services;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Redis;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Serials.Api.Apis;

/// <summary>The request of requirements §3.6, as the client software sends it.</summary>
public sealed record ValidateRequest(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("machine_code")] string? MachineCode,
    [property: JsonPropertyName("hardware")] string? Hardware = null,
    [property: JsonPropertyName("function")] string? Function = null,
    [property: JsonPropertyName("nonce")] string? Nonce = null);

/// <summary>The response shape licence clients expect (requirements §3.6): {"status":"success","message":"授权成功",...} or {"status":"error","code":...}.</summary>
public sealed record ValidateResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null,
    [property: JsonPropertyName("expires_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ExpiresAt = null,
    [property: JsonPropertyName("data_key"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DataKey = null);

/// <summary>The validation endpoint's dependencies: singletons only, the database context is taken only by decisions that write.</summary>
public sealed record ValidateServices(
    IRateLimiter RateLimiter,
    ReplayGuard Nonces,
    ResponseSigner Signer,
    ValidationRecorder Recorder,
    DataKeyCache DataKeys,
    LicenceView Licences,
    IOptions<SerialsOptions> Options,
    TimeProvider Clock);

/// <summary>Source-generated JSON for the hottest endpoint (no reflection, no per-call metadata).</summary>
[JsonSerializable(typeof(ValidateRequest))]
[JsonSerializable(typeof(ValidateResponse))]
internal sealed partial class ValidateJson : JsonSerializerContext
{
    /// <summary>The response's Chinese messages stay readable in the body (as before the source generation).</summary>
    public static ValidateJson Relaxed { get; } = new(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}

public static partial class ValidateApi
{
    /// <summary>The function that opens the client program: only it receives the data key (requirements §3.6).</summary>
    public const string OpenFunction = "open";

    /// <summary>How long a used nonce is remembered (a signed answer's timestamp is checked by clients against it).</summary>
    private static readonly TimeSpan NonceMemory = TimeSpan.FromMinutes(10);

    public static RouteGroupBuilder MapValidateApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/validate").WithTags("Licence validation").AllowAnonymous();
        api.MapPost("", Validate);
        api.MapGet("public-key", (ResponseSigner signer) =>
            TypedResults.Ok(new { algorithm = "ECDSA-P256-SHA256", format = "IEEE-P1363", signed = "timestamp\\nnonce\\nbody", publicKeyPem = signer.PublicKeyPem }));
        return api;
    }

    public static async Task<IResult> Validate(HttpContext http, [AsParameters] ValidateServices services)
    {
        var options = services.Options.Value;
        var now = services.Clock.GetUtcNow();
        var ip = http.ClientIp();
        ValidateRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(http.Request.Body, ValidateJson.Default.ValidateRequest, http.RequestAborted);
        }
        catch (JsonException)
        {
            request = null;
        }
        // The nonce is echoed in a header: only a safe token is, anything else is refused with an unsigned-nonce answer.
        var nonce = request?.Nonce is { } given && SafeNonce().IsMatch(given) ? given : "";
        var invalidField = request is null ? "body" : Invalid(request);
        if (invalidField is not null)
            return Reply(services, nonce, 400, Error("invalid_request", $"请求参数无效 / invalid request: {invalidField}"));

        var code = SerialCodes.Normalize(request!.Code!);
        if (await RateLimitedAsync(http, services, "validate:ip:" + ip, options.ValidatePerIp, options.ValidateWindow)
            || await RateLimitedAsync(http, services, "validate:code:" + code, options.ValidatePerCode, options.ValidateWindow))
            return Reply(services, nonce, 429, Error("rate_limited", "请求过于频繁 / too many requests"));

        // The hot path: the serial from memory (ADR-028); a miss reads it once and keeps it.
        var serial = await services.Licences.GetAsync(code, http.RequestAborted);
        if (serial is null)
            return Reply(services, nonce, 404, NotFound);
        if (serial.Kind != SerialKinds.Licence)
            return Reply(services, nonce, 422, WrongKind);

        if (request.Nonce is { Length: > 0 } && !await services.Nonces.FirstUseAsync($"{serial.Id:N}:{request.Nonce}", NonceMemory))
            return Reply(services, nonce, 409, Error("nonce_reused", "请求重复 / nonce already used"));

        var hardware = request.Hardware ?? request.MachineCode!;
        // Decisions that only read the row are made on it; the clock is checked on every call.
        switch (serial.Status)
        {
            case SerialStatuses.Disabled:
                return Reply(services, nonce, 403, Disabled);
            case SerialStatuses.Expired:
                return Reply(services, nonce, 403, Error("serial_expired", "卡密已过期 / serial expired", serial.ExpiresAt));
            case SerialStatuses.Active when serial.ExpiresAt > now && serial.Client is not null && Matches(serial, request, hardware, ip):
                services.Recorder.Record(new AcceptedValidation(serial.Id, hardware, ip, request.Function, http.UserAgent(), serial.ExpiresAt, now));
                if (serial.BindingPolicy == BindingPolicies.Lenient)
                    services.Licences.Rebound(code, serial, hardware, ip);
                return await SuccessAsync(http, services, nonce, serial, request);
        }

        // Everything else writes (activation, binding, expiry, a mismatch): decided on the committed row, not on memory.
        serial = await services.Licences.LoadFreshAsync(code, http.RequestAborted);
        if (serial is null)
            return Reply(services, nonce, 404, NotFound);
        var db = http.RequestServices.GetRequiredService<SerialsContext>();
        try
        {
            switch (serial.Status)
            {
                case SerialStatuses.Disabled:
                    return Reply(services, nonce, 403, Disabled);
                case SerialStatuses.Expired:
                case SerialStatuses.Unused when serial.ValidUntil <= now:
                case SerialStatuses.Active when serial.ExpiresAt <= now:
                    await ExpireAsync(db, serial.Id, now);
                    return Reply(services, nonce, 403, Error("serial_expired", "卡密已过期 / serial expired", serial.ExpiresAt));
                case SerialStatuses.Unused:
                {
                    (serial, var activatedHere) = await ActivateAsync(db, serial, request, hardware, ip, http.UserAgent(), now);
                    if (!activatedHere && serial.Client is not null && !Matches(serial, request, hardware, ip))
                    {
                        await RecordMismatchAsync(db, serial, request, ip, http.UserAgent(), now);
                        return Reply(services, nonce, 403, Error("binding_mismatch", "卡密已绑定其他设备 / bound to another client"));
                    }
                    break;
                }
                case SerialStatuses.Active when serial.Client is null:
                    await BindAsync(db, serial.Id, request, hardware, ip, now); // unbound by an admin: the next client binds
                    break;
                case SerialStatuses.Active when !Matches(serial, request, hardware, ip):
                    await RecordMismatchAsync(db, serial, request, ip, http.UserAgent(), now);
                    return Reply(services, nonce, 403, Error("binding_mismatch", "卡密已绑定其他设备 / bound to another client"));
                case SerialStatuses.Active:
                    services.Recorder.Record(new AcceptedValidation(serial.Id, hardware, ip, request.Function, http.UserAgent(), serial.ExpiresAt, now));
                    break;
                default:
                    return Reply(services, nonce, 409, Error("serial_already_used", "卡密不可用 / serial not usable"));
            }
        }
        finally
        {
            // This process may have just changed the row: the next call reads it again rather than wait for the notification.
            services.Licences.Forget(code);
        }
        return await SuccessAsync(http, services, nonce, serial, request);
    }

    private static readonly ValidateResponse NotFound = Error("serial_not_found", "卡密不存在 / unknown serial");
    private static readonly ValidateResponse WrongKind = Error("serial_wrong_kind", "该卡密不能用于授权 / not a licence serial");
    private static readonly ValidateResponse Disabled = Error("serial_disabled", "卡密已禁用 / serial disabled");

    private static async Task<IResult> SuccessAsync(HttpContext http, ValidateServices services, string nonce, Serial serial, ValidateRequest request)
    {
        var dataKey = request.Function == OpenFunction ? await services.DataKeys.GetAsync(serial.BatchId, http.RequestAborted) : null;
        return Reply(services, nonce, 200, new ValidateResponse("success", "授权成功", ExpiresAt: serial.ExpiresAt, DataKey: dataKey));
    }

    /// <summary>One rate limit (the call as the limits building block expects it); sets Retry-After when refused.</summary>
    private static async ValueTask<bool> RateLimitedAsync(HttpContext http, ValidateServices services, string key, int limit, TimeSpan window)
    {
        var decision = await services.RateLimiter.HitAsync(key, limit, window);
        if (decision.Allowed)
            return false;
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(decision.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }

    private static bool Matches(Serial serial, ValidateRequest request, string hardware, string ip) => serial.BindingPolicy switch
    {
        BindingPolicies.Lenient => hardware == serial.Client!.Hardware || ip == serial.Client.Ip,
        _ => request.MachineCode == serial.Client!.MachineCode,
    };

    private static async Task<(Serial Serial, bool ActivatedHere)> ActivateAsync(SerialsContext db, Serial serial, ValidateRequest request, string hardware, string ip,
        string userAgent, DateTimeOffset now)
    {
        var expiresAt = now + serial.LicenceDuration!.Value;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var activated = await db.Serials.Where(s => s.Id == serial.Id && s.Status == SerialStatuses.Unused)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SerialStatuses.Active).SetProperty(x => x.FirstUsedAt, now).SetProperty(x => x.ExpiresAt, expiresAt));
        if (activated == 0)
        {
            // A concurrent first call activated it: this call is judged against that binding.
            await transaction.RollbackAsync();
            return (await db.Serials.AsNoTracking().Include(s => s.Client).SingleAsync(s => s.Id == serial.Id), false);
        }
        await BindAsync(db, serial.Id, request, hardware, ip, now);
        db.UseLogs.Add(new SerialUseLog
        {
            SerialId = serial.Id, BatchId = serial.BatchId, Action = SerialActions.Validate, UseType = UseTypes.Product,
            Ip = ip, UserAgent = userAgent, ExpiresAt = expiresAt, Remark = $"activated; {request.Function}", CreatedAt = now,
        });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        serial.Status = SerialStatuses.Active;
        serial.FirstUsedAt = now;
        serial.ExpiresAt = expiresAt;
        return (serial, true);
    }

    private static async Task BindAsync(SerialsContext db, Guid serialId, ValidateRequest request, string hardware, string ip, DateTimeOffset now)
    {
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO client_environments (serial_id, machine_code, hardware, ip, function, bound_at, last_request_at)
            VALUES ({serialId}, {request.MachineCode}, {hardware}, {ip}, {request.Function}, {now}, {now})
            ON CONFLICT (serial_id) DO NOTHING
            """);
    }

    private static Task<int> ExpireAsync(SerialsContext db, Guid serialId, DateTimeOffset now) =>
        db.Serials.Where(s => s.Id == serialId && (s.Status == SerialStatuses.Unused || s.Status == SerialStatuses.Active))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SerialStatuses.Expired));

    private static async Task RecordMismatchAsync(SerialsContext db, Serial serial, ValidateRequest request, string ip, string userAgent, DateTimeOffset now)
    {
        db.BindingMismatches.Add(new BindingMismatch
        {
            SerialId = serial.Id,
            FullCode = serial.FullCode,
            Policy = serial.BindingPolicy,
            RequestJson = JsonSerializer.Serialize(request, ValidateJson.Default.ValidateRequest),
            BoundMachineCode = serial.Client!.MachineCode,
            BoundHardware = serial.Client.Hardware,
            BoundIp = serial.Client.Ip,
            Ip = ip,
            UserAgent = userAgent,
            CreatedAt = now,
        });
        await db.SaveChangesAsync();
    }

    private static string? Invalid(ValidateRequest r) =>
        string.IsNullOrWhiteSpace(r.Code) || r.Code.Length > 64 ? "code"
        : string.IsNullOrWhiteSpace(r.MachineCode) || r.MachineCode.Length > 128 ? "machine_code"
        : r.Hardware is { Length: > 512 } ? "hardware"
        : r.Function is { Length: > 64 } ? "function"
        : r.Nonce is { Length: > 0 } && !SafeNonce().IsMatch(r.Nonce) ? "nonce"
        : null;

    /// <summary>A nonce is 1 to 128 URL-safe ASCII characters (it goes into the X-Derp-Nonce header and the signed text).</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9._~-]{1,128}$")]
    private static partial System.Text.RegularExpressions.Regex SafeNonce();

    private static ValidateResponse Error(string code, string message, DateTimeOffset? expiresAt = null) => new("error", message, code, expiresAt);

    private static SignedJsonResult Reply(ValidateServices services, string nonce, int status, ValidateResponse response)
    {
        SerialsMetrics.Validations.Add(1, new KeyValuePair<string, object?>("outcome", response.Code ?? "success"));
        return new SignedJsonResult(services.Signer, services.Clock, nonce, status, response);
    }
}

/// <summary>Writes the JSON body and its signature headers (see <see cref="ResponseSigner"/>).</summary>
public sealed class SignedJsonResult(ResponseSigner signer, TimeProvider clock, string nonce, int status, ValidateResponse body) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, ValidateJson.Relaxed.ValidateResponse);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers[ResponseSigner.TimestampHeader] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers[ResponseSigner.NonceHeader] = nonce;
        response.Headers[ResponseSigner.SignatureHeader] = signer.Sign(timestamp, nonce, bytes);
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }
}
