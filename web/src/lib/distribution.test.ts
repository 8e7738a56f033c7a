import {
  basisPointsToPercent, commissionCents, commissionsByStatus, discountedPriceCents, headersText, parseHeaders, parseLines, percentToBasisPoints, tierProgress,
} from './distribution';

describe('discountedPriceCents', () => {
  it('takes each default tier off the plan price × quantity', () => {
    expect(discountedPriceCents(3000, 10, 1000)).toBe(27000); // gold 10 %
    expect(discountedPriceCents(3000, 10, 1500)).toBe(25500); // white gold 15 %
    expect(discountedPriceCents(3000, 10, 2000)).toBe(24000); // platinum 20 %
    expect(discountedPriceCents(3000, 1, 0)).toBe(3000);
  });

  it('rounds half up to the fen, exactly', () => {
    expect(discountedPriceCents(5, 1, 1000)).toBe(5); // 4.5 -> 5
    expect(discountedPriceCents(3, 1, 1500)).toBe(3); // 2.55 -> 3
    expect(discountedPriceCents(1, 1, 5000)).toBe(1); // 0.5 -> 1
    expect(discountedPriceCents(1, 1, 5001)).toBe(0); // 0.4999 -> 0
    expect(discountedPriceCents(999, 3, 1234)).toBe(2627); // 2627.1822 -> 2627
    expect(discountedPriceCents(1999, 10000, 1500)).toBe(16991500);
  });

  it('stays exact beyond double precision of intermediate products', () => {
    expect(discountedPriceCents(99_999_999_999, 10000, 1)).toBe(999_899_999_990_001);
  });

  it('refuses fractions', () => {
    expect(() => discountedPriceCents(1.5, 1, 1000)).toThrow(RangeError);
  });
});

describe('commissionCents', () => {
  it('is base × rate / 10000 half up', () => {
    expect(commissionCents(3000, 1000)).toBe(300);
    expect(commissionCents(2999, 1500)).toBe(450); // 449.85
    expect(commissionCents(5, 1000)).toBe(1); // 0.5
    expect(commissionCents(4, 1000)).toBe(0); // 0.4
    expect(commissionCents(-3000, 1000)).toBe(-300);
  });
});

describe('percentages and basis points', () => {
  it('reads a typed percentage exactly', () => {
    expect(percentToBasisPoints('10')).toBe(1000);
    expect(percentToBasisPoints('12.5')).toBe(1250);
    expect(percentToBasisPoints('12.34')).toBe(1234);
    expect(percentToBasisPoints('0.29')).toBe(29);
    expect(percentToBasisPoints(' 100 ')).toBe(10000);
    expect(percentToBasisPoints('0')).toBe(0);
  });

  it('refuses a third decimal, signs, text and more than 100 %', () => {
    for (const text of ['12.345', '-1', '100.01', '', 'ten', '1e2', '10%']) expect(percentToBasisPoints(text), text).toBeNull();
  });

  it('writes basis points as the shortest percentage that reads back the same', () => {
    for (const bp of [0, 1, 29, 1000, 1250, 1234, 1505, 10000]) expect(percentToBasisPoints(basisPointsToPercent(bp))).toBe(bp);
    expect(basisPointsToPercent(1000)).toBe('10');
    expect(basisPointsToPercent(1250)).toBe('12.5');
    expect(basisPointsToPercent(1505)).toBe('15.05');
  });
});

describe('tierProgress', () => {
  it('is the share of the next threshold, capped, and full at the top tier', () => {
    expect(tierProgress(250000, 500000)).toBe(50);
    expect(tierProgress(499999, 500000)).toBe(99);
    expect(tierProgress(900000, 500000)).toBe(100);
    expect(tierProgress(0, 500000)).toBe(0);
    expect(tierProgress(100, null)).toBe(100);
  });
});

describe('pasted text', () => {
  it('splits pool lines and drops blanks', () => {
    expect(parseLines(' a \r\nb\n\n  \nc')).toEqual(['a', 'b', 'c']);
  });

  it('reads and writes header lines', () => {
    expect(parseHeaders('X-Token: abc\nAccept: a:b')).toEqual({ 'X-Token': 'abc', Accept: 'a:b' });
    expect(parseHeaders('  ')).toBeNull();
    expect(() => parseHeaders('nocolon')).toThrow(SyntaxError);
    expect(headersText({ A: '1', B: '2' })).toBe('A: 1\nB: 2');
  });
});

describe('commissionsByStatus', () => {
  it('keys the figures by the commission vocabulary', () => {
    expect(commissionsByStatus({ pendingCents: 1, availableCents: 2, lockedCents: 3, paidCents: 4, reversedCents: 5 }))
      .toEqual({ pending: 1, available: 2, locked: 3, paid: 4, reversed: 5 });
  });
});
