// Distributor portal: the overview (tier, rate, figures, progress to the next tier), requesting serials at the tier's
// discount, my requests (an approved one is paid on finance's order page), my serials and their life, my renters,
// commissions and payouts; and a renter's application to become a distributor. Shared bits the admin and storefront
// pages reuse (tier names, status badges, the distributor's sub-navigation) live here too.
import { useState, type ReactNode } from 'react';
import { Link, NavLink } from 'react-router-dom';
import { Form, HorizontalBars, Figure, Pager, ProblemMessage, ScrollTable } from '../components';
import { api, ApiError, download, type Paged } from '../lib/api';
import { useAuth } from '../lib/auth';
import {
  commissionsByStatus, discountedPriceCents, percentLabel, tierName, tierProgress, type Application, type AttributedRenter, type Commission, type CommissionFigures,
  type Dashboard,
  type OwnSerial, type Payout, type SerialRequest, type Tier,
} from '../lib/distribution';
import { itemsOf, planName, type Plan } from '../lib/finance';
import { useI18n, type MessageKey } from '../lib/i18n';
import { base64OfDataUrl, formatCents, qrFileProblem } from '../lib/money';
import { CommissionStatuses, PaymentAccountChannels, SerialRequestStatuses, SerialStatuses } from '../lib/vocabulary.generated';
import { requireYuan, Select, TextInput } from './FinanceAdminShared';
import { CopyButton, Money, when } from './FinancePages';
import { pagedPath, pageSize, useLoad } from '../lib/load';

export const distributionApi = '/api/distribution';

/** A problem found before asking the API, shown like the API's own (role=alert with a code). */
export function localProblem(code: string, title: string): ApiError {
  return new ApiError({ status: 400, code, title });
}

/** A tier's own name when the API gave one, else the label of its code. */
export function TierName({ code, tiers }: { code: string | null | undefined; tiers?: Tier[] | null }) {
  const { language, label } = useI18n();
  if (!code) return <>—</>;
  const tier = tiers?.find((t) => t.code === code);
  return <span className="badge tier" data-tier={code}>{tier ? tierName(tier, language) : label('tier', code)}</span>;
}

/** The tiers list (GET /tiers, any signed-in user), ordered as they are climbed. */
export function useTiers() {
  const loaded = useLoad<Tier[] | Paged<Tier>>(`${distributionApi}/tiers`);
  const tiers = loaded.data ? [...itemsOf(loaded.data)].sort((a, b) => a.sortOrder - b.sortOrder) : null;
  return { ...loaded, tiers };
}

export function StatusBadge({ group, status }: { group: 'requestStatus' | 'commissionStatus' | 'payoutStatus' | 'applicationStatus' | 'distributorStatus' | 'deliveryStatus'; status: string }) {
  const { label } = useI18n();
  return <span className={`badge dist-${status}`} data-status={status}>{label(group, status)}</span>;
}

export function DistributorNav() {
  const { t } = useI18n();
  const links: [string, MessageKey][] = [
    ['/distribution', 'distributionDashboard'], ['/distribution/request', 'requestSerials'], ['/distribution/requests', 'myRequests'],
    ['/distribution/serials', 'mySerials'], ['/distribution/renters', 'myRenters'], ['/distribution/commissions', 'commissions'],
    ['/distribution/storefront', 'storefront'], ['/orders', 'myOrders'],
  ];
  return (
    <nav className="subnav" aria-label={t('distribution')}>
      {links.map(([to, key]) => <NavLink key={to} to={to} end={to === '/distribution'}>{t(key)}</NavLink>)}
    </nav>
  );
}

function DistributorSection({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="card" data-testid={testId}>
      <DistributorNav />
      <h1>{title}</h1>
      {children}
    </section>
  );
}

export function useDashboard() {
  const loaded = useLoad<Dashboard>(`${distributionApi}/me/dashboard`);
  return { ...loaded, dashboard: loaded.data };
}

