using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Derp.Distribution.Api.Services;
using Derp.ServiceDefaults.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Distribution.Api.Apis;

public sealed record BotDeliveryRequest(string? Channel, string? ExternalOrderId, string? ItemTitle, Guid? ItemId, string? Spec, int? Quantity, string? BuyerId);

public sealed record BotDeliveryResponse(Guid Id, string Status, DateTimeOffset ReadyAt, string? FailureReason, string Channel, string ExternalOrderId,
    int Quantity, IReadOnlyList<string> Items);

/// <summary>
/// The shop bot's API (anonymous at the gateway): the owner's API key (<c>Authorization: Bearer</c> or <c>X-Api-Key</c>)
/// is the authentication and names the owner. A delivery is idempotent on (owner, channel, externalOrderId).
/// </summary>
public static class StorefrontApi
{
    public static IEndpointRouteBuilder MapStorefrontApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/storefront").AllowAnonymous().WithTags("Storefront bot");
        api.MapPost("/deliveries", Deliver);
        api.MapGet("/deliveries/{id:guid}", GetDelivery);
        return routes;
    }

    private static async Task<IResult> Deliver(BotDeliveryRequest? request, HttpContext http, StorefrontKeys keys, StorefrontDeliveryEngine engine,
        IOptions<StorefrontOptions> options, CancellationToken ct)
    {
        var (key, refused) = await AuthenticateAsync(http, keys);
        if (refused is not null)
            return refused;
        if (request is null)
            return ApiProblems.Problem(400, ProblemCodes.InvalidRequest, "A request body is required.");
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Channel) || request.Channel.Trim().Length > 50)
            errors["channel"] = ["Name the shop channel (1 to 50 characters)."];
        if (string.IsNullOrWhiteSpace(request.ExternalOrderId) || request.ExternalOrderId.Trim().Length > 100)
            errors["externalOrderId"] = ["Give the shop's order id (1 to 100 characters)."];
        if ((request.BuyerId?.Length ?? 0) > 100)
            errors["buyerId"] = ["At most 100 characters."];
        ValidateItem(request.ItemTitle, request.ItemId, request.Spec, request.Quantity ?? 1, options.Value.MaxQuantity, errors);
        if (errors.Count > 0)
            return ApiProblems.Validation(errors);

        var order = new DeliveryOrder(request.Channel!.Trim(), request.ExternalOrderId!.Trim(), request.ItemTitle?.Trim(), request.ItemId,
            string.IsNullOrWhiteSpace(request.Spec) ? null : request.Spec.Trim(), request.Quantity ?? 1, request.BuyerId?.Trim());
        var delivery = await engine.DeliverAsync(key!.OwnerId, key.Id, order, ct);
        return TypedResults.Ok(ToResponse(delivery));
    }

    private static async Task<IResult> GetDelivery(Guid id, HttpContext http, StorefrontKeys keys, StorefrontDeliveryEngine engine, DistributionContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var (key, refused) = await AuthenticateAsync(http, keys);
        if (refused is not null)
            return refused;
        var delivery = await Find(db, id, key!.OwnerId, ct);
        if (delivery is null)
            return ApiProblems.NotFound(DistributionProblemCodes.DeliveryNotFound, "No such delivery.");
        // Due but the job has not come by yet: assign it now. The row lock makes the job and concurrent GETs agree: whoever
        // waited for it reads what the first one assigned.
        if (delivery.Status == DeliveryStatuses.Scheduled && delivery.ReadyAt <= clock.GetUtcNow())
        {
            await engine.CompleteIfDueAsync(id, skipLocked: false, ct);
            delivery = (await Find(db, id, key.OwnerId, ct))!;
        }
        return TypedResults.Ok(ToResponse(delivery));
    }

    private static Task<StorefrontDelivery?> Find(DistributionContext db, Guid id, Guid ownerId, CancellationToken ct) =>
        db.StorefrontDeliveries.AsNoTracking().Include(d => d.Items.OrderBy(i => i.Position)).SingleOrDefaultAsync(d => d.Id == id && d.OwnerId == ownerId, ct);

    private static async Task<(StorefrontApiKey? Key, IResult? Refused)> AuthenticateAsync(HttpContext http, StorefrontKeys keys) =>
        await keys.CheckAsync(http) switch
        {
            KeyCheck.Valid valid => (valid.Key, null),
            KeyCheck.Throttled throttled => (null, ApiProblems.RetryLater(429, DistributionProblemCodes.ApiKeyAttemptsExceeded,
                "Too many requests with a wrong API key from this address.", throttled.RetryAfter)),
            _ => (null, ApiProblems.Problem(401, DistributionProblemCodes.InvalidApiKey, "A valid storefront API key is required.",
                "Send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.")),
        };

    /// <summary>The item fields shared by a delivery and a dry run.</summary>
    public static void ValidateItem(string? itemTitle, Guid? itemId, string? spec, int quantity, int maxQuantity, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(itemTitle) && (itemId is null || itemId == Guid.Empty))
            errors["itemTitle"] = ["Give the item's title (matched against the keyword rules) or itemId (a card id)."];
        if ((itemTitle?.Length ?? 0) > 500)
            errors["itemTitle"] = ["At most 500 characters."];
        if ((spec?.Length ?? 0) > 200)
            errors["spec"] = ["At most 200 characters."];
        if (quantity < 1 || quantity > maxQuantity)
            errors["quantity"] = [$"Quantity is between 1 and {maxQuantity}."];
    }

    public static BotDeliveryResponse ToResponse(StorefrontDelivery d) => new(d.Id, d.Status, d.ReadyAt, d.FailureReason, d.Channel, d.ExternalOrderId,
        d.Quantity, d.Items.OrderBy(i => i.Position).Select(i => i.Content).ToList());
}
