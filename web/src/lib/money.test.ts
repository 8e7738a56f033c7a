import { base64OfDataUrl, centsToYuanText, formatCents, formatCountdown, parseYuan, qrFileProblem, qrMaxBytes } from './money';

describe('parseYuan', () => {
  it('reads whole yuan, one and two decimals exactly', () => {
    expect(parseYuan('30')).toBe(3000);
    expect(parseYuan('30.5')).toBe(3050);
    expect(parseYuan('30.05')).toBe(3005);
    expect(parseYuan('0.01')).toBe(1);
    expect(parseYuan('0')).toBe(0);
    expect(parseYuan(' 150.00 ')).toBe(15000);
  });

  it('does not go through floating multiplication', () => {
    // 0.29 * 100 === 28.999999999999996 and 1.15 * 100 === 114.99999999999999 in IEEE doubles.
    expect(parseYuan('0.29')).toBe(29);
    expect(parseYuan('1.15')).toBe(115);
    expect(parseYuan('4.35')).toBe(435);
    expect(parseYuan('1000000.07')).toBe(100000007);
  });

  it('rejects a third decimal instead of rounding it', () => {
    expect(parseYuan('1.005')).toBeNull();
    expect(parseYuan('0.001')).toBeNull();
  });

  it('rejects negatives unless asked, and then keeps the sign', () => {
    expect(parseYuan('-1')).toBeNull();
    expect(parseYuan('-1.50', { allowNegative: true })).toBe(-150);
    expect(parseYuan('-0', { allowNegative: true })).toBe(0);
  });

  it('rejects garbage', () => {
    for (const text of ['', ' ', 'abc', '1,000', '1e3', '.5', '5.', '+5', '1.2.3', '¥5', '0x10', 'NaN', 'Infinity', '12345678901234']) {
      expect(parseYuan(text), text).toBeNull();
    }
  });
});

describe('centsToYuanText', () => {
  it('is what parseYuan reads back', () => {
    for (const cents of [0, 1, 9, 10, 99, 100, 3005, 15000, 100000000, -50, -12345]) {
      expect(parseYuan(centsToYuanText(cents), { allowNegative: true })).toBe(cents);
    }
    expect(centsToYuanText(3005)).toBe('30.05');
    expect(centsToYuanText(-50)).toBe('-0.50');
  });

  it('refuses fractions of a cent', () => {
    expect(() => centsToYuanText(1.5)).toThrow(RangeError);
  });
});

describe('formatCents', () => {
  it('shows the currency, two decimals and thousands groups', () => {
    expect(formatCents(500)).toBe('¥5.00');
    expect(formatCents(3005, 'CNY')).toBe('¥30.05');
    expect(formatCents(123456789)).toBe('¥1,234,567.89');
    expect(formatCents(0)).toBe('¥0.00');
    expect(formatCents(-150)).toBe('-¥1.50');
    expect(formatCents(100, 'USD')).toBe('USD 1.00');
  });
});

describe('formatCountdown', () => {
  it('counts minutes and seconds, rounding partial seconds up', () => {
    expect(formatCountdown(30 * 60_000)).toBe('30:00');
    expect(formatCountdown(61_000)).toBe('01:01');
    expect(formatCountdown(1)).toBe('00:01');
    expect(formatCountdown(3_600_000 + 5_000)).toBe('1:00:05');
  });

  it('stops at zero', () => {
    expect(formatCountdown(0)).toBe('00:00');
    expect(formatCountdown(-5000)).toBe('00:00');
  });
});

describe('QR uploads', () => {
  it('takes png and jpeg up to 512 KiB', () => {
    expect(qrFileProblem({ size: qrMaxBytes, type: 'image/png' })).toBeNull();
    expect(qrFileProblem({ size: 10, type: 'image/jpeg' })).toBeNull();
    expect(qrFileProblem({ size: qrMaxBytes + 1, type: 'image/png' })).toBe('qrTooLarge');
    expect(qrFileProblem({ size: 10, type: 'image/gif' })).toBe('qrWrongType');
    expect(qrFileProblem({ size: 10, type: '' })).toBe('qrWrongType');
  });

  it('sends the bare base64 of a data URL', () => {
    expect(base64OfDataUrl('data:image/png;base64,iVBORw0KGgo=')).toBe('iVBORw0KGgo=');
  });
});