/** The dashboard's own tier: its names when the tier exists, else the label of its code. */
export function dashboardTierName(dashboard: Dashboard, language: string, label: (group: 'tier', value: string) => string): string {
  return dashboard.tierNameZh || dashboard.tierNameEn
    ? tierName({ nameZh: dashboard.tierNameZh ?? '', nameEn: dashboard.tierNameEn ?? '' }, language)
    : label('tier', dashboard.tierCode);
}

/** Progress of the turnover over the promotion window towards the next tier's threshold. */
export function TierProgress({ dashboard }: { dashboard: Dashboard }) {
  const { t, language } = useI18n();
  const next = dashboard.nextTier;
  if (!next) return <p className="muted-text" data-testid="tier-progress" data-percent={100}>{t('topTier')}</p>;
  const windowTurnover = Math.max(0, next.promotionTurnoverCents - next.remainingCents);
  const percent = tierProgress(windowTurnover, next.promotionTurnoverCents);
  return (
    <div data-testid="tier-progress" data-percent={percent}>
      <p>{t('nextTier', { name: tierName(next, language) })} · {percentLabel(next.rateBasisPoints)}</p>
      <div className="meter" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}><div style={{ width: `${percent}%` }} /></div>
      <p className="muted-text">
        {t('tierProgress', { turnover: formatCents(windowTurnover), threshold: formatCents(next.promotionTurnoverCents), percent })} · {t('promotionWindow', { n: dashboard.promotionWindowDays })}
      </p>
    </div>
  );
}

/** Commission amounts by state as horizontal bars. */
export function CommissionBars({ commissions, testId }: { commissions: CommissionFigures; testId: string }) {
  const { t, label } = useI18n();
  const byStatus = commissionsByStatus(commissions);
  return (
    <HorizontalBars testId={testId} label={t('commissionsByStatus')}
      rows={CommissionStatuses.map((s) => ({ key: s, label: label('commissionStatus', s), value: byStatus[s], display: formatCents(byStatus[s]) }))} />
  );
}

export function DistributorDashboardPage() {
  const { t, language, label } = useI18n();
  const { dashboard, error } = useDashboard();
  const money = (cents: number) => formatCents(cents);
  const figures = dashboard?.figures;
  return (
    <DistributorSection title={t('distributionDashboard')} testId="distribution-dashboard">
      <ProblemMessage error={error} />
      {!dashboard || !figures ? !error && <p>{t('loading')}</p> : (
        <>
          <div className="stats">
            <Figure testId="figure-tier" label={t('tier')} value={dashboardTierName(dashboard, language, label)} />
            <Figure testId="figure-rate" label={t('commissionRate')} value={percentLabel(dashboard.rateBasisPoints)} />
            <Figure testId="figure-turnover" label={t('turnover')} value={money(figures.turnoverCents)} />
            <Figure testId="figure-bought" label={t('serialsBought')} value={figures.serialsBought} />
            <Figure testId="figure-redeemed" label={t('serialsRedeemed')} value={figures.serialsRedeemed} />
            <Figure testId="figure-renters" label={t('myRenters')} value={dashboard.renters} />
            <Figure testId="figure-available" label={t('availableCommission')} value={money(figures.commissions.availableCents)} />
            <Figure testId="figure-paid-out" label={t('payoutsPaid')} value={money(figures.payouts.paidCents)} />
            <Figure testId="figure-to-wallet" label={t('movedToWalletTotal')} value={money(figures.payouts.movedToWalletCents)} />
          </div>
          <TierProgress dashboard={dashboard} />
          <CommissionBars testId="commissions-by-status" commissions={figures.commissions} />
          <p className="row-actions">
            <Link to="/distribution/request">{t('requestSerials')}</Link>
            <Link to="/distribution/commissions">{t('requestPayout')}</Link>
          </p>
        </>
      )}
    </DistributorSection>
  );
}

// ---------------------------------------------------------------- requests

const quantityPattern = /^\d{1,5}$/;

