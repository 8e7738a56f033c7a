// Admin side of finance: overview with charts, plans, orders and their actions, unmatched receipts, wallets,
// donations, payment settings (receiving accounts and QR codes), settlements and the finance audit log.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, NavLink, useParams, useSearchParams } from 'react-router-dom';
import { BarChart, Field, Figure, Form, HorizontalBars, Pager, ProblemMessage, ScrollTable } from '../components';
import { api, ApiError, type Paged } from '../lib/api';
import {
  dayOf, dayStart, orderPlanName, planName, toOrderDetail, type FinanceAuditEntry, type FinanceSettings, type LedgerEntry, type Order,
  type OrderDetail, type Plan, type Receipt, type Settlement, type Stats, type WalletRow, type Donation, amountDue,
} from '../lib/finance';
import { useI18n, type MessageKey } from '../lib/i18n';
import { base64OfDataUrl, centsToYuanText, formatCents, parseYuan, qrFileProblem } from '../lib/money';
import {
  Currencies, FinanceAuditActions, OrderMarks, OrderStatuses, OrderTypes, PaymentAccountChannels, ReceiptStatuses, RefundMethods,
  SettlementActions, type PaymentAccountChannel, type PaymentChannel,
} from '../lib/vocabulary.generated';
import {
  DonationsTable, financePageSize, LedgerTable, Money, OrderStatusBadge, pagedPath, PaymentsTable, useLoad, when, AuthedImage,
} from './FinancePages';

/** The channels an admin confirms by hand (the provider ones arrive as notifications, the wallet one from renters). */
const manualChannels: PaymentChannel[] = ['alipay_transfer', 'wechat_transfer', 'other'];

/** A typed amount as cents, or a problem shown like the API's own (role=alert, with a code). */
function requireYuan(text: string, message: string, options: { allowNegative?: boolean } = {}): number {
  const cents = parseYuan(text, options);
  if (cents === null) throw new ApiError({ status: 400, code: 'invalid_amount', title: message });
  return cents;
}

