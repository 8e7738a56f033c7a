// Admin finance: the overview with its charts, the plans editor, orders with their actions, and the finance audit log.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { BarChart, Figure, Form, HorizontalBars, Pager, ProblemMessage, ScrollTable } from '../components';
import { api, type Paged } from '../lib/api';
import { amountDue, dayOf, dayStart, orderPlanName, planName, toOrderDetail, type FinanceAuditEntry, type Order, type OrderDetail, type Plan, type Stats } from '../lib/finance';
import { useI18n, type MessageKey } from '../lib/i18n';
import { centsToYuanText, formatCents } from '../lib/money';
import { Currencies, FinanceAuditActions, OrderMarks, OrderStatuses, OrderTypes, RefundMethods } from '../lib/vocabulary.generated';
import {
  ActionPanel, AdminFinanceNav, AdminFinanceSection, AuditTable, Check, isoOfLocal, localNow, manualChannels, requireYuan, Select, TextInput,
} from './FinanceAdminShared';
import { Money, OrderStatusBadge, PaymentsTable, when } from './FinancePages';
import { pagedPath, pageSize, useLoad } from '../lib/load';

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
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </AdminFinanceSection>
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
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </AdminFinanceSection>
  );
}
