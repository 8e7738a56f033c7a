// The finance API's shapes (see the finance service README): amounts are integer cents with a currency code.
import type { LedgerEntryType, OrderStatus, OrderType, PaymentAccountChannel, ReceiptStatus, SettlementBlocker } from './vocabulary.generated';

export interface Plan {
  id: string; nameZh: string; nameEn: string; durationDays: number; priceCents: number; currency: string; trafficQuotaGb: number;
  sell: boolean; renew: boolean; sortOrder: number; capacityLimit: number | null; activeRenters: number; soldOut: boolean; retired?: boolean;
}

export interface Order {
  id: string; number: string; userId: string; userEmail?: string | null; planId: string; planNameZh: string; planNameEn: string;
  durationDays: number; trafficQuotaGb: number; type: OrderType; status: OrderStatus; priceCents: number; paidCents: number; currency: string;
  memo: string; createdAt: string; expiresAt: string; paidAt: string | null; fulfilledAt: string | null; cancelledAt: string | null;
  refundedAt: string | null; refundedCents: number; marks: string[]; remark: string | null;
}

/** A payment on an order; the receipts inbox lists the same rows (status, the order it went to, the user it was credited to). */
export interface Payment {
  id: string; channel: string; reference: string; amountCents: number; appliedCents: number; currency: string; receivedAt: string;
  status: ReceiptStatus; orderId: string | null; creditedUserId: string | null; memo: string | null; payerName: string | null; remark: string | null;
  recordedBy: string | null; createdAt: string;
}
export type Receipt = Payment;

/** What recording, matching or crediting money answers. */
export interface PaymentResult { payment: Payment; order: Order | null; duplicate: boolean }
export interface ReceivingAccount { channel: PaymentAccountChannel; accountName: string; account: string; qrUrl: string | null }
export interface Instructions { memo: string; amountDueCents: number; expiresAt: string; accounts: ReceivingAccount[] }
/** An admin action: `detailsJson` is the action's details as the service stored them (a JSON text). */
export interface FinanceAuditEntry {
  id: number; actorId: string | null; actorIp: string | null; action: string; targetType: string; targetId: string; detailsJson: string | null; createdAt: string;
}

export interface OrderDetail { order: Order; payments: Payment[]; instructions: Instructions | null; audit: FinanceAuditEntry[] }

/** The detail endpoints answer the order with `payments`/`instructions`/`audit` beside it; accept it flat or nested. */
export function toOrderDetail(body: Record<string, unknown>): OrderDetail {
  const order = (body.order ?? body) as Order;
  return {
    order,
    payments: (body.payments as Payment[] | undefined) ?? [],
    instructions: (body.instructions as Instructions | undefined) ?? null,
    audit: (body.audit as FinanceAuditEntry[] | undefined) ?? [],
  };
}

export interface Wallet { balanceCents: number; currency: string }
export interface LedgerEntry {
  id: string; type: LedgerEntryType; amountCents: number; balanceAfterCents: number; currency: string; orderId: string | null; serialId: string | null;
  donationId: string | null; receiptId: string | null; operatorId: string | null; remark: string | null; createdAt: string;
}
export interface WalletRow { userId: string; userEmail?: string | null; balanceCents: number; currency: string; updatedAt: string }

export interface Donation {
  id: string; userId?: string; userEmail?: string | null; serialId?: string; fullCode?: string; donorName: string | null; message: string | null; anonymous: boolean;
  amountCents: number; currency: string; createdAt: string;
}

export interface FinanceSettings {
  orderTimeoutMinutes: number; publicDonations: boolean;
  accounts: { channel: PaymentAccountChannel; accountName: string; account: string; hasQr: boolean; enabled: boolean }[];
}

/** An account the deregistration job found unsettled (open) or one an admin settled. */
export interface Settlement {
  userId: string; userEmail: string | null; open: boolean; blockers: SettlementBlocker[]; balanceCents: number; firstAskedAt: string; lastAskedAt: string;
  settledAt: string | null; settledBy: string | null; action: string | null; remark: string | null;
}

export interface Stats {
  currency: string; revenueCents: number; revenueThisMonthCents: number; revenueAllTimeCents: number;
  series: { period: string; revenueCents: number; orders: number }[]; ordersByStatus: Record<string, number>;
  plans: { planId: string; nameZh: string; nameEn: string; orders: number; revenueCents: number }[];
  newOrders: number; renewalOrders: number; prepaidBalanceCents: number; donations: { count: number; amountCents: number }; awaitingSettlement: number;
}

/** Some lists answer a bare array, paged ones `{ items, total }`: the pages read both. */
export function itemsOf<T>(body: T[] | { items: T[] }): T[] {
  return Array.isArray(body) ? body : body.items;
}

export const planName = (plan: { nameZh: string; nameEn: string }, language: string) => (language === 'en' ? plan.nameEn || plan.nameZh : plan.nameZh || plan.nameEn);
export const orderPlanName = (order: Order, language: string) => planName({ nameZh: order.planNameZh, nameEn: order.planNameEn }, language);

/** The open amount of an order: never below zero (an overpayment went to the wallet). */
export const amountDue = (order: Pick<Order, 'priceCents' | 'paidCents'>) => Math.max(0, order.priceCents - order.paidCents);

/** A local calendar day (yyyy-mm-dd from <input type=date>) as the instant it starts, for range queries. */
export function dayStart(day: string, addDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + addDays).toISOString();
}

/** yyyy-mm-dd of a Date in local time, the value an <input type=date> holds. */
export function dayOf(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}
