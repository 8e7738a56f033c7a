// The distribution API's shapes (services/distribution): money is integer cents (fen), rates are basis points
// (1000 = 10 %). The pure helpers here do the same exact arithmetic as the service (half up to the fen).
import type {
  ApplicationStatus, CardType, CommissionStatus, DeliveryStatus, DistributorStatus, PaymentAccountChannel, PayoutStatus, SerialRequestStatus,
} from './vocabulary.generated';

export interface Tier {
  code: string; nameZh: string; nameEn: string; rateBasisPoints: number; holdingDays: number; minimumPayoutCents: number;
  promotionTurnoverCents: number | null; sortOrder: number; updatedAt?: string;
}

export interface Application {
  id: string; userId: string; email: string | null; status: ApplicationStatus; contactName: string; contact: string;
  payoutChannel: PaymentAccountChannel; payoutAccountName: string; payoutAccount: string; hasPayoutQr: boolean; remark: string | null;
  rejectionReason: string | null; createdAt: string; decidedAt: string | null;
}

export interface Distributor {
  userId: string; email: string | null; tierCode: string; tierPinned: boolean; status: DistributorStatus; contactName: string; contact: string;
  payoutChannel: PaymentAccountChannel; payoutAccountName: string; payoutAccount: string; hasPayoutQr: boolean; createdAt: string; updatedAt: string;
}

export interface SerialRequest {
  id: string; distributorId: string; planId: string; planNameZh: string; planNameEn: string; quantity: number;
  remark: string | null; status: SerialRequestStatus; unitPriceCents: number | null; tierCode: string | null; rateBasisPoints: number | null;
  priceCents: number | null; currency: string | null; orderId: string | null; payBy: string | null; batchId: string | null;
  rejectionReason: string | null; createdAt: string; approvedAt: string | null; paidAt: string | null; issuedAt: string | null; closedAt: string | null;
}

/** Commission amounts by state, in cents. */
export interface CommissionFigures { pendingCents: number; availableCents: number; lockedCents: number; paidCents: number; reversedCents: number }
export interface PayoutFigures { requestedCount: number; requestedCents: number; paidCount: number; paidCents: number; movedToWalletCents: number }

/** One distributor's figures: the admin's finances rows and the distributor's own dashboard share them. */
export interface Figures {
  turnoverCents: number; rentalTurnoverCents: number; serialPurchaseTurnoverCents: number; serialsBought: number; serialsRedeemed: number;
  commissions: CommissionFigures; payouts: PayoutFigures;
}

export interface NextTier {
  code: string; nameZh: string; nameEn: string; rateBasisPoints: number; promotionTurnoverCents: number; remainingCents: number; progressBasisPoints: number;
}

export interface Dashboard {
  tierCode: string; tierNameZh: string | null; tierNameEn: string | null; rateBasisPoints: number; holdingDays: number; minimumPayoutCents: number;
  nextTier: NextTier | null; promotionWindowDays: number; renters: number; figures: Figures;
}

export interface DistributorFinances { userId: string; email: string | null; contactName: string; tierCode: string; status: DistributorStatus; figures: Figures }

export const commissionsByStatus = (c: CommissionFigures): Record<CommissionStatus, number> =>
  ({ pending: c.pendingCents, available: c.availableCents, locked: c.lockedCents, paid: c.paidCents, reversed: c.reversedCents });

export interface Commission {
  id: string; orderId: string; renterId: string; kind: string; status: CommissionStatus; baseCents: number; rateBasisPoints: number; tierCode: string;
  amountCents: number; currency: string; earnedAt: string; availableAt: string; payoutId: string | null; walletTransferId: string | null; reversedAt: string | null;
}

export interface Payout {
  id: string; distributorId: string; amountCents: number; currency: string; status: PayoutStatus; payoutChannel: PaymentAccountChannel;
  payoutAccountName: string; payoutAccount: string; reference: string | null; rejectionReason: string | null; requestedAt: string; decidedAt: string | null;
}

export interface AttributedRenter { renterId: string; email: string | null; attributedAt: string; paidCents: number }

/** A serial of the distributor's own (serials' GET /api/serials/mine). */
export interface OwnSerial {
  id: string; fullCode: string; status: string; batchId: string; createdAt: string; validUntil: string; firstUsedAt: string | null;
  expiresAt: string | null; userId: string | null;
}

export interface CardApi { url: string | null; method: string | null; headers: Record<string, string> | null; body: string | null; timeoutSeconds: number | null; retries: number | null; responseField: string | null }