/** Now, as the value of an <input type=datetime-local>. */
function localNow(): string {
  const now = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${dayOf(now)}T${two(now.getHours())}:${two(now.getMinutes())}`;
}

const isoOfLocal = (value: string) => new Date(value).toISOString();

export function AdminFinanceNav() {
  const { t } = useI18n();
  const links: [string, MessageKey][] = [
    ['/admin/finance', 'financeDashboard'], ['/admin/finance/plans', 'plans'], ['/admin/finance/orders', 'orders'],
    ['/admin/finance/receipts', 'receipts'], ['/admin/finance/wallets', 'wallets'], ['/admin/finance/donations', 'donations'],
    ['/admin/finance/settlements', 'settlements'], ['/admin/finance/settings', 'paymentSettings'], ['/admin/finance/audit', 'audit'],
  ];
  return (
    <nav className="subnav" aria-label={t('finance')}>
      {links.map(([to, key]) => <NavLink key={to} to={to} end={to === '/admin/finance'}>{t(key)}</NavLink>)}
    </nav>
  );
}

function AdminFinanceSection({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="card" data-testid={testId}>
      <AdminFinanceNav />
      <h1>{title}</h1>
      {children}
    </section>
  );
}

/** An action that opens to a small form; after it succeeds the page reloads. */
function ActionPanel({ title, testId, submitLabel, onSubmit, children }: { title: string; testId: string; submitLabel: string; onSubmit: () => Promise<void>; children: ReactNode }) {
  const [done, setDone] = useState(false);
  const { t } = useI18n();
  return (
    <details className="rental" data-testid={testId}>
      <summary><strong>{title}</strong></summary>
      {done && <p className="alert success">{t('saved')}</p>}
      <Form submitLabel={submitLabel} onSubmit={async () => { setDone(false); await onSubmit(); setDone(true); }}>{children}</Form>
    </details>
  );
}

function TextInput({ label, name, value, onChange, required, type }: { label: string; name: string; value: string; onChange: (v: string) => void; required?: boolean; type?: string }) {
  return (
    <label className="field"><span>{label}</span>
      <input name={name} type={type ?? 'text'} value={value} required={required} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

function Select<T extends string>({ label, name, value, options, optionLabel, onChange, empty }: {
  label: string; name: string; value: string; options: readonly T[]; optionLabel: (v: T) => string; onChange: (v: string) => void; empty?: string;
}) {
  return (
    <label className="field"><span>{label}</span>
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        {empty !== undefined && <option value="">{empty}</option>}
        {options.map((o) => <option key={o} value={o}>{optionLabel(o)}</option>)}
      </select>
    </label>
  );
}

function Check({ label, name, checked, onChange }: { label: string; name: string; checked: boolean; onChange: (v: boolean) => void }) {
  return <label className="check"><input type="checkbox" name={name} checked={checked} onChange={(e) => onChange(e.target.checked)} />{label}</label>;
}

// ---------------------------------------------------------------- overview

function periodLabel(period: string, groupBy: string): string {
  return /^\d{4}-\d{2}-\d{2}T/.test(period) ? period.slice(0, groupBy === 'month' ? 7 : 10) : period;
}

export function FinanceDashboardPage() {
  const { t, language, label } = useI18n();
  const today = new Date();
  const [from, setFrom] = useState(() => dayOf(new Date(today.getFullYear(), today.getMonth() - 11, 1)));
  const [to, setTo] = useState(() => dayOf(today));
  const [groupBy, setGroupBy] = useState<'day' | 'month'>('month');
  const query = from && to ? new URLSearchParams({ from: dayStart(from), to: dayStart(to, 1), groupBy }) : null;
  const { data: stats, error } = useLoad<Stats>(query && `/api/finance/stats?${query}`);
  const money = (cents: number) => formatCents(cents, stats?.currency);
  return (
    <AdminFinanceSection title={t('financeDashboard')} testId="finance-dashboard">
      <div className="toolbar">
        <label className="field"><span>{t('from')}</span><input type="date" name="from" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label className="field"><span>{t('to')}</span><input type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} /></label>
        <label className="field"><span>{t('groupBy')}</span>
          <select name="groupBy" value={groupBy} onChange={(e) => setGroupBy(e.target.value as 'day' | 'month')}>
            <option value="month">{t('groupBy_month')}</option>
            <option value="day">{t('groupBy_day')}</option>
          </select>
        </label>
      </div>
      <ProblemMessage error={error} />
      {!stats ? !error && <p>{t('loading')}</p> : (
        <>
          <div className="stats">
            <Figure testId="figure-revenue-range" label={t('revenueInRange')} value={money(stats.revenueCents)} />
            <Figure testId="figure-revenue-month" label={t('revenueThisMonth')} value={money(stats.revenueThisMonthCents)} />
            <Figure testId="figure-revenue-all" label={t('revenueAllTime')} value={money(stats.revenueAllTimeCents)} />
            <Figure testId="figure-prepaid" label={t('prepaidBalances')} value={money(stats.prepaidBalanceCents)} />
            <Figure testId="figure-donations" label={t('donationsTotal', { n: stats.donations.count })} value={money(stats.donations.amountCents)} />
            <Figure testId="figure-awaiting" label={t('awaitingSettlement')} value={stats.awaitingSettlement} />
            <Figure testId="figure-new" label={t('newOrders')} value={stats.newOrders} />
            <Figure testId="figure-renewal" label={t('renewalOrders')} value={stats.renewalOrders} />
          </div>
          <BarChart testId="revenue-chart" label={t('revenueSeries')} format={money}
            bars={stats.series.map((p) => ({ label: periodLabel(p.period, groupBy), value: p.revenueCents }))} />
          <div className="split">
            <HorizontalBars testId="plan-mix" label={t('planMix')}
              rows={stats.plans.map((p) => ({ key: p.planId, label: planName(p, language), value: p.revenueCents, display: `${money(p.revenueCents)} · ${t('ordersCount', { n: p.orders })}` }))} />
            <HorizontalBars testId="orders-by-status" label={t('ordersByStatus')}
              rows={OrderStatuses.map((s) => ({ key: s, label: label('orderStatus', s), value: stats.ordersByStatus[s] ?? 0, display: String(stats.ordersByStatus[s] ?? 0) }))} />
          </div>
        </>
      )}
    </AdminFinanceSection>
  );
}

// ---------------------------------------------------------------- plans

const emptyPlanForm = { nameZh: '', nameEn: '', durationDays: '30', price: '', trafficQuotaGb: '0', sell: true, renew: true, sortOrder: '0', capacityLimit: '' };

function planForm(plan: Plan): typeof emptyPlanForm {
  return {
    nameZh: plan.nameZh, nameEn: plan.nameEn, durationDays: String(plan.durationDays), price: centsToYuanText(plan.priceCents),
    trafficQuotaGb: String(plan.trafficQuotaGb), sell: plan.sell, renew: plan.renew, sortOrder: String(plan.sortOrder),
    capacityLimit: plan.capacityLimit === null ? '' : String(plan.capacityLimit),
  };
}

function PlanEditor({ plan, onSaved, onCancel }: { plan: Plan | null; onSaved: () => Promise<void>; onCancel: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState(() => (plan ? planForm(plan) : emptyPlanForm));
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    setForm(plan ? planForm(plan) : emptyPlanForm);
    // Edit is pressed in the table above: bring the form to the eye.
    if (plan) box.current?.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
  }, [plan]);
  const set = <K extends keyof typeof emptyPlanForm>(key: K) => (value: (typeof emptyPlanForm)[K]) => setForm((f) => ({ ...f, [key]: value }));
  return (
    <div className="rental" data-testid="plan-editor" ref={box}>
      <h2>{plan ? `${t('editPlan')}: ${plan.nameZh}` : t('newPlan')}</h2>
      <Form submitLabel={plan ? t('save') : t('create')} onSubmit={async () => {
        const body = {
          nameZh: form.nameZh.trim(), nameEn: form.nameEn.trim(), durationDays: Number(form.durationDays),
          priceCents: requireYuan(form.price, t('invalidAmount')), currency: plan?.currency ?? Currencies[0],
          trafficQuotaGb: Number(form.trafficQuotaGb), sell: form.sell, renew: form.renew, sortOrder: Number(form.sortOrder),
          capacityLimit: form.capacityLimit.trim() ? Number(form.capacityLimit) : null,
        };
        await api(plan ? `/api/finance/plans/${plan.id}` : '/api/finance/plans', { method: plan ? 'PUT' : 'POST', body });
        if (!plan) setForm(emptyPlanForm);
        await onSaved();
      }}>
        <div className="form grid">
          <TextInput label={t('nameZh')} name="nameZh" value={form.nameZh} onChange={set('nameZh')} required />
          <TextInput label={t('nameEn')} name="nameEn" value={form.nameEn} onChange={set('nameEn')} required />
          <TextInput label={t('durationDays')} name="durationDays" type="number" value={form.durationDays} onChange={set('durationDays')} required />
          <TextInput label={t('priceYuan')} name="price" value={form.price} onChange={set('price')} required />
          <TextInput label={`${t('trafficQuotaGb')} (0 = ${t('unlimitedTraffic')})`} name="trafficQuotaGb" type="number" value={form.trafficQuotaGb} onChange={set('trafficQuotaGb')} required />
          <TextInput label={t('sortOrder')} name="sortOrder" type="number" value={form.sortOrder} onChange={set('sortOrder')} required />
          <TextInput label={t('capacityLimit')} name="capacityLimit" type="number" value={form.capacityLimit} onChange={set('capacityLimit')} />
          <Check label={t('sell')} name="sell" checked={form.sell} onChange={set('sell')} />
          <Check label={t('renewable')} name="renew" checked={form.renew} onChange={set('renew')} />
        </div>
      </Form>
      {plan && <button type="button" className="link" onClick={onCancel}>{t('cancel')}</button>}
    </div>
  );
}

export function AdminPlansPage() {
  const { t, language } = useI18n();
  const { data, error, setError, reload } = useLoad<Plan[]>('/api/finance/plans/all');
  const [editing, setEditing] = useState<Plan | null>(null);
  const retire = async (plan: Plan) => {
    if (!window.confirm(t('confirmRetire', { name: planName(plan, language) }))) return;
    try {
      await api(`/api/finance/plans/${plan.id}`, { method: 'DELETE' });
      await reload();
    } catch (e) {
      setError(e);
    }
  };
  const plans = data ? (Array.isArray(data) ? data : (data as Paged<Plan>).items) : null;
  return (
    <AdminFinanceSection title={t('plans')} testId="admin-plans">
      <ProblemMessage error={error} />
      {!plans ? <p>{t('loading')}</p> : (
        <ScrollTable testId="plans">
          <thead>
            <tr><th>{t('sortOrder')}</th><th>{t('plan')}</th><th>{t('durationDays')}</th><th>{t('price')}</th><th>{t('trafficQuotaGb')}</th><th>{t('sell')}</th><th>{t('renewable')}</th><th>{t('activeRenters')}</th><th /></tr>
          </thead>
          <tbody>
            {plans.map((p) => (
              <tr key={p.id} data-plan-id={p.id} className={p.retired ? 'muted-text' : ''}>
                <td>{p.sortOrder}</td>
                <td>{p.nameZh} / {p.nameEn} {p.retired && <span className="badge status-expired">{t('retired')}</span>}</td>
                <td>{p.durationDays}</td>
                <td><Money cents={p.priceCents} currency={p.currency} /></td>
                <td>{p.trafficQuotaGb > 0 ? p.trafficQuotaGb : t('unlimitedTraffic')}</td>
                <td>{p.sell ? t('yes') : t('no')}</td>
                <td>{p.renew ? t('yes') : t('no')}</td>
                <td>{p.activeRenters}{p.capacityLimit !== null && ` / ${p.capacityLimit}`}</td>
                <td className="actions">
                  <button type="button" className="small" onClick={() => setEditing(p)}>{t('edit')}</button>
                  {!p.retired && <button type="button" className="small danger" onClick={() => retire(p)}>{t('retire')}</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
      <PlanEditor plan={editing} onCancel={() => setEditing(null)} onSaved={async () => { setEditing(null); await reload(); }} />
    </AdminFinanceSection>
  );
}

// ---------------------------------------------------------------- orders

export function AdminOrdersPage() {
  const { t, language, label } = useI18n();
  const [params] = useSearchParams();
  const [filters, setFilters] = useState(() => ({ status: params.get('status') ?? '', type: '', memo: params.get('memo') ?? '', userId: params.get('userId') ?? '', from: '', to: '' }));
  const [page, setPage] = useState(1);
  const { from, to, ...rest } = filters;
  const range: Record<string, string> = { ...rest, from: from ? dayStart(from) : '', to: to ? dayStart(to, 1) : '' };
  const { data, error } = useLoad<Paged<Order>>(pagedPath('/api/finance/orders', page, range));
  const set = (key: keyof typeof filters) => (value: string) => { setFilters({ ...filters, [key]: value }); setPage(1); };
  return (
    <AdminFinanceSection title={t('orders')} testId="admin-orders">
      <div className="toolbar">
        <select aria-label={t('status')} name="status" value={filters.status} onChange={(e) => set('status')(e.target.value)}>
          <option value="">{t('allStatuses')}</option>
          {OrderStatuses.map((s) => <option key={s} value={s}>{label('orderStatus', s)}</option>)}
        </select>
        <select aria-label={t('type')} name="type" value={filters.type} onChange={(e) => set('type')(e.target.value)}>
          <option value="">{t('allTypes')}</option>
          {OrderTypes.map((s) => <option key={s} value={s}>{label('orderType', s)}</option>)}
        </select>
        <input aria-label={t('memo')} name="memo" placeholder={t('memo')} value={filters.memo} onChange={(e) => set('memo')(e.target.value)} />
        <input aria-label={t('userId')} name="userId" placeholder={t('userId')} value={filters.userId} onChange={(e) => set('userId')(e.target.value)} />
        <input aria-label={t('from')} name="from" type="date" value={filters.from} onChange={(e) => set('from')(e.target.value)} />
        <input aria-label={t('to')} name="to" type="date" value={filters.to} onChange={(e) => set('to')(e.target.value)} />
      </div>
      <ProblemMessage error={error} />
      {!data ? !error && <p>{t('loading')}</p> : (
        <>
          <ScrollTable testId="orders">
            <thead><tr><th>{t('orderNumber')}</th><th>{t('user')}</th><th>{t('plan')}</th><th>{t('type')}</th><th>{t('status')}</th><th>{t('price')}</th><th>{t('paidAmount')}</th><th>{t('memo')}</th><th>{t('createdAt')}</th></tr></thead>
            <tbody>
              {data.items.map((o) => (
                <tr key={o.id} data-order-id={o.id} data-memo={o.memo}>
                  <td><Link to={`/admin/finance/orders/${o.id}`} className="mono">{o.number}</Link></td>
                  <td><Link to={`/admin/users/${o.userId}`}>{o.userEmail ?? o.userId.slice(0, 8)}</Link></td>
                  <td>{orderPlanName(o, language)}</td>
                  <td>{label('orderType', o.type)}</td>
                  <td><OrderStatusBadge status={o.status} />{o.marks.map((m) => <span key={m} className="badge">{label('orderMark', m)}</span>)}</td>
                  <td><Money cents={o.priceCents} currency={o.currency} /></td>
                  <td><Money cents={o.paidCents} currency={o.currency} /></td>
                  <td className="mono">{o.memo}</td>
                  <td>{when(o.createdAt, language)}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager page={page} pageSize={financePageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </AdminFinanceSection>
  );
}

export function AuditTable({ entries }: { entries: FinanceAuditEntry[] }) {
  const { t, language, label } = useI18n();
  if (entries.length === 0) return <p className="muted-text">{t('noEntries')}</p>;
  return (
    <ScrollTable testId="finance-audit">
      <thead><tr><th>{t('time')}</th><th>{t('action')}</th><th>{t('actor')}</th><th>{t('ip')}</th><th>{t('detail')}</th></tr></thead>
      <tbody>
        {entries.map((a) => (
          <tr key={a.id}>
            <td>{when(a.createdAt, language)}</td>
            <td><span className="badge">{label('financeAudit', a.action)}</span></td>
            <td className="mono">{a.actorId?.slice(0, 8)}</td>
            <td>{a.actorAddress}</td>
            <td className="muted mono" title={typeof a.details === 'string' ? a.details : JSON.stringify(a.details)}>
              {typeof a.details === 'string' ? a.details : JSON.stringify(a.details)}
            </td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

function OrderActions({ order, onDone }: { order: Order; onDone: () => Promise<void> }) {
  const { t, label } = useI18n();
  const due = amountDue(order);
  const [payment, setPayment] = useState({ channel: manualChannels[0] as string, amount: centsToYuanText(due), reference: '', receivedAt: localNow() });
  const [cancelReason, setCancelReason] = useState('');
  const [mark, setMark] = useState({ mark: OrderMarks[0] as string, remark: '' });
  const [reopenReason, setReopenReason] = useState('');
  const [refund, setRefund] = useState({ method: RefundMethods[0] as string, amount: '', reason: '' });
  const post = async (action: string, body: unknown) => {
    await api(`/api/finance/orders/${order.id}/${action}`, { method: 'POST', body });
    await onDone();
  };
  const open = order.status === 'pending_payment';
  const closed = order.status === 'expired' || order.status === 'cancelled';
  const settled = order.status === 'paid' || order.status === 'fulfilled';
  return (
    <div className="order-actions">
      {(open || closed) && (
        <ActionPanel title={t('confirmPayment')} testId="action-confirm" submitLabel={t('confirmPayment')} onSubmit={() => post('payments', {
          channel: payment.channel, amountCents: requireYuan(payment.amount, t('invalidAmount')), reference: payment.reference.trim(), receivedAt: isoOfLocal(payment.receivedAt),
        })}>
          <div className="form grid">
            <Select label={t('channel')} name="channel" value={payment.channel} options={manualChannels} optionLabel={(c) => label('paymentChannel', c)} onChange={(channel) => setPayment({ ...payment, channel })} />
            <TextInput label={t('amountYuan')} name="amount" value={payment.amount} onChange={(amount) => setPayment({ ...payment, amount })} required />
            <TextInput label={t('reference')} name="reference" value={payment.reference} onChange={(reference) => setPayment({ ...payment, reference })} required />
            <TextInput label={t('receivedAt')} name="receivedAt" type="datetime-local" value={payment.receivedAt} onChange={(receivedAt) => setPayment({ ...payment, receivedAt })} required />
          </div>
        </ActionPanel>
      )}
      {open && (
        <ActionPanel title={t('cancelOrder')} testId="action-cancel" submitLabel={t('cancelOrder')} onSubmit={() => post('cancel', { reason: cancelReason })}>
          <TextInput label={t('reason')} name="reason" value={cancelReason} onChange={setCancelReason} required />
        </ActionPanel>
      )}
      <ActionPanel title={t('mark')} testId="action-mark" submitLabel={t('mark')} onSubmit={() => post('marks', { mark: mark.mark, remark: mark.remark.trim() || undefined })}>
        <div className="form grid">
          <Select label={t('mark')} name="mark" value={mark.mark} options={OrderMarks} optionLabel={(m) => label('orderMark', m)} onChange={(m) => setMark({ ...mark, mark: m })} />
          <TextInput label={t('remarkOptional')} name="remark" value={mark.remark} onChange={(remark) => setMark({ ...mark, remark })} />
        </div>
      </ActionPanel>
      {closed && (
        <ActionPanel title={t('reopen')} testId="action-reopen" submitLabel={t('reopen')} onSubmit={() => post('reopen', { reason: reopenReason })}>
          <TextInput label={t('reason')} name="reason" value={reopenReason} onChange={setReopenReason} required />
        </ActionPanel>
      )}
      {settled && (
        <ActionPanel title={t('refund')} testId="action-refund" submitLabel={t('refund')} onSubmit={() => post('refund', {
          method: refund.method, amountCents: refund.amount.trim() ? requireYuan(refund.amount, t('invalidAmount')) : undefined, reason: refund.reason,
        })}>
          <div className="form grid">
            <Select label={t('refundMethod')} name="method" value={refund.method} options={RefundMethods} optionLabel={(m) => label('refundMethod', m)} onChange={(method) => setRefund({ ...refund, method })} />
            <TextInput label={t('refundAmountOptional')} name="amount" value={refund.amount} onChange={(amount) => setRefund({ ...refund, amount })} />
            <TextInput label={t('reason')} name="reason" value={refund.reason} onChange={(reason) => setRefund({ ...refund, reason })} required />
          </div>
        </ActionPanel>
      )}
    </div>
  );
}

export function AdminOrderDetailPage() {
  const { id } = useParams();
  const { t, language, label } = useI18n();
  const [detail, setDetail] = useState<OrderDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setDetail(toOrderDetail(await api<Record<string, unknown>>(`/api/finance/orders/${id}`)));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => {
    load();
  }, [load]);
  if (!detail) return <section className="card"><AdminFinanceNav /><ProblemMessage error={error} />{!error && <p>{t('loading')}</p>}</section>;
  const { order } = detail;
  const rows: [MessageKey, ReactNode][] = [
    ['user', <Link to={`/admin/users/${order.userId}`}>{order.userEmail ?? order.userId}</Link>],
    ['plan', `${orderPlanName(order, language)} · ${t('days', { n: order.durationDays })} · ${order.trafficQuotaGb > 0 ? t('trafficGb', { n: order.trafficQuotaGb }) : t('unlimitedTraffic')}`],
    ['type', label('orderType', order.type)],
    ['price', <Money cents={order.priceCents} currency={order.currency} />],
    ['paidAmount', <Money cents={order.paidCents} currency={order.currency} />],
    ['amountDue', <Money cents={amountDue(order)} currency={order.currency} />],
    ['refundedAmount', <Money cents={order.refundedCents} currency={order.currency} />],
    ['memo', <span className="mono">{order.memo}</span>],
    ['createdAt', when(order.createdAt, language)],
    ['expiresAt', when(order.expiresAt, language)],
    ['paidAt', when(order.paidAt, language)],
    ['fulfilledAt', when(order.fulfilledAt, language)],
    ['marks', order.marks.map((m) => label('orderMark', m)).join(', ') || '—'],
    ['remark', order.remark ?? '—'],
  ];
  return (
    <section className="card" data-testid="admin-order" data-status={order.status}>
      <AdminFinanceNav />
      <p><Link to="/admin/finance/orders">← {t('orders')}</Link></p>
      <h1>{t('orderNumber')} <span className="mono">{order.number}</span> <OrderStatusBadge status={order.status} /></h1>
      <ProblemMessage error={error} />
      <div className="table-scroll"><table className="kv"><tbody>{rows.map(([key, value]) => <tr key={key}><th>{t(key)}</th><td>{value}</td></tr>)}</tbody></table></div>
      <h2>{t('action')}</h2>
      <OrderActions key={`${order.status}-${order.paidCents}`} order={order} onDone={load} />
      <h2>{t('payments')}</h2>
      <PaymentsTable payments={detail.payments} currency={order.currency} />
      <h2>{t('audit')}</h2>
      <AuditTable entries={detail.audit} />
    </section>
  );
}

// ---------------------------------------------------------------- receipts

const emptyReceipt = { channel: manualChannels[0] as string, amount: '', reference: '', receivedAt: '', memo: '', payerName: '', remark: '' };

function RecordReceipt({ onDone }: { onDone: () => Promise<void> }) {
  const { t, label } = useI18n();
  const [form, setForm] = useState({ ...emptyReceipt, receivedAt: localNow() });
  const [result, setResult] = useState<string | null>(null);
  const set = (key: keyof typeof emptyReceipt) => (value: string) => setForm({ ...form, [key]: value });
  return (
    <details className="rental" data-testid="record-receipt">
      <summary><strong>{t('recordReceipt')}</strong></summary>
      {result && <p className="alert success" data-testid="receipt-recorded">{result}</p>}
      <Form submitLabel={t('recordReceipt')} onSubmit={async () => {
        setResult(null);
        const receipt = await api<Receipt>('/api/finance/receipts', {
          method: 'POST',
          body: {
            channel: form.channel, amountCents: requireYuan(form.amount, t('invalidAmount')), reference: form.reference.trim(), receivedAt: isoOfLocal(form.receivedAt),
            memo: form.memo.trim() || undefined, payerName: form.payerName.trim() || undefined, remark: form.remark.trim() || undefined,
          },
        });
        setResult(t('receiptRecorded', { status: label('receiptStatus', receipt.status) }));
        setForm({ ...emptyReceipt, receivedAt: localNow() });
        await onDone();
      }}>
        <div className="form grid">
          <Select label={t('channel')} name="channel" value={form.channel} options={manualChannels} optionLabel={(c) => label('paymentChannel', c)} onChange={set('channel')} />
          <TextInput label={t('amountYuan')} name="amount" value={form.amount} onChange={set('amount')} required />
          <TextInput label={t('reference')} name="reference" value={form.reference} onChange={set('reference')} required />
          <TextInput label={t('receivedAt')} name="receivedAt" type="datetime-local" value={form.receivedAt} onChange={set('receivedAt')} required />
          <TextInput label={t('memoOptional')} name="memo" value={form.memo} onChange={set('memo')} />
          <TextInput label={t('payerName')} name="payerName" value={form.payerName} onChange={set('payerName')} />
          <TextInput label={t('remarkOptional')} name="remark" value={form.remark} onChange={set('remark')} />
        </div>
      </Form>
    </details>
  );
}

function ResolveReceipt({ receipt, onDone }: { receipt: Receipt; onDone: () => Promise<void> }) {
  const { t, language } = useI18n();
  const [orderId, setOrderId] = useState('');
  const [memo, setMemo] = useState(receipt.memo ?? '');
  const [candidates, setCandidates] = useState<Order[] | null>(null);
  const [searchError, setSearchError] = useState<unknown>(null);
  const [credit, setCredit] = useState({ userId: '', remark: '' });
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.scrollIntoView?.({ behavior: 'smooth', block: 'start' }), []);
  const search = async () => {
    setSearchError(null);
    try {
      setCandidates((await api<Paged<Order>>(pagedPath('/api/finance/orders', 1, { memo }))).items);
    } catch (e) {
      setSearchError(e);
    }
  };
  return (
    <div className="split" data-testid="resolve-receipt" data-receipt-id={receipt.id} ref={box}>
      <div className="rental">
        <h3>{t('matchToOrder')}</h3>
        <div className="toolbar">
          <input aria-label={t('findByMemo')} name="memoSearch" placeholder={t('memo')} value={memo} onChange={(e) => setMemo(e.target.value)} />
          <button type="button" onClick={search}>{t('findByMemo')}</button>
        </div>
        <ProblemMessage error={searchError} />
        {candidates && (candidates.length === 0 ? <p className="muted-text">{t('noEntries')}</p> : (
          <ul>
            {candidates.map((o) => (
              <li key={o.id}>
                <button type="button" className="link" onClick={() => setOrderId(o.id)}>{o.number}</button> · {o.memo} · {orderPlanName(o, language)} ·{' '}
                <Money cents={o.priceCents} currency={o.currency} /> · <OrderStatusBadge status={o.status} />
              </li>
            ))}
          </ul>
        ))}
        <Form submitLabel={t('match')} onSubmit={async () => {
          await api(`/api/finance/receipts/${receipt.id}/match`, { method: 'POST', body: { orderId: orderId.trim() } });
          await onDone();
        }}>
          <Field label={t('orderId')} name="orderId" value={orderId} onChange={setOrderId} />
        </Form>
      </div>
      <div className="rental">
        <h3>{t('creditToWallet')}</h3>
        <Form submitLabel={t('credit')} onSubmit={async () => {
          await api(`/api/finance/receipts/${receipt.id}/credit`, { method: 'POST', body: { userId: credit.userId.trim(), remark: credit.remark } });
          await onDone();
        }}>
          <Field label={t('userId')} name="userId" value={credit.userId} onChange={(userId) => setCredit({ ...credit, userId })} />
          <TextInput label={t('remark')} name="remark" value={credit.remark} onChange={(remark) => setCredit({ ...credit, remark })} required />
        </Form>
      </div>
    </div>
  );
}

export function ReceiptsPage() {
  const { t, language, label } = useI18n();
  const [status, setStatus] = useState<string>(ReceiptStatuses[0]);
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Receipt | null>(null);
  const { data, error, reload } = useLoad<Paged<Receipt>>(pagedPath('/api/finance/receipts', page, { status }));
  return (
    <AdminFinanceSection title={t('receipts')} testId="receipts-page">
      <RecordReceipt onDone={reload} />
      <div className="toolbar">
        <select aria-label={t('status')} name="status" value={status} onChange={(e) => { setStatus(e.target.value); setPage(1); setSelected(null); }}>
          <option value="">{t('allStatuses')}</option>
          {ReceiptStatuses.map((s) => <option key={s} value={s}>{label('receiptStatus', s)}</option>)}
        </select>
      </div>
      <ProblemMessage error={error} />
      {data && (
        <>
          <ScrollTable testId="receipts">
            <thead><tr><th>{t('receivedAt')}</th><th>{t('channel')}</th><th>{t('amount')}</th><th>{t('reference')}</th><th>{t('memo')}</th><th>{t('payerName')}</th><th>{t('status')}</th><th /></tr></thead>
            <tbody>
              {data.items.map((r) => (
                <tr key={r.id} data-receipt-id={r.id} data-reference={r.reference}>
                  <td>{when(r.receivedAt, language)}</td>
                  <td>{label('paymentChannel', r.channel)}</td>
                  <td><Money cents={r.amountCents} currency={r.currency} /></td>
                  <td className="mono">{r.reference}</td>
                  <td className="mono">{r.memo}</td>
                  <td>{r.payerName}{r.remark && <div className="muted">{r.remark}</div>}</td>
                  <td>
                    <span className="badge">{label('receiptStatus', r.status)}</span>
                    {r.orderId && <> <Link to={`/admin/finance/orders/${r.orderId}`}>{t('orderNumber')}</Link></>}
                    {r.userId && <> <Link to={`/admin/finance/wallets/${r.userId}`}>{t('wallet')}</Link></>}
                  </td>
                  <td>{r.status === 'unmatched' && <button type="button" className="small" onClick={() => setSelected(r)}>{t('match')} / {t('credit')}</button>}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager page={page} pageSize={financePageSize} total={data.total} onPage={setPage} />
        </>
      )}
      {selected && (
        <>
          <h2>{formatCents(selected.amountCents, selected.currency)} · <span className="mono">{selected.reference}</span></h2>
          <ResolveReceipt key={selected.id} receipt={selected} onDone={async () => { setSelected(null); await reload(); }} />
        </>
      )}
    </AdminFinanceSection>
  );
}

// ---------------------------------------------------------------- wallets

export function WalletsPage() {
  const { t, language } = useI18n();
  const [userId, setUserId] = useState('');
  const [minBalance, setMinBalance] = useState('');
  const [page, setPage] = useState(1);
  const minCents = minBalance.trim() ? parseYuan(minBalance) : null;
  const invalid = minBalance.trim() !== '' && minCents === null;
  const { data, error } = useLoad<Paged<WalletRow>>(pagedPath('/api/finance/wallets', page, { userId, minBalanceCents: minCents === null ? '' : String(minCents) }));
  return (
    <AdminFinanceSection title={t('wallets')} testId="wallets-page">
      <div className="toolbar">
        <input aria-label={t('userId')} name="userId" placeholder={t('userId')} value={userId} onChange={(e) => { setUserId(e.target.value); setPage(1); }} />
        <input aria-label={t('minBalance')} name="minBalance" placeholder={t('minBalance')} value={minBalance} onChange={(e) => { setMinBalance(e.target.value); setPage(1); }} />
      </div>
      {invalid && <p className="alert error" role="alert">{t('invalidAmount')}</p>}
      <ProblemMessage error={error} />
      {data && (
        <>
          <ScrollTable testId="wallets">
            <thead><tr><th>{t('user')}</th><th>{t('balance')}</th><th>{t('updatedAt')}</th><th /></tr></thead>
            <tbody>
              {data.items.map((w) => (
                <tr key={w.userId} data-user-id={w.userId}>
                  <td><Link to={`/admin/users/${w.userId}`}>{w.userEmail ?? w.userId}</Link></td>
                  <td><Money cents={w.balanceCents} currency={w.currency} /></td>
                  <td>{when(w.updatedAt, language)}</td>
                  <td><Link to={`/admin/finance/wallets/${w.userId}`}>{t('ledger')}</Link></td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager page={page} pageSize={financePageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </AdminFinanceSection>
  );
}

export function WalletDetailPage() {
  const { userId = '' } = useParams();
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [adjustment, setAdjustment] = useState({ amount: '', reason: '' });
  const wallet = useLoad<Paged<WalletRow>>(pagedPath('/api/finance/wallets', 1, { userId }));
  const ledger = useLoad<Paged<LedgerEntry>>(pagedPath(`/api/finance/wallets/${userId}/ledger`, page));
  const row = wallet.data?.items.find((w) => w.userId === userId);
  return (
    <section className="card" data-testid="wallet-detail">
      <AdminFinanceNav />
      <p><Link to="/admin/finance/wallets">← {t('wallets')}</Link></p>
      <h1>{t('wallet')}: <Link to={`/admin/users/${userId}`}>{row?.userEmail ?? userId}</Link></h1>
      <ProblemMessage error={wallet.error ?? ledger.error} />
      <div className="stats">
        <div className="stat"><strong className="big" data-testid="wallet-balance">{!wallet.data ? '—' : row ? formatCents(row.balanceCents, row.currency) : formatCents(0)}</strong><span>{t('balance')}</span></div>
      </div>
      <ActionPanel title={t('adjust')} testId="action-adjust" submitLabel={t('adjust')} onSubmit={async () => {
        const amountCents = requireYuan(adjustment.amount, t('invalidAmount'), { allowNegative: true });
        await api(`/api/finance/wallets/${userId}/adjustments`, { method: 'POST', body: { amountCents, reason: adjustment.reason } });
        setAdjustment({ amount: '', reason: '' });
        await Promise.all([wallet.reload(), ledger.reload()]);
      }}>
        <div className="form grid">
          <TextInput label={t('adjustAmount')} name="amount" value={adjustment.amount} onChange={(amount) => setAdjustment({ ...adjustment, amount })} required />
          <TextInput label={t('reason')} name="reason" value={adjustment.reason} onChange={(reason) => setAdjustment({ ...adjustment, reason })} required />
        </div>
      </ActionPanel>
      <h2>{t('ledger')}</h2>
      {ledger.data && (
        <>
          <LedgerTable entries={ledger.data.items} orderPath={(id) => `/admin/finance/orders/${id}`} />
          <Pager page={page} pageSize={financePageSize} total={ledger.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- donations and settings

function useSettings() {
  const settings = useLoad<FinanceSettings>('/api/finance/settings');
  const save = async (change: Partial<Pick<FinanceSettings, 'orderTimeoutMinutes' | 'publicDonations'>>) => {
    if (!settings.data) return;
    const { orderTimeoutMinutes, publicDonations } = { ...settings.data, ...change };
    await api('/api/finance/settings', { method: 'PUT', body: { orderTimeoutMinutes, publicDonations } });
    await settings.reload();
  };
  return { ...settings, save };
}

export function AdminDonationsPage() {
  const { t } = useI18n();
  const [range, setRange] = useState({ from: '', to: '' });
  const [page, setPage] = useState(1);
  const { data, error } = useLoad<Paged<Donation>>(pagedPath('/api/finance/donations', page, {
    from: range.from ? dayStart(range.from) : '', to: range.to ? dayStart(range.to, 1) : '',
  }));
  const settings = useSettings();
  const [settingsError, setSettingsError] = useState<unknown>(null);
  return (
    <AdminFinanceSection title={t('donations')} testId="admin-donations">
      {settings.data && (
        <p className="row-actions">
          <Check label={t('publicDonations')} name="publicDonations" checked={settings.data.publicDonations}
            onChange={(publicDonations) => { setSettingsError(null); settings.save({ publicDonations }).catch(setSettingsError); }} />
          <Link to="/thanks">{t('thanks')}</Link>
        </p>
      )}
      <ProblemMessage error={settings.error ?? settingsError} />
      <div className="toolbar">
        <label className="field"><span>{t('from')}</span><input type="date" name="from" value={range.from} onChange={(e) => { setRange({ ...range, from: e.target.value }); setPage(1); }} /></label>
        <label className="field"><span>{t('to')}</span><input type="date" name="to" value={range.to} onChange={(e) => { setRange({ ...range, to: e.target.value }); setPage(1); }} /></label>
      </div>
      <ProblemMessage error={error} />
      {data && (
        <>
          <DonationsTable donations={data.items} showCode testId="donations" />
          <Pager page={page} pageSize={financePageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </AdminFinanceSection>
  );
}

function ReceivingAccountForm({ channel, current, onSaved }: { channel: PaymentAccountChannel; current: FinanceSettings['accounts'][number] | undefined; onSaved: () => Promise<void> }) {
  const { t, label } = useI18n();
  const [form, setForm] = useState({ accountName: current?.accountName ?? '', account: current?.account ?? '', enabled: current?.enabled ?? false });
  const [qr, setQr] = useState<{ dataUrl: string; contentType: string } | null>(null);
  const [fileProblem, setFileProblem] = useState<MessageKey | null>(null);
  const [version, setVersion] = useState(0);
  const choose = (file: File | undefined) => {
    setQr(null);
    setFileProblem(null);
    if (!file) return;
    const problem = qrFileProblem(file);
    if (problem) {
      setFileProblem(problem);
      return;
    }
    const reader = new FileReader();
    reader.onload = () => setQr({ dataUrl: String(reader.result), contentType: file.type });
    reader.readAsDataURL(file);
  };
  return (
    <div className="rental" data-testid={`account-${channel}`}>
      <h2>{t('receivingAccount', { channel: label('accountChannel', channel) })}</h2>
      <Form submitLabel={t('save')} onSubmit={async () => {
        await api(`/api/finance/payment-accounts/${channel}`, {
          method: 'PUT',
          body: { ...form, qrImageBase64: qr ? base64OfDataUrl(qr.dataUrl) : undefined, qrContentType: qr?.contentType },
        });
        setQr(null);
        setVersion((v) => v + 1);
        await onSaved();
      }}>
        <div className="form grid">
          <TextInput label={t('accountName')} name="accountName" value={form.accountName} onChange={(accountName) => setForm({ ...form, accountName })} required />
          <TextInput label={t('accountNumber')} name="account" value={form.account} onChange={(account) => setForm({ ...form, account })} required />
          <Check label={t('enabledLabel')} name="enabled" checked={form.enabled} onChange={(enabled) => setForm({ ...form, enabled })} />
          <label className="field"><span>{t('qrCode')} (PNG/JPEG ≤ 512 KiB)</span>
            <input type="file" name="qr" accept="image/png,image/jpeg" onChange={(e) => choose(e.target.files?.[0])} />
          </label>
        </div>
        {fileProblem && <p className="alert error" role="alert" data-code={fileProblem}>{t(fileProblem)}</p>}
        {qr ? <img className="qr-preview" src={qr.dataUrl} alt={t('qrCode')} data-testid="qr-preview" /> : current?.hasQr && (
          <div className="qr-preview-current"><AuthedImage path={`/api/finance/payment-accounts/${channel}/qr`} alt={t('qrCode')} version={version} /></div>
        )}
      </Form>
    </div>
  );
}

export function PaymentSettingsPage() {
  const { t } = useI18n();
  const settings = useSettings();
  const [timeout, setTimeoutMinutes] = useState<string | null>(null);
  const [publicDonations, setPublicDonations] = useState<boolean | null>(null);
  const data = settings.data;
  return (
    <AdminFinanceSection title={t('paymentSettings')} testId="payment-settings">
      <ProblemMessage error={settings.error} />
      {!data ? !settings.error && <p>{t('loading')}</p> : (
        <>
          <Form submitLabel={t('save')} onSubmit={async () => {
            await settings.save({ orderTimeoutMinutes: Number(timeout ?? data.orderTimeoutMinutes), publicDonations: publicDonations ?? data.publicDonations });
            setTimeoutMinutes(null);
            setPublicDonations(null);
          }}>
            <div className="form grid">
              <TextInput label={t('orderTimeoutMinutes')} name="orderTimeoutMinutes" type="number" value={timeout ?? String(data.orderTimeoutMinutes)} onChange={setTimeoutMinutes} required />
              <Check label={t('publicDonations')} name="publicDonations" checked={publicDonations ?? data.publicDonations} onChange={setPublicDonations} />
            </div>
          </Form>
          {PaymentAccountChannels.map((channel) => (
            <ReceivingAccountForm key={channel} channel={channel} current={data.accounts.find((a) => a.channel === channel)} onSaved={settings.reload} />
          ))}
        </>
      )}
    </AdminFinanceSection>
  );
}

// ---------------------------------------------------------------- settlements and audit

function SettlementCard({ settlement, onDone }: { settlement: Settlement; onDone: () => Promise<void> }) {
  const { t, language, label } = useI18n();
  const [action, setAction] = useState<string>(SettlementActions[0]);
  const [remark, setRemark] = useState('');
  return (
    <div className="rental" data-testid="settlement" data-user-id={settlement.userId}>
      <div className="rental-head">
        <strong><Link to={`/admin/users/${settlement.userId}`}>{settlement.userEmail ?? settlement.userId}</Link></strong>
        <Money cents={settlement.balanceCents} currency={settlement.currency} />
        <span className="muted">{when(settlement.since ?? settlement.createdAt, language)}</span>
      </div>
      <p>{t('blockers')}: {settlement.blockers.map((b) => <span key={b} className="badge status-disabled" data-blocker={b}>{label('settlementBlocker', b)}</span>)}</p>
      <p><Link to={`/admin/finance/orders?userId=${settlement.userId}`}>{t('orders')}</Link> · <Link to={`/admin/finance/wallets/${settlement.userId}`}>{t('ledger')}</Link></p>
      <Form submitLabel={t('settle')} onSubmit={async () => {
        await api(`/api/finance/settlements/${settlement.userId}`, { method: 'POST', body: { action, remark } });
        await onDone();
      }}>
        <div className="form grid">
          <Select label={t('settleAction')} name="action" value={action} options={SettlementActions} optionLabel={(a) => label('settlementAction', a)} onChange={setAction} />
          <TextInput label={t('remark')} name="remark" value={remark} onChange={setRemark} required />
        </div>
      </Form>
    </div>
  );
}

export function SettlementsPage() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const { data, error, reload } = useLoad<Paged<Settlement>>(pagedPath('/api/finance/settlements', page));
  return (
    <AdminFinanceSection title={t('settlements')} testId="settlements-page">
      <ProblemMessage error={error} />
      {data && (data.items.length === 0 ? <p className="muted-text">{t('nothingToSettle')}</p> : (
        <>
          {data.items.map((s) => <SettlementCard key={s.userId} settlement={s} onDone={reload} />)}
          <Pager page={page} pageSize={financePageSize} total={data.total} onPage={setPage} />
        </>
      ))}
    </AdminFinanceSection>
  );
}

export function FinanceAuditPage() {
  const { t, label } = useI18n();
  const [action, setAction] = useState('');
  const [targetId, setTargetId] = useState('');
  const [page, setPage] = useState(1);
  const { data, error } = useLoad<Paged<FinanceAuditEntry>>(pagedPath('/api/finance/audit', page, { action, targetId }));
  return (
    <AdminFinanceSection title={t('audit')} testId="finance-audit-page">
      <div className="toolbar">
        <select aria-label={t('action')} value={action} onChange={(e) => { setAction(e.target.value); setPage(1); }}>
          <option value="">{t('action')}</option>
          {FinanceAuditActions.map((a) => <option key={a} value={a}>{label('financeAudit', a)}</option>)}
        </select>
        <input aria-label={t('targetId')} name="targetId" placeholder={t('targetId')} value={targetId} onChange={(e) => { setTargetId(e.target.value); setPage(1); }} />
      </div>
      <ProblemMessage error={error} />
      {data && (
        <>
          <AuditTable entries={data.items} />
          <Pager page={page} pageSize={financePageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </AdminFinanceSection>
  );
}