export function RequestSerialsPage() {
  const { t, language, label } = useI18n();
  const plans = useLoad<Plan[] | Paged<Plan>>('/api/finance/plans');
  const { dashboard, error: dashboardError } = useDashboard();
  const [form, setForm] = useState({ planId: '', quantity: '10', remark: '' });
  const [submitted, setSubmitted] = useState<SerialRequest | null>(null);
  const list = plans.data ? itemsOf(plans.data) : [];
  const plan = list.find((p) => p.id === form.planId) ?? null;
  const quantity = quantityPattern.test(form.quantity.trim()) ? Number(form.quantity) : NaN;
  const validQuantity = quantity >= 1 && quantity <= 10000;
  const rate = dashboard?.rateBasisPoints;
  const estimate = plan && validQuantity && rate !== undefined ? discountedPriceCents(plan.priceCents, quantity, rate) : null;
  return (
    <DistributorSection title={t('requestSerials')} testId="request-serials">
      <ProblemMessage error={plans.error ?? dashboardError} />
      {submitted && (
        <p className="alert success" data-testid="request-submitted">{t('requestSubmitted')} <Link to="/distribution/requests">{t('myRequests')}</Link></p>
      )}
      <div data-testid="request-form">
        <Form submitLabel={t('requestSerials')} onSubmit={async () => {
          if (!validQuantity) throw localProblem('invalid_quantity', `${t('quantity')}: 1–10000`);
          setSubmitted(null);
          const created = await api<SerialRequest>(`${distributionApi}/requests`, {
            method: 'POST', body: { planId: form.planId, quantity, remark: form.remark.trim() || undefined },
          });
          setSubmitted(created);
          setForm({ ...form, remark: '' });
        }}>
          <div className="form grid">
            <label className="field"><span>{t('plan')}</span>
              <select name="planId" value={form.planId} required onChange={(e) => setForm({ ...form, planId: e.target.value })}>
                <option value="">—</option>
                {list.map((p) => <option key={p.id} value={p.id}>{planName(p, language)} · {formatCents(p.priceCents, p.currency)}</option>)}
              </select>
            </label>
            <TextInput label={`${t('quantity')} (1–10000)`} name="quantity" type="number" value={form.quantity} onChange={(quantity) => setForm({ ...form, quantity })} required />
            <TextInput label={t('remarkOptional')} name="remark" value={form.remark} onChange={(remark) => setForm({ ...form, remark })} />
          </div>
          <div className="stats">
            <Figure label={t('unitPrice')} value={plan ? formatCents(plan.priceCents, plan.currency) : '—'} />
            <Figure testId="price-estimate" label={t('estimate')} value={estimate === null ? '—' : formatCents(estimate, plan?.currency)} />
          </div>
          {dashboard && (
            <p className="muted-text">{t('estimateHint', { tier: dashboardTierName(dashboard, language, label), rate: percentLabel(dashboard.rateBasisPoints) })}</p>
          )}
        </Form>
      </div>
    </DistributorSection>
  );
}

export const requestPlanName = (r: SerialRequest, language: string) => planName({ nameZh: r.planNameZh, nameEn: r.planNameEn }, language);

