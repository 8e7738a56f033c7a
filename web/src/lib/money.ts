// Money in the portal is what the API says it is: integer minor units (fen) with a currency code. Typed amounts are
// parsed from their decimal text digit by digit, never through floating multiplication (0.29 * 100 is 28.999…).

const yuanPattern = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/;

/**
 * "30", "30.5", "30.05" -> 3000, 3050, 3005. Returns null for anything else: empty text, a third decimal (no silent
 * rounding of what someone typed), separators, exponents, signs (unless allowNegative, for wallet adjustments).
 */
export function parseYuan(text: string, options: { allowNegative?: boolean } = {}): number | null {
  const match = yuanPattern.exec(text.trim());
  if (!match) return null;
  const [, minus, whole, fraction = ''] = match;
  if (minus && !options.allowNegative) return null;
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) return null;
  return minus && cents !== 0 ? -cents : cents;
}

/** 3005 -> "30.05", -50 -> "-0.50": the text an edit form starts from; parseYuan reads it back to the same cents. */
export function centsToYuanText(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const currencySymbols: Record<string, string> = { CNY: '¥' };

/** 123456 CNY -> "¥1,234.56"; other currencies carry their code: "USD 1.00". */
export function formatCents(cents: number, currency = 'CNY'): string {
  const [whole, fraction] = centsToYuanText(cents).replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const symbol = currencySymbols[currency] ?? `${currency} `;
  return `${cents < 0 ? '-' : ''}${symbol}${grouped}.${fraction}`;
}

/** Time left until a deadline as "mm:ss", or "h:mm:ss" past an hour; "00:00" once it has passed. Whole seconds round up. */
export function formatCountdown(milliseconds: number): string {
  const total = Math.max(0, Math.ceil(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}

export const qrMaxBytes = 512 * 1024;
export const qrContentTypes = ['image/png', 'image/jpeg'] as const;

/** Why a chosen QR image cannot be uploaded (the API's limits), or null when it can. */
export function qrFileProblem(file: { size: number; type: string }): 'qrTooLarge' | 'qrWrongType' | null {
  if (!(qrContentTypes as readonly string[]).includes(file.type)) return 'qrWrongType';
  if (file.size > qrMaxBytes) return 'qrTooLarge';
  return null;
}

/** "data:image/png;base64,AAAA" -> "AAAA": the API takes the bare base64 and the content type apart. */
export function base64OfDataUrl(dataUrl: string): string {
  const comma = dataUrl.indexOf(',');
  return comma < 0 ? dataUrl : dataUrl.slice(comma + 1);
}
