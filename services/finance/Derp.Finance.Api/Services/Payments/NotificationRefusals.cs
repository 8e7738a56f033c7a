using Derp.Finance.Api.Apis;
using Derp.ServiceDefaults.Problems;

namespace Derp.Finance.Api.Services.Payments;

/// <summary>The refusals both providers use, so a reason has one code and one status whichever provider saw it.</summary>
public static class NotificationRefusals
{
    public static NotificationRefusal Malformed(string message) => new(FinanceProblemCodes.NotificationMalformed, 400, message);

    public static NotificationRefusal SignatureInvalid(string message) => new(FinanceProblemCodes.SignatureInvalid, 401, message);

    public static NotificationRefusal Replayed(string message) => new(FinanceProblemCodes.NotificationReplayed, 401, message);

    public static NotificationRefusal AccountMismatch(string message) => new(FinanceProblemCodes.ProviderAccountMismatch, 403, message);

    public static NotificationRefusal Undecryptable(string message) => new(FinanceProblemCodes.NotificationUndecryptable, 400, message);

    /// <summary>A genuine payment for an order number we never issued: refused so the provider retries and an operator looks (ADR-018).</summary>
    public static NotificationRefusal UnknownOrder() => new(FinanceProblemCodes.OrderNotFound, 404, "No order has this out_trade_no.");

    /// <summary>Genuine, but recording it failed here (database down): the provider retries later.</summary>
    public static NotificationRefusal NotRecorded() => new(ProblemCodes.InternalError, 500, "The payment could not be recorded; try again later.");
}
