namespace Derp.Finance.Api.Apis;

public static class PaymentNotificationsApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/finance-api.md).
    public static IEndpointRouteBuilder MapPaymentNotificationsApi(this IEndpointRouteBuilder routes) => routes;
}