export function MyRequestsPage() {
  const { t, language, label } = useI18n();
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [actionError, setActionError] = useState<unknown>(null);
  const { data, error, reload } = useLoad<Paged<SerialRequest>>(pagedPath(`${distributionApi}/requests/mine`, page, { status }));
  const cancel = async (request: SerialRequest) => {
    if (!window.confirm(t('confirmCancelRequest'))) return;
    setActionError(null);
    try {
      await api(`${distributionApi}/requests/mine/${request.id}/cancel`, { method: 'POST' });
      await reload();
    } catch (e) {
      setActionError(e);
    }
  };
  return (
    <DistributorSection title={t('myRequests')} testId="my-requests">
      <div className="toolbar">
        <select aria-label={t('status')} value={status} onChange={(e) => { setStatus(e.target.value); setPage(1); }}>
          <option value="">{t('allStatuses')}</option>
          {SerialRequestStatuses.map((s) => <option key={s} value={s}>{label('requestStatus', s)}</option>)}
        </select>
      </div>
      <ProblemMessage error={error ?? actionError} />
      {!data ? !error && <p>{t('loading')}</p> : data.items.length === 0 ? <p className="muted-text">{t('noEntries')}</p> : (
        <>
          <ScrollTable testId="requests">
            <thead><tr><th>{t('createdAt')}</th><th>{t('plan')}</th><th>{t('quantity')}</th><th>{t('status')}</th><th>{t('price')}</th><th>{t('commissionRate')}</th><th>{t('payBy')}</th><th /></tr></thead>
            <tbody>
              {data.items.map((r) => (
                <tr key={r.id} data-testid="request-row" data-request-id={r.id} data-status={r.status}>
                  <td>{when(r.createdAt, language)}</td>
                  <td>{requestPlanName(r, language)}</td>
                  <td>{r.quantity}</td>
                  <td><StatusBadge group="requestStatus" status={r.status} />{r.rejectionReason && <div className="muted wrap">{r.rejectionReason}</div>}</td>
                  <td>{r.priceCents === null ? '—' : <Money cents={r.priceCents} currency={r.currency ?? undefined} />}</td>
                  <td>{r.rateBasisPoints === null ? '—' : <>{percentLabel(r.rateBasisPoints)} <TierName code={r.tierCode} /></>}</td>
                  <td>{when(r.payBy, language)}</td>
                  <td className="actions">
                    {r.status === 'approved' && r.orderId && <Link to={`/orders/${r.orderId}`} data-testid="pay-link">{t('payNow')}</Link>}{' '}
                    {(r.status === 'requested' || r.status === 'approved') && (
                      <button type="button" className="small danger" data-testid="cancel-request" onClick={() => cancel(r)}>{t('cancelRequest')}</button>
                    )}
                    {r.status === 'issued' && <Link to="/distribution/serials">{t('mySerials')}</Link>}
                  </td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </DistributorSection>
  );
}

// ---------------------------------------------------------------- serials

/** Where a serial is in its life: redeemed (when, by whom), expired unused, or issued and waiting. */
export function serialLife(serial: Pick<OwnSerial, 'status' | 'firstUsedAt' | 'validUntil'>, now = Date.now()): 'redeemed' | 'expired' | 'issued' {
  if (serial.firstUsedAt) return 'redeemed';
  if (serial.status === 'expired' || new Date(serial.validUntil).getTime() < now) return 'expired';
  return 'issued';
}

const lifeKeys = { issued: 'lifeIssued', redeemed: 'lifeRedeemed', expired: 'lifeExpired' } as const;

export function MySerialsPage() {
  const { t, language, label } = useI18n();
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [exportError, setExportError] = useState<unknown>(null);
  const { data, error } = useLoad<Paged<OwnSerial>>(pagedPath('/api/serials/mine', page, { status }));
  const exportAs = async (format: 'txt' | 'csv') => {
    setExportError(null);
    const query = new URLSearchParams({ format });
    if (status) query.set('status', status);
    try {
      await download(`/api/serials/mine/export?${query}`, `serials.${format}`);
    } catch (e) {
      setExportError(e);
    }
  };
  return (
    <DistributorSection title={t('mySerials')} testId="my-serials">
      <div className="toolbar">
        <select aria-label={t('status')} value={status} onChange={(e) => { setStatus(e.target.value); setPage(1); }}>
          <option value="">{t('allStatuses')}</option>
          {SerialStatuses.map((s) => <option key={s} value={s}>{label('serialStatus', s)}</option>)}
        </select>
        <button type="button" data-testid="export-txt" onClick={() => exportAs('txt')}>{t('export')} TXT</button>
        <button type="button" data-testid="export-csv" onClick={() => exportAs('csv')}>{t('export')} CSV</button>
      </div>
      <ProblemMessage error={error ?? exportError} />
      {!data ? !error && <p>{t('loading')}</p> : data.items.length === 0 ? <p className="muted-text">{t('noEntries')}</p> : (
        <>
          <ScrollTable testId="own-serials">
            <thead><tr><th>{t('cardKey')}</th><th>{t('status')}</th><th>{t('serialLife')}</th><th>{t('issuedAt')}</th><th>{t('redeemedAt')}</th><th>{t('redeemedBy')}</th><th>{t('validUntil')}</th></tr></thead>
            <tbody>
              {data.items.map((s) => {
                const life = serialLife(s);
                return (
                  <tr key={s.id} data-testid="own-serial" data-life={life}>
                    <td><span className="mono">{s.fullCode}</span> <CopyButton text={s.fullCode} /></td>
                    <td><span className={`badge status-${s.status}`}>{label('serialStatus', s.status)}</span></td>
                    <td><span className={`badge life-${life}`}>{t(lifeKeys[life])}</span></td>
                    <td>{when(s.createdAt, language)}</td>
                    <td>{when(s.firstUsedAt, language)}</td>
                    <td className="mono">{s.userId ? s.userId.slice(0, 8) : '—'}</td>
                    <td>{when(s.validUntil, language)}</td>
                  </tr>
                );
              })}
            </tbody>
          </ScrollTable>
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </DistributorSection>
  );
}

// ---------------------------------------------------------------- renters

export function MyRentersPage() {
  const { t, language } = useI18n();
  const [page, setPage] = useState(1);
  const { data, error } = useLoad<Paged<AttributedRenter>>(pagedPath(`${distributionApi}/me/renters`, page));
  return (
    <DistributorSection title={t('myRenters')} testId="my-renters">
      <ProblemMessage error={error} />
      {!data ? !error && <p>{t('loading')}</p> : data.items.length === 0 ? <p className="muted-text">{t('noEntries')}</p> : (
        <>
          <ScrollTable testId="renters">
            <thead><tr><th>{t('email')}</th><th>{t('attributedAt')}</th><th>{t('renterPaid')}</th></tr></thead>
            <tbody>
              {data.items.map((r) => (
                <tr key={r.renterId} data-testid="renter-row" data-renter-id={r.renterId}>
                  <td>{r.email ?? r.renterId.slice(0, 8)}</td><td>{when(r.attributedAt, language)}</td><td><Money cents={r.paidCents} /></td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
          <p><Link to="/admin/policy-logs">{t('policyLogs')}</Link></p>
        </>
      )}
    </DistributorSection>
  );
}

// ---------------------------------------------------------------- commissions and payouts

export function PayoutsTable({ payouts }: { payouts: Payout[] }) {
  const { t, language, label } = useI18n();
  if (payouts.length === 0) return <p className="muted-text">{t('noEntries')}</p>;
  return (
    <ScrollTable testId="payouts">
      <thead><tr><th>{t('createdAt')}</th><th>{t('amount')}</th><th>{t('status')}</th><th>{t('payoutAccount')}</th><th>{t('reference')}</th><th>{t('decidedAt')}</th></tr></thead>
      <tbody>
        {payouts.map((p) => (
          <tr key={p.id} data-testid="payout-row" data-status={p.status}>
            <td>{when(p.requestedAt, language)}</td>
            <td><Money cents={p.amountCents} currency={p.currency} /></td>
            <td><StatusBadge group="payoutStatus" status={p.status} />{p.rejectionReason && <div className="muted wrap">{p.rejectionReason}</div>}</td>
            <td>{label('accountChannel', p.payoutChannel)} {p.payoutAccountName} <span className="mono">{p.payoutAccount}</span></td>
            <td className="mono">{p.reference ?? '—'}</td>
            <td>{when(p.decidedAt, language)}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

export function CommissionsPage() {
  const { t, language, label } = useI18n();
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [payoutAmount, setPayoutAmount] = useState('');
  const [walletAmount, setWalletAmount] = useState('');
  const [done, setDone] = useState<MessageKey | null>(null);
  const { dashboard, reload: reloadDashboard } = useDashboard();
  const commissions = useLoad<Paged<Commission>>(pagedPath(`${distributionApi}/me/commissions`, page, { status }));
  const [payoutPage, setPayoutPage] = useState(1);
  const payouts = useLoad<Paged<Payout>>(pagedPath(`${distributionApi}/me/payouts`, payoutPage));
  const available = dashboard ? dashboard.figures.commissions.availableCents : null;
  const reloadAll = () => Promise.all([reloadDashboard(), commissions.reload(), payouts.reload()]);
  return (
    <DistributorSection title={t('commissions')} testId="commissions-page">
      {done && <p className="alert success" data-testid="money-done">{t(done)}</p>}
      <div className="stats">
        <Figure testId="figure-available" label={t('availableCommission')} value={available === null ? '—' : formatCents(available)} />
        {dashboard && <Figure label={t('commissionRate')} value={percentLabel(dashboard.rateBasisPoints)} />}
        {dashboard && <Figure label={t('holdingDays')} value={dashboard.holdingDays} />}
      </div>
      <div className="pay">
        <div className="pay-box" data-testid="payout-form">
          <h2>{t('requestPayout')}</h2>
          {dashboard && <p className="muted-text">{t('minimumPayoutHint', { amount: formatCents(dashboard.minimumPayoutCents) })}</p>}
          <Form submitLabel={t('requestPayout')} onSubmit={async () => {
            setDone(null);
            const amountCents = payoutAmount.trim() ? requireYuan(payoutAmount, t('invalidAmount')) : undefined;
            await api(`${distributionApi}/me/payouts`, { method: 'POST', body: amountCents === undefined ? {} : { amountCents } });
            setPayoutAmount('');
            setDone('payoutRequested');
            await reloadAll();
          }}>
            <TextInput label={t('payoutAmountOptional')} name="amount" value={payoutAmount} onChange={setPayoutAmount} />
          </Form>
        </div>
        <div className="pay-box" data-testid="wallet-transfer-form">
          <h2>{t('moveToWallet')}</h2>
          <p className="muted-text">{t('moveToWalletHint')}</p>
          <Form submitLabel={t('moveToWallet')} onSubmit={async () => {
            setDone(null);
            const amountCents = requireYuan(walletAmount, t('invalidAmount'));
            await api(`${distributionApi}/me/wallet-transfers`, { method: 'POST', body: { amountCents } });
            setWalletAmount('');
            setDone('movedToWallet');
            await reloadAll();
          }}>
            <TextInput label={t('amountYuan')} name="amount" value={walletAmount} onChange={setWalletAmount} required />
          </Form>
        </div>
      </div>

      <h2>{t('commissions')}</h2>
      <div className="toolbar">
        <select aria-label={t('status')} value={status} onChange={(e) => { setStatus(e.target.value); setPage(1); }}>
          <option value="">{t('allStatuses')}</option>
          {CommissionStatuses.map((s) => <option key={s} value={s}>{label('commissionStatus', s)}</option>)}
        </select>
      </div>
      <ProblemMessage error={commissions.error} />
      {commissions.data && (commissions.data.items.length === 0 ? <p className="muted-text">{t('noEntries')}</p> : (
        <>
          <ScrollTable testId="commissions">
            <thead><tr><th>{t('earnedAt')}</th><th>{t('user')}</th><th>{t('base')}</th><th>{t('commissionRate')}</th><th>{t('amount')}</th><th>{t('status')}</th><th>{t('availableAt')}</th></tr></thead>
            <tbody>
              {commissions.data.items.map((c) => (
                <tr key={c.id} data-testid="commission-row" data-status={c.status}>
                  <td>{when(c.earnedAt, language)}</td>
                  <td className="mono">{c.renterId.slice(0, 8)}</td>
                  <td><Money cents={c.baseCents} currency={c.currency} /></td>
                  <td>{percentLabel(c.rateBasisPoints)}</td>
                  <td><Money cents={c.amountCents} currency={c.currency} signed={c.amountCents < 0} /></td>
                  <td><StatusBadge group="commissionStatus" status={c.status} /></td>
                  <td>{when(c.availableAt, language)}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager page={page} pageSize={pageSize} total={commissions.data.total} onPage={setPage} />
        </>
      ))}

      <h2>{t('payouts')}</h2>
      <ProblemMessage error={payouts.error} />
      {payouts.data && (
        <>
          <PayoutsTable payouts={payouts.data.items} />
          <Pager page={payoutPage} pageSize={pageSize} total={payouts.data.total} onPage={setPayoutPage} />
        </>
      )}
    </DistributorSection>
  );
}

// ---------------------------------------------------------------- becoming a distributor

const emptyApplication = { contactName: '', contact: '', payoutChannel: 'alipay', payoutAccountName: '', payoutAccount: '', remark: '' };

/** The newest of the caller's applications: the API may answer one, a list, or 404 when there is none. */
function latestApplication(body: Application | Application[] | Paged<Application> | null): Application | null {
  if (!body) return null;
  const list = Array.isArray(body) ? body : 'items' in body ? body.items : [body];
  return [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null;
}

export function BecomeDistributorPage() {
  const { t, label, language } = useI18n();
  const { user } = useAuth();
  const mine = useLoad<Application | Application[] | Paged<Application>>(`${distributionApi}/applications/mine`);
  const none = mine.error instanceof ApiError && mine.error.problem.status === 404;
  const application = latestApplication(mine.data);
  const [form, setForm] = useState(emptyApplication);
  const [qr, setQr] = useState<{ dataUrl: string; contentType: string } | null>(null);
  const [fileProblem, setFileProblem] = useState<MessageKey | null>(null);
  const set = (key: keyof typeof emptyApplication) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
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
  const canApply = user?.role === 'renter' && (!application || application.status === 'rejected');
  return (
    <section className="card" data-testid="become-distributor">
      <h1>{t('becomeDistributor')}</h1>
      <p className="muted-text">{t('becomeDistributorIntro')}</p>
      {user?.role === 'distributor' && <p className="alert success"><Link to="/distribution">{t('distribution')}</Link></p>}
      {!none && <ProblemMessage error={mine.error} />}
      {application && (
        <div className="rental" data-testid="application" data-status={application.status}>
          <p>{t('applicationStatus')}: <StatusBadge group="applicationStatus" status={application.status} /> · {when(application.createdAt, language)}</p>
          <p>{application.contactName} · {application.contact} · {label('accountChannel', application.payoutChannel)} {application.payoutAccountName} {application.payoutAccount}</p>
          {application.status === 'pending' && <p className="muted-text">{t('applicationSubmitted')}</p>}
          {application.status === 'approved' && user?.role === 'renter' && <p className="alert info">{t('applicationApprovedHint')}</p>}
          {application.rejectionReason && <p className="alert error">{t('rejectionReason')}: {application.rejectionReason}</p>}
        </div>
      )}
      {canApply && (mine.data || none) && (
        <div data-testid="application-form">
          <Form submitLabel={t('apply')} onSubmit={async () => {
            await api(`${distributionApi}/applications`, {
              method: 'POST',
              body: {
                contactName: form.contactName.trim(), contact: form.contact.trim(), payoutChannel: form.payoutChannel,
                payoutAccountName: form.payoutAccountName.trim(), payoutAccount: form.payoutAccount.trim(),
                payoutQrBase64: qr ? base64OfDataUrl(qr.dataUrl) : undefined, payoutQrContentType: qr?.contentType,
                remark: form.remark.trim() || undefined,
              },
            });
            setForm(emptyApplication);
            setQr(null);
            await mine.reload();
          }}>
            <div className="form grid">
              <TextInput label={t('contactName')} name="contactName" value={form.contactName} onChange={set('contactName')} required />
              <TextInput label={t('contact')} name="contact" value={form.contact} onChange={set('contact')} required />
              <Select label={t('payoutChannel')} name="payoutChannel" value={form.payoutChannel} options={PaymentAccountChannels}
                optionLabel={(c) => label('accountChannel', c)} onChange={set('payoutChannel')} />
              <TextInput label={t('payoutAccountName')} name="payoutAccountName" value={form.payoutAccountName} onChange={set('payoutAccountName')} required />
              <TextInput label={t('payoutAccount')} name="payoutAccount" value={form.payoutAccount} onChange={set('payoutAccount')} required />
              <label className="field"><span>{t('payoutQr')}</span>
                <input type="file" name="qr" accept="image/png,image/jpeg" onChange={(e) => choose(e.target.files?.[0])} />
              </label>
              <TextInput label={t('remarkOptional')} name="remark" value={form.remark} onChange={set('remark')} />
            </div>
            {fileProblem && <p className="alert error" role="alert" data-code={fileProblem}>{t(fileProblem)}</p>}
            {qr && <img className="qr-preview" src={qr.dataUrl} alt={t('qrCode')} data-testid="qr-preview" />}
          </Form>
        </div>
      )}
    </section>
  );
}
