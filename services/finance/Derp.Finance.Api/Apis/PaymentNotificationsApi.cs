using Derp.Finance.Api.Services;
using Derp.Finance.Api.Services.Payments;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Mvc;

namespace Derp.Finance.Api.Apis;

/// <summary>
/// Payment providers' asynchronous notifications (ADR-018). Anonymous: the provider's signature is the authentication.
/// Answers are in each provider's own format (not problem details), because that is what makes a provider stop or retry;
/// only a disabled provider gets a problem (404 <c>provider_disabled</c>), so it looks like no endpoint at all.
/// </summary>
public static class PaymentNotificationsApi
{
    public static IEndpointRouteBuilder MapPaymentNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/finance/notify").AllowAnonymous().ExcludeFromDescription();
        api.MapPost("/alipay", (HttpContext context, [FromServices] AlipayProvider provider, [AsParameters] NotificationServices services) =>
            HandleAsync(context, provider, services));
        api.MapPost("/wechat", (HttpContext context, [FromServices] WeChatPayProvider provider, [AsParameters] NotificationServices services) =>
            HandleAsync(context, provider, services));
        return routes;
    }

    public sealed record NotificationServices([FromServices] OrderPayments Payments, [FromServices] ILoggerFactory LoggerFactory);

    private static async Task<IResult> HandleAsync(HttpContext context, IPaymentProvider provider, NotificationServices services)
    {
        var logger = services.LoggerFactory.CreateLogger(typeof(PaymentNotificationsApi));
        if (!provider.Enabled)
        {
            PaymentNotificationMetrics.Count(provider.Name, "disabled");
            return ApiProblems.NotFound(FinanceProblemCodes.ProviderDisabled, "Notifications from this payment provider are not enabled.");
        }

        // Read once, exactly as sent: WeChat Pay signs these bytes, and re-serialising would break its signature.
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var notification = new ProviderNotification(buffer.ToArray(),
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));

        switch (provider.Verify(notification))
        {
            case NotificationVerdict.Refused { Refusal: var refusal }:
                // The reason only: the body may hold buyer details and the headers a signature, neither belongs in a log.
                logger.LogWarning("Refused a {Provider} notification: {Code}: {Reason}", provider.Name, refusal.Code, refusal.Message);
                PaymentNotificationMetrics.Count(provider.Name, refusal.Code);
                return provider.Refuse(refusal);

            case NotificationVerdict.Ignored { Why: var why }:
                logger.LogInformation("Acknowledged a {Provider} notification without applying it: {Why}", provider.Name, why);
                PaymentNotificationMetrics.Count(provider.Name, "ignored");
                return provider.Acknowledge();

            case NotificationVerdict.Verified { Payment: var payment }:
                return await ApplyAsync(provider, payment, services.Payments, logger, context.RequestAborted);

            default:
                throw new InvalidOperationException("Unknown notification verdict.");
        }
    }

    private static async Task<IResult> ApplyAsync(IPaymentProvider provider, VerifiedPayment payment, OrderPayments payments, ILogger logger,
        CancellationToken cancellationToken)
    {
        PaymentOutcome? outcome;
        try
        {
            outcome = await payments.ApplyToOrderNumberAsync(payment.OrderNumber,
                new IncomingPayment(provider.Channel, payment.Reference, payment.AmountCents, payment.Currency, payment.ReceivedAt),
                cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Genuine money we failed to record: the provider's retry is the recovery, so say failure rather than crash.
            logger.LogError(exception, "Could not apply a {Provider} payment {Reference} to order {OrderNumber}",
                provider.Name, payment.Reference, payment.OrderNumber);
            var notRecorded = NotificationRefusals.NotRecorded();
            PaymentNotificationMetrics.Count(provider.Name, notRecorded.Code);
            return provider.Refuse(notRecorded);
        }

        if (outcome is null)
        {
            // A verified payment for an order number we never issued (ADR-018): refused so the provider keeps retrying
            // while an operator, alerted by the metric, finds out why.
            logger.LogWarning("A verified {Provider} payment {Reference} of {AmountCents} names no order: {OrderNumber}",
                provider.Name, payment.Reference, payment.AmountCents, payment.OrderNumber);
            var unknownOrder = NotificationRefusals.UnknownOrder();
            PaymentNotificationMetrics.Count(provider.Name, unknownOrder.Code);
            return provider.Refuse(unknownOrder);
        }

        if (outcome.Duplicate && (outcome.Payment.AmountCents != payment.AmountCents || outcome.Order?.Number != payment.OrderNumber))
        {
            // The provider's transaction id was recorded before with another amount or order. Sending it again cannot
            // change that, so it is acknowledged; the first record stands and an operator is told.
            logger.LogWarning("A {Provider} payment {Reference} of {AmountCents} for order {OrderNumber} was recorded before as {RecordedCents} for another order or amount",
                provider.Name, payment.Reference, payment.AmountCents, payment.OrderNumber, outcome.Payment.AmountCents);
            PaymentNotificationMetrics.Count(provider.Name, "conflicting_duplicate");
            return provider.Acknowledge();
        }

        logger.LogInformation("{Provider} payment {Reference} of {AmountCents} for order {OrderNumber}: {Result}",
            provider.Name, payment.Reference, payment.AmountCents, payment.OrderNumber, outcome.Duplicate ? "duplicate" : "applied");
        PaymentNotificationMetrics.Count(provider.Name, outcome.Duplicate ? "duplicate" : "accepted");
        return provider.Acknowledge();
    }
}
