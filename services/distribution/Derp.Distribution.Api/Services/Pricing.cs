namespace Derp.Distribution.Api.Services;

/// <summary>
/// The price of a serial request (requirements §9.2): plan price × quantity × (10 000 − rate) / 10 000, rounded half up
/// to the fen. Integer arithmetic only (no floating point); the intermediate product is 128-bit so no plan price and
/// quantity can overflow before the division.
/// </summary>
public static class Pricing
{
    public const int FullRateBasisPoints = 10_000;

    public static long DiscountedTotalCents(long unitPriceCents, int quantity, int rateBasisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unitPriceCents);
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        ArgumentOutOfRangeException.ThrowIfNegative(rateBasisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rateBasisPoints, FullRateBasisPoints);

        var numerator = (Int128)unitPriceCents * quantity * (FullRateBasisPoints - rateBasisPoints);
        // Half up: adding half the divisor before the (truncating) division of a non-negative number.
        var rounded = (numerator + FullRateBasisPoints / 2) / FullRateBasisPoints;
        return checked((long)rounded);
    }
}
