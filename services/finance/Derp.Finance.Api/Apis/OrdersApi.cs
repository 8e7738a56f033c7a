using System.Text.Json;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.IntegrationEvents;
using Derp.Finance.Api.Model;
using Derp.Finance.Api.Services;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Derp.Finance.Api.Apis;

public static class OrdersApi
{
    private const int MaxPageSize = 100;

    /// <summary>How many times a new order draws another memo or number when the drawn one is taken.</summary>
    private const int CodeAttempts = 5;

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/finance").WithTags("Orders").RequireAuthorization(Policies.Customer);
        api.MapPost("orders", Create).Validate<CreateOrderRequest>();
        api.MapGet("me/orders", ListMine);
        api.MapGet("me/orders/{id:guid}", GetMine);
        api.MapPost("me/orders/{id:guid}/cancel", Cancel);
        api.MapPost("me/orders/{id:guid}/pay-from-wallet", PayFromWallet);
        return routes;
    }

    public static async Task<Results<Created<OrderResponse>, ProblemHttpResult>> Create(CreateOrderRequest request, HttpContext http,
        FinanceContext db, TimeProvider clock, IOptions<FinanceOptions> options, CancellationToken cancellationToken)
    {
        var userId = http.User.UserId();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryCreateAsync(request.PlanId, userId, http, db, clock, options.Value, cancellationToken);
            }
            catch (DbUpdateException e) when (attempt < CodeAttempts && e.InnerException is PostgresException
                                              {
                                                  SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ix_orders_memo" or "ix_orders_number",
                                              })
            {
                // The memo (or number) drawn is taken by another pending order: draw again in a fresh transaction.
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<Results<Created<OrderResponse>, ProblemHttpResult>> TryCreateAsync(Guid planId, Guid userId, HttpContext http,
        FinanceContext db, TimeProvider clock, FinanceOptions options, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
        if (plan is null)
            return PlansApi.PlanNotFound();
        // The renter's row lock makes one renter's orders queue up, so the open-order limit holds under concurrency.
        var renter = await db.LockRenterAsync(userId, clock, cancellationToken);
        var type = renter.RentalId is not null && !renter.Deregistered ? OrderTypes.Renewal : OrderTypes.New;
        if (plan.Retired || (type == OrderTypes.New && !plan.Sell))
            return ApiProblems.Problem(422, FinanceProblemCodes.PlanNotOnSale, "This plan is not on sale.");
        if (type == OrderTypes.Renewal && !plan.Renew)
            return ApiProblems.Problem(422, FinanceProblemCodes.RenewalNotOffered, "This plan cannot be bought as a renewal.",
                "You already have a rental; choose a plan offered for renewal.");
        var alreadyOnPlan = renter.RentalActive && renter.PlanId == plan.Id;
        if (!alreadyOnPlan && PlanResponse.IsSoldOut(plan, await PlansApi.ActiveRentersAsync(db, plan.Id, cancellationToken)))
            return ApiProblems.Conflict(FinanceProblemCodes.PlanSoldOut, "This plan is sold out.");
        var open = await db.Orders.CountAsync(o => o.UserId == userId && o.Status == OrderStatuses.PendingPayment, cancellationToken);
        if (open >= options.MaxOpenOrdersPerRenter)
            return ApiProblems.Conflict(FinanceProblemCodes.TooManyOpenOrders, "Too many unpaid orders.",
                $"Pay or cancel one of your {open} unpaid orders first.");

        var settings = await db.GetSettingsAsync(clock, cancellationToken);
        var accounts = await EnabledAccountsAsync(db, cancellationToken);
        var now = clock.GetUtcNow();
        var order = new Order
        {
            Id = Guid.CreateVersion7(),
            Number = OrderCodes.NewNumber(now),
            UserId = userId,
            PlanId = plan.Id,
            PlanNameZh = plan.NameZh,
            PlanNameEn = plan.NameEn,
            DurationDays = plan.DurationDays,
            TrafficQuotaGb = plan.TrafficQuotaGb,
            Type = type,
            Status = OrderStatuses.PendingPayment,
            PriceCents = plan.PriceCents,
            Currency = plan.Currency,
            Memo = OrderCodes.NewMemo(),
            InstructionsJson = JsonSerializer.Serialize(accounts, JsonSerializerOptions.Web),
            CreatedAt = now,
            ExpiresAt = now.AddMinutes(settings.OrderTimeoutMinutes),
            ClientIp = http.ClientIp(),
        };
        db.Orders.Add(order);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/finance/me/orders/{order.Id}", Detail(order, renter.Email, []));
    }

    public static async Task<Results<Ok<PagedResponse<OrderResponse>>, ValidationProblem>> ListMine(HttpContext http, FinanceContext db,
        string? status = null, int page = 1, int pageSize = 20, CancellationToken cancellationToken = default)
    {
        if ((Paging.Check(page, pageSize, MaxPageSize) ?? CheckStatus(status)) is { } invalid)
            return invalid;
        var userId = http.User.UserId();
        var query = db.Orders.AsNoTracking().Where(o => o.UserId == userId);
        if (status is not null)
            query = query.Where(o => o.Status == status);
        var total = await query.CountAsync(cancellationToken);
        var orders = await query.OrderByDescending(o => o.CreatedAt).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var email = await db.Renters.Where(r => r.UserId == userId).Select(r => r.Email).SingleOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<OrderResponse>(orders.Select(o => OrderResponse.From(o, email)).ToList(), total, page, pageSize));
    }

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> GetMine(Guid id, HttpContext http, FinanceContext db,
        CancellationToken cancellationToken)
    {
        var userId = http.User.UserId();
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id && o.UserId == userId, cancellationToken);
        if (order is null)
            return OrderNotFound();
        var payments = await db.Payments.AsNoTracking().Where(p => p.OrderId == id).OrderBy(p => p.CreatedAt).ToListAsync(cancellationToken);
        var email = await db.Renters.Where(r => r.UserId == userId).Select(r => r.Email).SingleOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(Detail(order, email, payments));
    }

    /// <summary>The renter gives up an order nobody has paid anything for.</summary>
    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Cancel(Guid id, HttpContext http, FinanceContext db, OrderPayments payments,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = http.User.UserId();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await payments.LockOrderAsync(id, cancellationToken);
        if (order is null || order.UserId != userId)
            return OrderNotFound();
        if (order.Type == OrderTypes.SerialPurchase)
            // distribution owns the request behind it: cancelling there cancels this order too, and keeps both in step.
            return ApiProblems.Conflict(FinanceProblemCodes.OrderNotCancellable, "A serial purchase is cancelled with its serial request.",
                "Cancel the request under /api/distribution/requests/mine instead.");
        if (order.Status != OrderStatuses.PendingPayment || order.PaidCents > 0)
            return ApiProblems.Conflict(FinanceProblemCodes.OrderNotCancellable, "Only an unpaid order can be cancelled.",
                order.PaidCents > 0 ? "Money has already arrived for this order; ask an admin." : $"The order is {order.Status}.");
        order.Status = OrderStatuses.Cancelled;
        order.CancelledAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(OrderResponse.From(order));
    }

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> PayFromWallet(Guid id, HttpContext http, OrderPayments payments,
        CancellationToken cancellationToken)
    {
        var outcome = await payments.PayFromWalletAsync(id, http.User.UserId(), http.ClientIp(), cancellationToken);
        return outcome.Status switch
        {
            WalletPaymentStatus.Paid => TypedResults.Ok(OrderResponse.From(outcome.Order!)),
            WalletPaymentStatus.InsufficientBalance => ApiProblems.Conflict(FinanceProblemCodes.InsufficientBalance, "The wallet balance is too low.",
                $"The order needs {outcome.Order!.AmountDueCents} fen."),
            WalletPaymentStatus.NotPayable => ApiProblems.Conflict(FinanceProblemCodes.OrderNotPayable, "This order cannot be paid.",
                $"The order is {outcome.Order!.Status}."),
            _ => OrderNotFound(),
        };
    }

    public static ProblemHttpResult OrderNotFound() => ApiProblems.NotFound(FinanceProblemCodes.OrderNotFound, "No such order.");

    public static ValidationProblem? CheckStatus(string? status) =>
        status is null || OrderStatuses.All.Contains(status) ? null
            : ApiProblems.Validation("status", $"status must be one of: {string.Join(", ", OrderStatuses.All)}.");

    /// <summary>An order with its payments and, while it waits for money, how to pay it.</summary>
    public static OrderResponse Detail(Order order, string? email, IEnumerable<Payment> payments) =>
        OrderResponse.From(order, email) with
        {
            Payments = payments.Select(PaymentResponse.From).ToList(),
            Instructions = new OrderInstructions(order.Memo, order.Status == OrderStatuses.PendingPayment ? order.AmountDueCents : 0, order.ExpiresAt,
                JsonSerializer.Deserialize<List<InstructionAccount>>(order.InstructionsJson, JsonSerializerOptions.Web) ?? []),
        };

    /// <summary>The receiving accounts renters may transfer to now, as an order snapshots them.</summary>
    public static async Task<List<InstructionAccount>> EnabledAccountsAsync(FinanceContext db, CancellationToken cancellationToken)
    {
        var accounts = await db.PaymentAccounts.AsNoTracking().Where(a => a.Enabled).OrderBy(a => a.Channel)
            .Select(a => new { a.Channel, a.AccountName, a.Account, HasQr = a.QrImage != null }).ToListAsync(cancellationToken);
        return accounts.Select(a => new InstructionAccount(a.Channel, a.AccountName, a.Account, a.HasQr ? QrUrl(a.Channel) : null)).ToList();
    }

    public static string QrUrl(string channel) => $"/api/finance/payment-accounts/{channel}/qr";
}
