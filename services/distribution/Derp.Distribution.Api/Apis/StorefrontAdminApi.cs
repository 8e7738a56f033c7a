using System.Text.Json;
using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Derp.Distribution.Api.Services;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.Api.Apis;

public sealed record CardApiConfig(string? Url, string? Method, Dictionary<string, string>? Headers, string? Body, int? TimeoutSeconds, int? Retries, string? ResponseField);

public sealed record CardRequest(string? Name, string? Type, bool? Enabled, int? DelaySeconds, string? SpecName, string? SpecValue, Guid? PlanId,
    string? Template, string? ImageUrl, CardApiConfig? Api, int? LowStockThreshold);

public sealed record CardResponse(Guid Id, string Name, string Type, bool Enabled, int DelaySeconds, string? SpecName, string? SpecValue, Guid? PlanId,
    string? Template, string? ImageUrl, CardApiConfig? Api, int LowStockThreshold, int? Stock, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PoolLinesRequest(List<string>? Lines);

public sealed record PoolLineResponse(long Id, string Content, DateTimeOffset CreatedAt, Guid? DeliveryId, DateTimeOffset? DeliveredAt);

public sealed record RuleRequest(string? Keyword, Guid? CardId, int? Priority);

public sealed record RuleResponse(Guid Id, string Keyword, Guid CardId, int Priority, DateTimeOffset CreatedAt);

public sealed record ApiKeyRequest(string? Name);

public sealed record ApiKeyResponse(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

public sealed record CreatedApiKeyResponse(Guid Id, string Name, string Prefix, string Key, DateTimeOffset CreatedAt);

public sealed record DryRunRequest(string? ItemTitle, Guid? ItemId, string? Spec, int? Quantity);

public sealed record OwnerDeliveryResponse(Guid Id, string Channel, string ExternalOrderId, string? ItemTitle, Guid? ItemId, string? Spec, int Quantity,
    string? BuyerId, Guid? CardId, string? CardName, string Status, string? FailureReason, DateTimeOffset CreatedAt, DateTimeOffset ReadyAt,
    DateTimeOffset? CompletedAt, IReadOnlyList<string> Items);

public sealed record AlertResponse(Guid Id, Guid CardId, string? CardName, int Remaining, int Threshold, DateTimeOffset RaisedAt, DateTimeOffset? ResolvedAt);

/// <summary>
/// An owner's storefront (seed 003): cards, pool lines, keyword rules, API keys, the delivery log, dry runs and
/// low-stock alerts. Owners are distributors and admins (as themselves); every query is scoped to the caller, and
/// another owner's ids answer 404, as unknown ones do.
/// </summary>
public static class StorefrontAdminApi
{
    public static IEndpointRouteBuilder MapStorefrontAdminApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/distribution/storefront").RequireAuthorization(Policies.AdminOrDistributor).WithTags("Storefront");

        api.MapGet("/cards", ListCards);
        api.MapGet("/cards/{id:guid}", GetCard);
        api.MapPost("/cards", CreateCard);
        api.MapPut("/cards/{id:guid}", UpdateCard);
        api.MapDelete("/cards/{id:guid}", DeleteCard);
        api.MapPost("/cards/{id:guid}/lines", AddLines);
        api.MapGet("/cards/{id:guid}/lines", ListLines);

        api.MapGet("/rules", ListRules);
        api.MapPost("/rules", CreateRule);
        api.MapPut("/rules/{id:guid}", UpdateRule);
        api.MapDelete("/rules/{id:guid}", DeleteRule);

        api.MapGet("/keys", ListKeys);
        api.MapPost("/keys", CreateKey);
        api.MapDelete("/keys/{id:guid}", RevokeKey);

        api.MapGet("/deliveries", ListDeliveries);
        api.MapGet("/deliveries/{id:guid}", GetDelivery);
        api.MapPost("/dry-run", DryRun);
        api.MapGet("/alerts", ListAlerts);
        return routes;
    }

    public const int MaxLinesPerRequest = 10_000;
    public const int MaxLineLength = 2_000;

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult CardNotFound() => ApiProblems.NotFound(DistributionProblemCodes.CardNotFound, "No such card.");

    private static async Task<IResult> ListCards(HttpContext http, DistributionContext db, StorefrontDeliveryEngine engine, TimeProvider clock, CancellationToken ct)
    {
        var owner = http.User.UserId();
        var cards = await db.StorefrontCards.AsNoTracking().Where(c => c.OwnerId == owner).OrderBy(c => c.Name).ThenBy(c => c.SpecValue).ToListAsync(ct);
        var result = new List<CardResponse>(cards.Count);
        foreach (var card in cards)
            result.Add(await ToResponse(card, engine, clock, ct));
        return TypedResults.Ok(result);
    }

    private static async Task<IResult> GetCard(Guid id, HttpContext http, DistributionContext db, StorefrontDeliveryEngine engine, TimeProvider clock, CancellationToken ct)
    {
        var owner = http.User.UserId();
        var card = await db.StorefrontCards.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id && c.OwnerId == owner, ct);
        return card is null ? CardNotFound() : TypedResults.Ok(await ToResponse(card, engine, clock, ct));
    }

    private static async Task<IResult> CreateCard(CardRequest? request, HttpContext http, DistributionContext db, StorefrontDeliveryEngine engine,
        TimeProvider clock, CancellationToken ct)
    {
        if (request is null)
            return ApiProblems.Problem(400, ProblemCodes.InvalidRequest, "A request body is required.");
        var errors = ValidateCard(request, typeChangeFrom: null);
        if (errors.Count > 0)
            return ApiProblems.Validation(errors);
        var now = clock.GetUtcNow();
        var card = new StorefrontCard { Id = Guid.CreateVersion7(), OwnerId = http.User.UserId(), Name = "", Type = request.Type!, CreatedAt = now };
        Apply(card, request, now);
        db.StorefrontCards.Add(card);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/distribution/storefront/cards/{card.Id}", await ToResponse(card, engine, clock, ct));
    }

    private static async Task<IResult> UpdateCard(Guid id, CardRequest? request, HttpContext http, DistributionContext db, StorefrontDeliveryEngine engine,
        TimeProvider clock, CancellationToken ct)
    {
        if (request is null)
            return ApiProblems.Problem(400, ProblemCodes.InvalidRequest, "A request body is required.");
        var owner = http.User.UserId();
        var card = await db.StorefrontCards.SingleOrDefaultAsync(c => c.Id == id && c.OwnerId == owner, ct);
        if (card is null)
            return CardNotFound();
        var errors = ValidateCard(request, typeChangeFrom: card.Type);
        if (errors.Count > 0)
            return ApiProblems.Validation(errors);
        if (request.Type != card.Type && card.Type == CardTypes.Data && await db.StorefrontPoolLines.AnyAsync(l => l.CardId == card.Id, ct))
            return ApiProblems.Conflict(DistributionProblemCodes.CardTypeMismatch, "A data card with pool lines cannot change its type.");
        Apply(card, request, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await engine.CheckStockAsync(card, ct);
        return TypedResults.Ok(await ToResponse(card, engine, clock, ct));
    }

    private static async Task<IResult> DeleteCard(Guid id, HttpContext http, DistributionContext db, CancellationToken ct)
    {
        var owner = http.User.UserId();
        // Rules and pool lines go with the card (cascade); delivered content stays in the delivery log.
        var deleted = await db.StorefrontCards.Where(c => c.Id == id && c.OwnerId == owner).ExecuteDeleteAsync(ct);
        if (deleted == 0)
            return CardNotFound();
        await db.StorefrontLowStockAlerts.Where(a => a.CardId == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> AddLines(Guid id, PoolLinesRequest? request, HttpContext http, DistributionContext db, StorefrontDeliveryEngine engine,
        TimeProvider clock, CancellationToken ct)
    {
        var owner = http.User.UserId();
        var card = await db.StorefrontCards.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id && c.OwnerId == owner, ct);
        if (card is null)
            return CardNotFound();
        if (card.Type != CardTypes.Data)
            return ApiProblems.Conflict(DistributionProblemCodes.CardTypeMismatch, "Only data cards have pool lines.");
        var lines = request?.Lines?.Where(l => l is not null).Select(l => l.Trim()).Where(l => l.Length > 0).ToList() ?? [];
        if (lines.Count == 0)
            return ApiProblems.Validation("lines", "Give at least one non-empty line.");
        if (lines.Count > MaxLinesPerRequest)
            return ApiProblems.Validation("lines", $"At most {MaxLinesPerRequest} lines per request.");
        if (lines.Any(l => l.Length > MaxLineLength))
            return ApiProblems.Validation("lines", $"A line is at most {MaxLineLength} characters.");
        var now = clock.GetUtcNow();
        db.StorefrontPoolLines.AddRange(lines.Select(l => new StorefrontPoolLine { CardId = id, OwnerId = owner, Content = l, CreatedAt = now }));
        await db.SaveChangesAsync(ct);
        await engine.CheckStockAsync(card, ct);
        return TypedResults.Ok(new { added = lines.Count, available = await engine.CountStockAsync(card, now, ct) });
    }

    private static async Task<IResult> ListLines(Guid id, HttpContext http, DistributionContext db, bool? delivered, int page = 1, int pageSize = 50,
        CancellationToken ct = default)
    {
        if (Paging.Check(page, pageSize) is { } bad)
            return bad;
        var owner = http.User.UserId();
        if (!await db.StorefrontCards.AnyAsync(c => c.Id == id && c.OwnerId == owner, ct))
            return CardNotFound();
        var query = db.StorefrontPoolLines.AsNoTracking().Where(l => l.CardId == id && l.OwnerId == owner);
        if (delivered is { } d)
            query = d ? query.Where(l => l.DeliveredAt != null) : query.Where(l => l.DeliveredAt == null);
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(l => l.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(l => new PoolLineResponse(l.Id, l.Content, l.CreatedAt, l.DeliveryId, l.DeliveredAt)).ToListAsync(ct);
        return TypedResults.Ok(new PagedResponse<PoolLineResponse>(items, total, page, pageSize));
    }

    private static async Task<IResult> ListRules(HttpContext http, DistributionContext db, CancellationToken ct)
    {
        var owner = http.User.UserId();
        return TypedResults.Ok(await db.StorefrontRules.AsNoTracking().Where(r => r.OwnerId == owner)
            .OrderByDescending(r => r.Priority).ThenBy(r => r.CreatedAt)
            .Select(r => new RuleResponse(r.Id, r.Keyword, r.CardId, r.Priority, r.CreatedAt)).ToListAsync(ct));
    }

    private static async Task<IResult> CreateRule(RuleRequest? request, HttpContext http, DistributionContext db, TimeProvider clock, CancellationToken ct)
    {
        var owner = http.User.UserId();
        if (ValidateRule(request) is { } invalid)
            return invalid;
        if (!await db.StorefrontCards.AnyAsync(c => c.Id == request!.CardId && c.OwnerId == owner, ct))
            return CardNotFound();
        var rule = new StorefrontRule
        {
            Id = Guid.CreateVersion7(), OwnerId = owner, Keyword = request!.Keyword!.Trim(), CardId = request.CardId!.Value,
            Priority = request.Priority ?? 0, CreatedAt = clock.GetUtcNow(),
        };
        db.StorefrontRules.Add(rule);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/distribution/storefront/rules/{rule.Id}", new RuleResponse(rule.Id, rule.Keyword, rule.CardId, rule.Priority, rule.CreatedAt));
    }

    private static async Task<IResult> UpdateRule(Guid id, RuleRequest? request, HttpContext http, DistributionContext db, CancellationToken ct)
    {
        var owner = http.User.UserId();
        var rule = await db.StorefrontRules.SingleOrDefaultAsync(r => r.Id == id && r.OwnerId == owner, ct);
        if (rule is null)
            return ApiProblems.NotFound(DistributionProblemCodes.RuleNotFound, "No such rule.");
        if (ValidateRule(request) is { } invalid)
            return invalid;
        if (!await db.StorefrontCards.AnyAsync(c => c.Id == request!.CardId && c.OwnerId == owner, ct))
            return CardNotFound();
        rule.Keyword = request!.Keyword!.Trim();
        rule.CardId = request.CardId!.Value;
        rule.Priority = request.Priority ?? 0;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new RuleResponse(rule.Id, rule.Keyword, rule.CardId, rule.Priority, rule.CreatedAt));
    }

    private static async Task<IResult> DeleteRule(Guid id, HttpContext http, DistributionContext db, CancellationToken ct)
    {
        var owner = http.User.UserId();
        return await db.StorefrontRules.Where(r => r.Id == id && r.OwnerId == owner).ExecuteDeleteAsync(ct) == 0
            ? ApiProblems.NotFound(DistributionProblemCodes.RuleNotFound, "No such rule.")
            : TypedResults.NoContent();
    }

    private static async Task<IResult> ListKeys(HttpContext http, DistributionContext db, CancellationToken ct)
    {
        var owner = http.User.UserId();
        return TypedResults.Ok(await db.StorefrontApiKeys.AsNoTracking().Where(k => k.OwnerId == owner).OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeyResponse(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt)).ToListAsync(ct));
    }

    private static async Task<IResult> CreateKey(ApiKeyRequest? request, HttpContext http, DistributionContext db, TimeProvider clock, CancellationToken ct)
    {
        var name = request?.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
            return ApiProblems.Validation("name", "Name the key (1 to 100 characters).");
        var (key, prefix, hash) = StorefrontKeys.NewKey();
        var row = new StorefrontApiKey { Id = Guid.CreateVersion7(), OwnerId = http.User.UserId(), Name = name, Prefix = prefix, Hash = hash, CreatedAt = clock.GetUtcNow() };
        db.StorefrontApiKeys.Add(row);
        await db.SaveChangesAsync(ct);
        // The only time the key is shown: only its hash is kept.
        return TypedResults.Created($"/api/distribution/storefront/keys/{row.Id}", new CreatedApiKeyResponse(row.Id, row.Name, prefix, key, row.CreatedAt));
    }

    private static async Task<IResult> RevokeKey(Guid id, HttpContext http, DistributionContext db, TimeProvider clock, CancellationToken ct)
    {
        var owner = http.User.UserId();
        var key = await db.StorefrontApiKeys.SingleOrDefaultAsync(k => k.Id == id && k.OwnerId == owner, ct);
        if (key is null)
            return ApiProblems.NotFound(DistributionProblemCodes.ApiKeyNotFound, "No such API key.");
        key.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ListDeliveries(HttpContext http, DistributionContext db, string? status, string? channel, int page = 1, int pageSize = 50,
        CancellationToken ct = default)
    {
        if (Paging.Check(page, pageSize) is { } bad)
            return bad;
        if (status is not null && !DeliveryStatuses.All.Contains(status))
            return ApiProblems.Validation("status", $"Status is one of {string.Join(", ", DeliveryStatuses.All)}.");
        var owner = http.User.UserId();
        var query = db.StorefrontDeliveries.AsNoTracking().Where(d => d.OwnerId == owner);
        if (status is not null)
            query = query.Where(d => d.Status == status);
        if (!string.IsNullOrEmpty(channel))
            query = query.Where(d => d.Channel == channel);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Include(d => d.Items.OrderBy(i => i.Position)).AsSplitQuery().ToListAsync(ct);
        return TypedResults.Ok(new PagedResponse<OwnerDeliveryResponse>(rows.Select(ToResponse).ToList(), total, page, pageSize));
    }

    private static async Task<IResult> GetDelivery(Guid id, HttpContext http, DistributionContext db, CancellationToken ct)
    {
        var owner = http.User.UserId();
        var delivery = await db.StorefrontDeliveries.AsNoTracking().Include(d => d.Items.OrderBy(i => i.Position))
            .SingleOrDefaultAsync(d => d.Id == id && d.OwnerId == owner, ct);
        return delivery is null ? ApiProblems.NotFound(DistributionProblemCodes.DeliveryNotFound, "No such delivery.") : TypedResults.Ok(ToResponse(delivery));
    }

    private static async Task<IResult> DryRun(DryRunRequest? request, HttpContext http, StorefrontDeliveryEngine engine,
        Microsoft.Extensions.Options.IOptions<StorefrontOptions> options, CancellationToken ct)
    {
        if (request is null)
            return ApiProblems.Problem(400, ProblemCodes.InvalidRequest, "A request body is required.");
        var errors = new Dictionary<string, string[]>();
        StorefrontApi.ValidateItem(request.ItemTitle, request.ItemId, request.Spec, request.Quantity ?? 1, options.Value.MaxQuantity, errors);
        if (errors.Count > 0)
            return ApiProblems.Validation(errors);
        var result = await engine.DryRunAsync(http.User.UserId(), request.ItemTitle?.Trim(), request.ItemId, request.Spec, request.Quantity ?? 1, ct);
        return TypedResults.Ok(result);
    }

    private static async Task<IResult> ListAlerts(HttpContext http, DistributionContext db, StorefrontDeliveryEngine engine, bool? includeResolved,
        CancellationToken ct)
    {
        var owner = http.User.UserId();
        // Serial stock also changes outside the storefront (new batches, redemptions): recheck before answering.
        var stocked = await db.StorefrontCards.AsNoTracking()
            .Where(c => c.OwnerId == owner && (c.Type == CardTypes.Serial || c.Type == CardTypes.Data)).ToListAsync(ct);
        foreach (var card in stocked)
            await engine.CheckStockAsync(card, ct);
        var query = db.StorefrontLowStockAlerts.AsNoTracking().Where(a => a.OwnerId == owner);
        if (includeResolved != true)
            query = query.Where(a => a.ResolvedAt == null);
        var alerts = await query.OrderByDescending(a => a.RaisedAt).Take(200).ToListAsync(ct);
        var names = stocked.ToDictionary(c => c.Id, c => c.Name);
        return TypedResults.Ok(alerts.Select(a => new AlertResponse(a.Id, a.CardId, names.GetValueOrDefault(a.CardId), a.Remaining, a.Threshold, a.RaisedAt, a.ResolvedAt)).ToList());
    }

    public static OwnerDeliveryResponse ToResponse(StorefrontDelivery d) => new(d.Id, d.Channel, d.ExternalOrderId, d.ItemTitle, d.ItemId, d.Spec, d.Quantity,
        d.BuyerId, d.CardId, d.CardName, d.Status, d.FailureReason, d.CreatedAt, d.ReadyAt, d.CompletedAt, d.Items.OrderBy(i => i.Position).Select(i => i.Content).ToList());

    private static async Task<CardResponse> ToResponse(StorefrontCard c, StorefrontDeliveryEngine engine, TimeProvider clock, CancellationToken ct)
    {
        int? stock = c.Type is CardTypes.Serial or CardTypes.Data ? await engine.CountStockAsync(c, clock.GetUtcNow(), ct) : null;
        var api = c.Type == CardTypes.Api
            ? new CardApiConfig(c.ApiUrl, c.ApiMethod, c.ApiHeadersJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(c.ApiHeadersJson),
                c.ApiBody, c.ApiTimeoutSeconds, c.ApiRetries, c.ApiResponseField)
            : null;
        return new CardResponse(c.Id, c.Name, c.Type, c.Enabled, c.DelaySeconds, c.SpecName, c.SpecValue, c.PlanId, c.Template, c.ImageUrl, api,
            c.LowStockThreshold, stock, c.CreatedAt, c.UpdatedAt);
    }

    private static void Apply(StorefrontCard card, CardRequest r, DateTimeOffset now)
    {
        card.Name = r.Name!.Trim();
        card.Type = r.Type!;
        card.Enabled = r.Enabled ?? true;
        card.DelaySeconds = r.DelaySeconds ?? 0;
        card.SpecName = string.IsNullOrWhiteSpace(r.SpecName) ? null : StorefrontText.NormalizeSpec(r.SpecName);
        card.SpecValue = string.IsNullOrWhiteSpace(r.SpecValue) ? null : StorefrontText.NormalizeSpec(r.SpecValue);
        card.PlanId = r.Type == CardTypes.Serial ? r.PlanId : null;
        card.Template = string.IsNullOrEmpty(r.Template) ? null : r.Template;
        card.ImageUrl = r.Type == CardTypes.Image ? r.ImageUrl!.Trim() : null;
        var api = r.Type == CardTypes.Api ? r.Api : null;
        card.ApiUrl = api?.Url?.Trim();
        card.ApiMethod = api is null ? null : (api.Method ?? "GET").ToUpperInvariant();
        card.ApiHeadersJson = api?.Headers is { Count: > 0 } h ? JsonSerializer.Serialize(h) : null;
        card.ApiBody = api?.Body;
        card.ApiTimeoutSeconds = api?.TimeoutSeconds ?? (api is null ? 0 : 10);
        card.ApiRetries = api?.Retries ?? 0;
        card.ApiResponseField = string.IsNullOrWhiteSpace(api?.ResponseField) ? null : api.ResponseField.Trim();
        card.LowStockThreshold = r.LowStockThreshold ?? 0;
        card.UpdatedAt = now;
    }

    private static Dictionary<string, string[]> ValidateCard(CardRequest r, string? typeChangeFrom)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];
        if (string.IsNullOrWhiteSpace(r.Name) || r.Name.Trim().Length > 100)
            Error("name", "Name the card (1 to 100 characters).");
        if (r.Type is null || !CardTypes.All.Contains(r.Type))
            Error("type", $"Type is one of {string.Join(", ", CardTypes.All)}.");
        if (r.DelaySeconds is < 0 or > 7 * 24 * 3600)
            Error("delaySeconds", "Delay is between 0 and 604800 seconds (7 days).");
        if (r.LowStockThreshold is < 0 or > 1_000_000)
            Error("lowStockThreshold", "Threshold is between 0 and 1000000.");
        if ((r.SpecName?.Length ?? 0) > 50)
            Error("specName", "At most 50 characters.");
        if ((r.SpecValue?.Length ?? 0) > 100)
            Error("specValue", "At most 100 characters.");
        if (!string.IsNullOrWhiteSpace(r.SpecName) && string.IsNullOrWhiteSpace(r.SpecValue))
            Error("specValue", "A spec name needs a spec value.");
        if ((r.Template?.Length ?? 0) > 10_000)
            Error("template", "At most 10000 characters.");
        switch (r.Type)
        {
            case CardTypes.Serial when r.PlanId is null || r.PlanId == Guid.Empty:
                Error("planId", "A serial card delivers serials of a plan: give planId.");
                break;
            case CardTypes.Text when string.IsNullOrWhiteSpace(r.Template):
                Error("template", "A text card needs its template.");
                break;
            case CardTypes.Image when !IsHttpUrl(r.ImageUrl) && !(r.ImageUrl?.StartsWith('/') ?? false):
                Error("imageUrl", "An image card needs an http(s) URL or a site path.");
                break;
            case CardTypes.Api:
                ValidateApi(r.Api, Error);
                break;
        }
        return errors;
    }

    private static void ValidateApi(CardApiConfig? api, Action<string, string> error)
    {
        if (api is null)
        {
            error("api", "An api card needs its api settings.");
            return;
        }
        // Placeholders are filled per order; check the URL with neutral values in their place.
        var probe = api.Url is null ? null : StorefrontText.Render(api.Url, new DeliveryPlaceholders("x", "x", "x", "x", 1, "x"));
        if (!IsHttpUrl(probe) || api.Url!.Length > 2_000)
            error("api.url", "The URL must be an absolute http or https URL (at most 2000 characters).");
        if (api.Method is not null && !StorefrontApiCaller.Methods.Contains(api.Method.ToUpperInvariant()))
            error("api.method", "Method is GET, POST or PUT.");
        if (api.TimeoutSeconds is < 1 or > 30)
            error("api.timeoutSeconds", "Timeout is between 1 and 30 seconds.");
        if (api.Retries is < 0 or > 5)
            error("api.retries", "Retries are between 0 and 5.");
        if ((api.Body?.Length ?? 0) > 10_000)
            error("api.body", "At most 10000 characters.");
        if ((api.ResponseField?.Length ?? 0) > 200)
            error("api.responseField", "At most 200 characters.");
        if (api.Headers is { } headers && (headers.Count > 20 || headers.Any(h => string.IsNullOrWhiteSpace(h.Key) || h.Key.Length > 100
                || h.Value is null || h.Value.Length > 1000 || h.Key.Any(c => c <= ' ' || c >= 127 || c == ':'))))
            error("api.headers", "At most 20 headers with token names and values of at most 1000 characters.");
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem? ValidateRule(RuleRequest? r)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(r?.Keyword) || r.Keyword.Trim().Length > 100)
            errors["keyword"] = ["Give a keyword (1 to 100 characters)."];
        if (r?.CardId is null || r.CardId == Guid.Empty)
            errors["cardId"] = ["Give the card the keyword maps to."];
        if (r?.Priority is < -1_000_000 or > 1_000_000)
            errors["priority"] = ["Priority is between -1000000 and 1000000."];
        return errors.Count > 0 ? ApiProblems.Validation(errors) : null;
    }
}
