namespace Derp.Distribution.Api.Services;

/// <summary>Commission arithmetic (requirements §9.4), pure so that every tier and every rounding is unit-tested.</summary>
public static class CommissionMath
{
    public const int BasisPointsPerWhole = 10_000;

    /// <summary>
    /// <paramref name="baseCents"/> × <paramref name="rateBasisPoints"/> / 10 000, rounded half up to the fen (a half fen
    /// goes to the distributor). Integer arithmetic only: no floating point ever touches money.
    /// </summary>
    public static long Amount(long baseCents, int rateBasisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baseCents);
        ArgumentOutOfRangeException.ThrowIfNegative(rateBasisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rateBasisPoints, BasisPointsPerWhole);
        return checked((baseCents * rateBasisPoints + BasisPointsPerWhole / 2) / BasisPointsPerWhole);
    }

    /// <summary>
    /// Which rows a draw of <paramref name="amountCents"/> takes (payout or wallet transfer), from the available rows
    /// oldest first: every negative row (a clawback is paid back before anything else), then positive rows until the
    /// amount is covered. The last row may be taken only in part: <c>Part</c> is what the draw takes of it, the rest
    /// stays available. Null when the available balance does not cover the amount.
    /// </summary>
    public static IReadOnlyList<(T Row, long Part)>? Draw<T>(IReadOnlyList<T> availableOldestFirst, Func<T, long> amountOf, long amountCents)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountCents);
        if (availableOldestFirst.Sum(amountOf) < amountCents)
            return null;
        var taken = availableOldestFirst.Where(r => amountOf(r) < 0).Select(r => (r, amountOf(r))).ToList();
        var covered = taken.Sum(t => t.Item2);
        foreach (var row in availableOldestFirst.Where(r => amountOf(r) > 0))
        {
            if (covered >= amountCents)
                break;
            var part = Math.Min(amountOf(row), amountCents - covered);
            taken.Add((row, part));
            covered += part;
        }
        return taken;
    }

    /// <summary>The available balance: the sum of the available rows, clawbacks included (may be negative).</summary>
    public static long Available(IEnumerable<long> availableAmounts) => availableAmounts.Sum();
}