export interface Card {
  id: string; name: string; type: CardType; enabled: boolean; delaySeconds: number; specName: string | null; specValue: string | null;
  planId: string | null; template: string | null; imageUrl: string | null; api: CardApi | null; lowStockThreshold: number;
  stock: number | null; createdAt: string; updatedAt: string;
}

export interface Rule { id: string; keyword: string; cardId: string; priority: number; createdAt: string }
export interface ApiKey { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }
export interface CreatedApiKey { id: string; name: string; prefix: string; key: string; createdAt: string }

export interface Delivery {
  id: string; channel: string; externalOrderId: string; itemTitle: string | null; itemId: string | null; spec: string | null; quantity: number;
  buyerId: string | null; cardId: string | null; cardName: string | null; status: DeliveryStatus; failureReason: string | null; createdAt: string;
  readyAt: string; completedAt: string | null; items: string[];
}

export interface LowStockAlert { id: string; cardId: string; cardName: string | null; remaining: number; threshold: number; raisedAt: string; resolvedAt: string | null }

/** What an order would receive (nothing is used up). */
export interface DryRunResult {
  cardId: string | null; cardName: string | null; type: CardType | null; delaySeconds: number; failureReason: string | null; available: number | null; items: string[];
}

/** BigInt half-up division of a non-negative numerator: exact for any amount (no floating rounding). */
function divideHalfUp(numerator: bigint, denominator: bigint): number {
  const sign = numerator < 0n ? -1n : 1n;
  const magnitude = numerator * sign;
  return Number(sign * ((magnitude * 2n + denominator) / (denominator * 2n)));
}

/**
 * What a request costs after the tier's discount: unit price × quantity × (10000 − rate) / 10000, rounded half up to
 * the fen — the rule the service fixes the price with on approval (Services/Pricing.cs).
 */
export function discountedPriceCents(unitPriceCents: number, quantity: number, rateBasisPoints: number): number {
  if (![unitPriceCents, quantity, rateBasisPoints].every(Number.isSafeInteger)) throw new RangeError('whole numbers only');
  return divideHalfUp(BigInt(unitPriceCents) * BigInt(quantity) * BigInt(10000 - rateBasisPoints), 10000n);
}

/** A commission on a paid amount: base × rate / 10000, half up (Services/CommissionMath.cs). */
export function commissionCents(baseCents: number, rateBasisPoints: number): number {
  return divideHalfUp(BigInt(baseCents) * BigInt(rateBasisPoints), 10000n);
}

const percentPattern = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/** "10" -> 1000, "12.5" -> 1250, "12.34" -> 1234; null for a third decimal, signs, text or more than 100 %. */
export function percentToBasisPoints(text: string): number | null {
  const match = percentPattern.exec(text.trim());
  if (!match) return null;
  const basisPoints = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return basisPoints <= 10000 ? basisPoints : null;
}

/** 1000 -> "10", 1250 -> "12.5", 1234 -> "12.34": the text a percentage input starts from; reads back to the same number. */
export function basisPointsToPercent(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const fraction = String(Math.abs(basisPoints % 100)).padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

export const percentLabel = (basisPoints: number) => `${basisPointsToPercent(basisPoints)}%`;

/** How far the turnover has come towards the next tier's threshold, 0–100 (whole percent, rounded down). */
export function tierProgress(turnoverCents: number, nextThresholdCents: number | null | undefined): number {
  if (!nextThresholdCents || nextThresholdCents <= 0) return 100;
  return Math.min(100, Math.max(0, Math.floor((turnoverCents * 100) / nextThresholdCents)));
}

/** Pasted pool lines: one per line, trimmed, empty lines dropped (Windows line ends too). */
export function parseLines(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
}

/** "Header: value" lines -> { Header: value }; null when there are none, a line without a colon makes it throw. */
export function parseHeaders(text: string): Record<string, string> | null {
  const lines = parseLines(text);
  if (lines.length === 0) return null;
  return Object.fromEntries(lines.map((line) => {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SyntaxError(line);
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  }));
}

export const headersText = (headers: Record<string, string> | null | undefined) =>
  Object.entries(headers ?? {}).map(([name, value]) => `${name}: ${value}`).join('\n');

export const tierName = (tier: Pick<Tier, 'nameZh' | 'nameEn'>, language: string) => (language === 'en' ? tier.nameEn || tier.nameZh : tier.nameZh || tier.nameEn);
