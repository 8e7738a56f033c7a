// Admin distribution: every distributor's finances (with a chart), applications to approve or reject, distributors
// (appoint, suspend, reinstate, set the tier), serial requests to approve or reject, payouts to pay or reject, and the
// tiers editor (superadmins; the rate typed as a percentage and sent as exact basis points).
import { useState, type ReactNode } from 'react';
import { Link, NavLink, useParams, useSearchParams } from 'react-router-dom';
import { BarChart, Figure, Form, Pager, ProblemMessage, ScrollTable } from '../components';
import { api, type Paged } from '../lib/api';
import { useAuth } from '../lib/auth';
import {
  basisPointsToPercent, commissionsByStatus, percentLabel, percentToBasisPoints, tierName, type Application, type Distributor, type DistributorFinances, type Payout,
  type SerialRequest, type Tier,
} from '../lib/distribution';
import { useI18n, type MessageKey } from '../lib/i18n';
import { centsToYuanText, formatCents } from '../lib/money';
import {
  ApplicationStatuses, CommissionStatuses, DistributorStatuses, PaymentAccountChannels, PayoutStatuses, SerialRequestStatuses,
} from '../lib/vocabulary.generated';
import { Check, requireYuan, Select, TextInput } from './FinanceAdminShared';
import { AuthedImage, CopyButton, Money, when } from './FinancePages';
import { pagedPath, pageSize, useLoad } from '../lib/load';
import { CommissionBars, distributionApi, localProblem, PayoutsTable, requestPlanName, StatusBadge, TierName, useTiers } from './DistributionPages';

export function AdminDistributionNav() {
  const { t } = useI18n();
  const links: [string, MessageKey][] = [
    ['/admin/distribution', 'distributorFinances'], ['/admin/distribution/applications', 'applications'],
    ['/admin/distribution/distributors', 'distributors'], ['/admin/distribution/requests', 'serialRequests'],
    ['/admin/distribution/payouts', 'payouts'], ['/admin/distribution/tiers', 'tiers'], ['/distribution/storefront', 'storefront'],
  ];
  return (
    <nav className="subnav" aria-label={t('distribution')}>
      {links.map(([to, key]) => <NavLink key={to} to={to} end={to === '/admin/distribution'}>{t(key)}</NavLink>)}
    </nav>
  );
}

function AdminDistributionSection({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="card" data-testid={testId}>
      <AdminDistributionNav />
      <h1>{title}</h1>
      {children}
    </section>
  );
}

/** Requests and payouts carry the distributor's id only: name them by the distributors' emails (first 200). */
function useDistributorNames() {
  const { data } = useLoad<Paged<Distributor>>(`${distributionApi}/distributors?page=1&pageSize=200`);
  return (userId: string) => data?.items.find((d) => d.userId === userId)?.email ?? userId.slice(0, 8);
}

/** A status filter over a vocabulary, starting at the state that needs an admin. */
function StatusFilter({ group, values, value, onChange }: { group: 'applicationStatus' | 'requestStatus' | 'payoutStatus' | 'distributorStatus'; values: readonly string[]; value: string; onChange: (v: string) => void }) {
  const { t, label } = useI18n();
  return (
    <select aria-label={t('status')} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('allStatuses')}</option>
      {values.map((s) => <option key={s} value={s}>{label(group, s)}</option>)}
    </select>
  );
}

/** Reject with a reason: a small form that opens under the row. */
function RejectForm({ path, testId, onDone }: { path: string; testId: string; onDone: () => Promise<void> }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  return (
    <details className="inline-action" data-testid={testId}>
      <summary>{t('reject')}</summary>
      <Form submitLabel={t('reject')} onSubmit={async () => {
        await api(path, { method: 'POST', body: { reason: reason.trim() } });
        setReason('');
        await onDone();
      }}>
        <TextInput label={t('rejectionReason')} name="reason" value={reason} onChange={setReason} required />
      </Form>
    </details>
  );
}

function TierSelect({ tiers, value, onChange, empty, name = 'tierCode' }: { tiers: Tier[] | null; value: string; onChange: (v: string) => void; empty?: string; name?: string }) {
  const { t, language } = useI18n();
  const codes = (tiers ?? []).map((tier) => tier.code);
  return (
    <Select label={t('tier')} name={name} value={value} options={codes} empty={empty} onChange={onChange}
      optionLabel={(code) => { const tier = tiers!.find((x) => x.code === code)!; return `${tierName(tier, language)} · ${percentLabel(tier.rateBasisPoints)}`; }} />
  );
}

// ---------------------------------------------------------------- finances

export function FinancesTable({ rows }: { rows: DistributorFinances[] }) {
  const { t, label } = useI18n();
  if (rows.length === 0) return <p className="muted-text">{t('noEntries')}</p>;
  return (
    <ScrollTable testId="finances">
      <thead>
        <tr>
          <th>{t('distributorCol')}</th><th>{t('tier')}</th><th>{t('status')}</th><th>{t('turnover')}</th><th>{t('serialsBought')}</th><th>{t('serialsRedeemed')}</th>
          {CommissionStatuses.map((s) => <th key={s}>{label('commissionStatus', s)}</th>)}
          <th>{t('payoutsRequested')}</th><th>{t('payoutsPaid')}</th><th>{t('movedToWalletTotal')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const byStatus = commissionsByStatus(r.figures.commissions);
          return (
            <tr key={r.userId} data-testid="finance-row" data-distributor-id={r.userId}>
              <td><Link to={`/admin/distribution/distributors/${r.userId}`}>{r.email ?? r.userId.slice(0, 8)}</Link><div className="muted">{r.contactName}</div></td>
              <td><TierName code={r.tierCode} /></td>
              <td><StatusBadge group="distributorStatus" status={r.status} /></td>
              <td><Money cents={r.figures.turnoverCents} /></td>
              <td>{r.figures.serialsBought}</td>
              <td>{r.figures.serialsRedeemed}</td>
              {CommissionStatuses.map((s) => <td key={s}><Money cents={byStatus[s]} /></td>)}
              <td><Money cents={r.figures.payouts.requestedCents} /> <span className="muted">× {r.figures.payouts.requestedCount}</span></td>
              <td><Money cents={r.figures.payouts.paidCents} /> <span className="muted">× {r.figures.payouts.paidCount}</span></td>
              <td><Money cents={r.figures.payouts.movedToWalletCents} /></td>
            </tr>
          );
        })}
      </tbody>
    </ScrollTable>
  );
}

export function DistributorFinancesPage() {
  const { t } = useI18n();
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const { data, error } = useLoad<Paged<DistributorFinances>>(pagedPath(`${distributionApi}/finances`, page, { status }));
  return (
    <AdminDistributionSection title={t('distributorFinances')} testId="distribution-finances">
      <div className="toolbar"><StatusFilter group="distributorStatus" values={DistributorStatuses} value={status} onChange={(s) => { setStatus(s); setPage(1); }} /></div>
      <ProblemMessage error={error} />
      {!data ? !error && <p>{t('loading')}</p> : (
        <>
          <BarChart testId="turnover-chart" label={t('turnoverChart')} format={(v) => formatCents(v)}
            bars={data.items.map((r) => ({ label: (r.email ?? r.userId).split('@')[0].slice(0, 10), value: r.figures.turnoverCents }))} />
          <FinancesTable rows={data.items} />
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </AdminDistributionSection>
  );
}

// ---------------------------------------------------------------- applications

function ApplicationCard({ application, tiers, onDone }: { application: Application; tiers: Tier[] | null; onDone: () => Promise<void> }) {
  const { t, language, label } = useI18n();
  const [tierCode, setTierCode] = useState('');
  return (
    <div className="rental" data-testid="application-card" data-application-id={application.id} data-status={application.status}>
      <div className="rental-head">
        <strong>{application.email ?? application.userId}</strong>
        <StatusBadge group="applicationStatus" status={application.status} />
        <span className="muted">{when(application.createdAt, language)}</span>
      </div>
      <p>{t('contactName')}: {application.contactName} · {t('contact')}: {application.contact}</p>
      <p>{label('accountChannel', application.payoutChannel)}: {application.payoutAccountName} <span className="mono">{application.payoutAccount}</span></p>
      {application.hasPayoutQr && (
        <div className="qr-preview-current"><AuthedImage path={`${distributionApi}/applications/${application.id}/payout-qr`} alt={t('qrCode')} /></div>
      )}
      {application.remark && <p className="muted-text">{application.remark}</p>}
      {application.rejectionReason && <p>{t('rejectionReason')}: {application.rejectionReason}</p>}
      {application.status === 'pending' && (
        <>
          <Form submitLabel={t('approve')} onSubmit={async () => {
            await api(`${distributionApi}/applications/${application.id}/approve`, { method: 'POST', body: tierCode ? { tierCode } : {} });
            await onDone();
          }}>
            <div data-testid="approve-application"><TierSelect tiers={tiers} value={tierCode} onChange={setTierCode} empty="—" /></div>
          </Form>
          <RejectForm path={`${distributionApi}/applications/${application.id}/reject`} testId="reject-application" onDone={onDone} />
        </>
      )}
    </div>
  );
}

export function ApplicationsPage() {
  const { t } = useI18n();
  const [status, setStatus] = useState('pending');
  const [page, setPage] = useState(1);
  const { tiers } = useTiers();
  const { data, error, reload } = useLoad<Paged<Application>>(pagedPath(`${distributionApi}/applications`, page, { status }));
  return (
    <AdminDistributionSection title={t('applications')} testId="distribution-applications">
      <div className="toolbar"><StatusFilter group="applicationStatus" values={ApplicationStatuses} value={status} onChange={(s) => { setStatus(s); setPage(1); }} /></div>
      <ProblemMessage error={error} />
      {data && (data.items.length === 0 ? <p className="muted-text">{t('noEntries')}</p> : (
        <>
          {data.items.map((a) => <ApplicationCard key={a.id} application={a} tiers={tiers} onDone={reload} />)}
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      ))}
    </AdminDistributionSection>
  );
}

// ---------------------------------------------------------------- distributors

const emptyAppointment = { userId: '', tierCode: '', contactName: '', contact: '', payoutChannel: 'alipay', payoutAccountName: '', payoutAccount: '' };

function AppointPanel({ tiers, onDone }: { tiers: Tier[] | null; onDone: () => Promise<void> }) {
  const { t, label } = useI18n();
  const [form, setForm] = useState(emptyAppointment);
  const [done, setDone] = useState(false);
  const set = (key: keyof typeof emptyAppointment) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  return (
    <details className="rental" data-testid="appoint">
      <summary><strong>{t('appoint')}</strong></summary>
      {done && <p className="alert success">{t('saved')}</p>}
      <Form submitLabel={t('appoint')} onSubmit={async () => {
        setDone(false);
        await api(`${distributionApi}/distributors`, { method: 'POST', body: { ...form, userId: form.userId.trim(), tierCode: form.tierCode || tiers?.[0]?.code } });
        setForm(emptyAppointment);
        setDone(true);
        await onDone();
      }}>
        <div className="form grid">
          <TextInput label={t('userId')} name="userId" value={form.userId} onChange={set('userId')} required />
          <TierSelect tiers={tiers} value={form.tierCode} onChange={set('tierCode')} />
          <TextInput label={t('contactName')} name="contactName" value={form.contactName} onChange={set('contactName')} required />
          <TextInput label={t('contact')} name="contact" value={form.contact} onChange={set('contact')} required />
          <Select label={t('payoutChannel')} name="payoutChannel" value={form.payoutChannel} options={PaymentAccountChannels} optionLabel={(c) => label('accountChannel', c)} onChange={set('payoutChannel')} />
          <TextInput label={t('payoutAccountName')} name="payoutAccountName" value={form.payoutAccountName} onChange={set('payoutAccountName')} required />
          <TextInput label={t('payoutAccount')} name="payoutAccount" value={form.payoutAccount} onChange={set('payoutAccount')} required />
        </div>
      </Form>
    </details>
  );
}

export function DistributorsPage() {
  const { t, language } = useI18n();
  const [filters, setFilters] = useState({ status: '', tierCode: '' });
  const [page, setPage] = useState(1);
  const { tiers } = useTiers();
  const { data, error, reload } = useLoad<Paged<Distributor>>(pagedPath(`${distributionApi}/distributors`, page, filters));
  return (
    <AdminDistributionSection title={t('distributors')} testId="distribution-distributors">
      <AppointPanel tiers={tiers} onDone={reload} />
      <div className="toolbar">
        <StatusFilter group="distributorStatus" values={DistributorStatuses} value={filters.status} onChange={(status) => { setFilters({ ...filters, status }); setPage(1); }} />
        <select aria-label={t('tier')} value={filters.tierCode} onChange={(e) => { setFilters({ ...filters, tierCode: e.target.value }); setPage(1); }}>
          <option value="">{t('allTiers')}</option>
          {(tiers ?? []).map((tier) => <option key={tier.code} value={tier.code}>{tierName(tier, language)}</option>)}
        </select>
      </div>
      <ProblemMessage error={error} />
      {data && (data.items.length === 0 ? <p className="muted-text">{t('noEntries')}</p> : (
        <>
          <ScrollTable testId="distributors">
            <thead><tr><th>{t('email')}</th><th>{t('tier')}</th><th>{t('status')}</th><th>{t('contactName')}</th><th>{t('contact')}</th><th>{t('createdAt')}</th></tr></thead>
            <tbody>
              {data.items.map((d) => (
                <tr key={d.userId} data-testid="distributor-row" data-user-id={d.userId}>
                  <td><Link to={`/admin/distribution/distributors/${d.userId}`}>{d.email ?? d.userId.slice(0, 8)}</Link></td>
                  <td><TierName code={d.tierCode} tiers={tiers} />{d.tierPinned && <> <span className="badge">{t('tierPinned')}</span></>}</td>
                  <td><StatusBadge group="distributorStatus" status={d.status} /></td>
                  <td>{d.contactName}</td>
                  <td>{d.contact}</td>
                  <td>{when(d.createdAt, language)}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      ))}
    </AdminDistributionSection>
  );
}

/** The finances endpoint has no filter by distributor: the detail finds its row among the first page of 200. */
function useDistributorFinances(userId: string | undefined) {
  const { data } = useLoad<Paged<DistributorFinances>>(`${distributionApi}/finances?page=1&pageSize=200`);
  return data?.items.find((row) => row.userId === userId) ?? null;
}

export function DistributorDetailPage() {
  const { userId } = useParams();
  const { t, language, label } = useI18n();
  const { tiers } = useTiers();
  const { data: distributor, error, reload } = useLoad<Distributor>(`${distributionApi}/distributors/${userId}`);
  const finances = useDistributorFinances(userId);
  const payouts = useLoad<Paged<Payout>>(pagedPath(`${distributionApi}/payouts`, 1, { distributorId: userId ?? '' }));
  const [suspendReason, setSuspendReason] = useState('');
  const [tierForm, setTierForm] = useState({ tierCode: '', reason: '', pinned: true });
  const [actionError, setActionError] = useState<unknown>(null);
  if (!distributor) return <AdminDistributionSection title={t('distributors')} testId="distributor-detail"><ProblemMessage error={error} />{!error && <p>{t('loading')}</p>}</AdminDistributionSection>;
  const active = distributor.status === 'active';
  return (
    <AdminDistributionSection title={distributor.email ?? distributor.userId} testId="distributor-detail">
      <p><Link to="/admin/distribution/distributors">← {t('distributors')}</Link></p>
      <ProblemMessage error={error ?? actionError} />
      <p>
        <StatusBadge group="distributorStatus" status={distributor.status} /> <TierName code={distributor.tierCode} tiers={tiers} />
        {distributor.tierPinned && <> <span className="badge">{t('tierPinned')}</span></>}
      </p>
      <table className="kv"><tbody>
        <tr><th>{t('userId')}</th><td className="mono">{distributor.userId}</td></tr>
        <tr><th>{t('contactName')}</th><td>{distributor.contactName}</td></tr>
        <tr><th>{t('contact')}</th><td>{distributor.contact}</td></tr>
        <tr><th>{t('payoutChannel')}</th><td>{label('accountChannel', distributor.payoutChannel)} · {distributor.payoutAccountName} <span className="mono">{distributor.payoutAccount}</span></td></tr>
        <tr><th>{t('createdAt')}</th><td>{when(distributor.createdAt, language)}</td></tr>
      </tbody></table>
      {distributor.hasPayoutQr && (
        <div className="qr-preview-current"><AuthedImage path={`${distributionApi}/distributors/${distributor.userId}/payout-qr`} alt={t('qrCode')} /></div>
      )}
      {finances && (
        <>
          <div className="stats">
            <Figure testId="figure-turnover" label={t('turnover')} value={formatCents(finances.figures.turnoverCents)} />
            <Figure label={t('serialsBought')} value={finances.figures.serialsBought} />
            <Figure label={t('serialsRedeemed')} value={finances.figures.serialsRedeemed} />
            <Figure label={t('payoutsPaid')} value={formatCents(finances.figures.payouts.paidCents)} />
            <Figure label={t('movedToWalletTotal')} value={formatCents(finances.figures.payouts.movedToWalletCents)} />
          </div>
          <CommissionBars testId="distributor-commissions" commissions={finances.figures.commissions} />
        </>
      )}
      <div className="pay">
        <div className="pay-box" data-testid="set-tier">
          <h2>{t('setTier')}</h2>
          <Form submitLabel={t('setTier')} onSubmit={async () => {
            await api(`${distributionApi}/distributors/${distributor.userId}/tier`, { method: 'PUT', body: { tierCode: tierForm.tierCode || distributor.tierCode, reason: tierForm.reason.trim(), pinned: tierForm.pinned } });
            setTierForm({ tierCode: '', reason: '', pinned: true });
            await reload();
          }}>
            <TierSelect tiers={tiers} value={tierForm.tierCode || distributor.tierCode} onChange={(tierCode) => setTierForm({ ...tierForm, tierCode })} />
            <TextInput label={t('reason')} name="reason" value={tierForm.reason} onChange={(reason) => setTierForm({ ...tierForm, reason })} required />
            <Check label={t('pinTier')} name="pinned" checked={tierForm.pinned} onChange={(pinned) => setTierForm({ ...tierForm, pinned })} />
          </Form>
        </div>
        <div className="pay-box" data-testid={active ? 'suspend' : 'reinstate'}>
          <h2>{active ? t('suspend') : t('reinstate')}</h2>
          {active ? (
            <Form submitLabel={t('suspend')} onSubmit={async () => {
              await api(`${distributionApi}/distributors/${distributor.userId}/suspend`, { method: 'POST', body: { reason: suspendReason.trim() } });
              setSuspendReason('');
              await reload();
            }}>
              <TextInput label={t('reason')} name="reason" value={suspendReason} onChange={setSuspendReason} required />
            </Form>
          ) : (
            <button type="button" onClick={async () => {
              setActionError(null);
              try {
                await api(`${distributionApi}/distributors/${distributor.userId}/reinstate`, { method: 'POST' });
                await reload();
              } catch (e) {
                setActionError(e);
              }
            }}>{t('reinstate')}</button>
          )}
        </div>
      </div>
      <p className="row-actions">
        <Link to={`/admin/distribution/requests?distributorId=${distributor.userId}`}>{t('serialRequests')}</Link>
        <Link to={`/admin/finance/wallets/${distributor.userId}`}>{t('wallet')}</Link>
        <Link to={`/admin/users/${distributor.userId}`}>{t('users')}</Link>
      </p>
      <h2>{t('payouts')}</h2>
      <ProblemMessage error={payouts.error} />
      {payouts.data && <PayoutsTable payouts={payouts.data.items} />}
    </AdminDistributionSection>
  );
}

// ---------------------------------------------------------------- serial requests

export function AdminRequestsPage() {
  const { t, language } = useI18n();
  const [search] = useSearchParams();
  const distributorId = search.get('distributorId') ?? '';
  const [status, setStatus] = useState(distributorId ? '' : 'requested');
  const [page, setPage] = useState(1);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const nameOf = useDistributorNames();
  const { data, error, reload } = useLoad<Paged<SerialRequest>>(pagedPath(`${distributionApi}/requests`, page, { status, distributorId }));
  const approve = async (request: SerialRequest) => {
    setBusy(request.id);
    setActionError(null);
    try {
      await api(`${distributionApi}/requests/${request.id}/approve`, { method: 'POST' });
      await reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <AdminDistributionSection title={t('serialRequests')} testId="distribution-requests">
      <div className="toolbar"><StatusFilter group="requestStatus" values={SerialRequestStatuses} value={status} onChange={(s) => { setStatus(s); setPage(1); }} /></div>
      <ProblemMessage error={error ?? actionError} />
      {data && (data.items.length === 0 ? <p className="muted-text">{t('noEntries')}</p> : (
        <>
          <ScrollTable testId="admin-requests">
            <thead><tr><th>{t('createdAt')}</th><th>{t('distributorCol')}</th><th>{t('plan')}</th><th>{t('quantity')}</th><th>{t('status')}</th><th>{t('price')}</th><th>{t('payBy')}</th><th /></tr></thead>
            <tbody>
              {data.items.map((r) => (
                <tr key={r.id} data-testid="admin-request-row" data-request-id={r.id} data-status={r.status}>
                  <td>{when(r.createdAt, language)}</td>
                  <td><Link to={`/admin/distribution/distributors/${r.distributorId}`}>{nameOf(r.distributorId)}</Link></td>
                  <td>{requestPlanName(r, language)}{r.remark && <div className="muted">{r.remark}</div>}</td>
                  <td>{r.quantity}</td>
                  <td><StatusBadge group="requestStatus" status={r.status} />{r.rejectionReason && <div className="muted">{r.rejectionReason}</div>}</td>
                  <td>{r.priceCents === null ? '—' : <><Money cents={r.priceCents} currency={r.currency ?? undefined} /> <span className="muted">{r.rateBasisPoints !== null && percentLabel(r.rateBasisPoints)}</span></>}</td>
                  <td>{when(r.payBy, language)}{r.orderId && <div><Link to={`/admin/finance/orders/${r.orderId}`}>{t('orderNumber')}</Link></div>}</td>
                  <td className="actions">
                    {r.status === 'requested' && (
                      <>
                        <button type="button" className="small" data-testid="approve-request" disabled={busy !== null} onClick={() => approve(r)}>{t('approve')}</button>
                        <RejectForm path={`${distributionApi}/requests/${r.id}/reject`} testId="reject-request" onDone={reload} />
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      ))}
    </AdminDistributionSection>
  );
}

// ---------------------------------------------------------------- payouts

function PayoutCard({ payout, name, onDone }: { payout: Payout; name: string; onDone: () => Promise<void> }) {
  const { t, language, label } = useI18n();
  const [reference, setReference] = useState('');
  return (
    <div className="rental" data-testid="payout-card" data-payout-id={payout.id} data-status={payout.status}>
      <div className="rental-head">
        <strong><Link to={`/admin/distribution/distributors/${payout.distributorId}`}>{name}</Link></strong>
        <Money cents={payout.amountCents} currency={payout.currency} />
        <StatusBadge group="payoutStatus" status={payout.status} />
        <span className="muted">{when(payout.requestedAt, language)}</span>
      </div>
      <p>{label('accountChannel', payout.payoutChannel)}: {payout.payoutAccountName} <span className="mono">{payout.payoutAccount}</span> <CopyButton text={payout.payoutAccount} /></p>
      {payout.reference && <p>{t('reference')}: <span className="mono">{payout.reference}</span></p>}
      {payout.rejectionReason && <p>{t('rejectionReason')}: {payout.rejectionReason}</p>}
      {payout.status === 'requested' && (
        <>
          <div data-testid="pay-payout">
            <Form submitLabel={t('markPaid')} onSubmit={async () => {
              await api(`${distributionApi}/payouts/${payout.id}/pay`, { method: 'POST', body: { reference: reference.trim() } });
              setReference('');
              await onDone();
            }}>
              <TextInput label={t('reference')} name="reference" value={reference} onChange={setReference} required />
            </Form>
          </div>
          <RejectForm path={`${distributionApi}/payouts/${payout.id}/reject`} testId="reject-payout" onDone={onDone} />
        </>
      )}
    </div>
  );
}

export function AdminPayoutsPage() {
  const { t } = useI18n();
  const [status, setStatus] = useState('requested');
  const [page, setPage] = useState(1);
  const { data, error, reload } = useLoad<Paged<Payout>>(pagedPath(`${distributionApi}/payouts`, page, { status }));
  const nameOf = useDistributorNames();
  return (
    <AdminDistributionSection title={t('payouts')} testId="distribution-payouts">
      <div className="toolbar"><StatusFilter group="payoutStatus" values={PayoutStatuses} value={status} onChange={(s) => { setStatus(s); setPage(1); }} /></div>
      <ProblemMessage error={error} />
      {data && (data.items.length === 0 ? <p className="muted-text">{t('noEntries')}</p> : (
        <>
          {data.items.map((p) => <PayoutCard key={p.id} payout={p} name={nameOf(p.distributorId)} onDone={reload} />)}
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      ))}
    </AdminDistributionSection>
  );
}

// ---------------------------------------------------------------- tiers

const emptyTierForm = { code: '', nameZh: '', nameEn: '', rate: '', holdingDays: '7', minimumPayout: '100.00', promotionTurnover: '', sortOrder: '0' };

function tierForm(tier: Tier): typeof emptyTierForm {
  return {
    code: tier.code, nameZh: tier.nameZh, nameEn: tier.nameEn, rate: basisPointsToPercent(tier.rateBasisPoints), holdingDays: String(tier.holdingDays),
    minimumPayout: centsToYuanText(tier.minimumPayoutCents), promotionTurnover: tier.promotionTurnoverCents === null ? '' : centsToYuanText(tier.promotionTurnoverCents),
    sortOrder: String(tier.sortOrder),
  };
}

/** The tier as the API takes it: the typed percentage as exact basis points, yuan as cents. */
export function tierBody(form: typeof emptyTierForm, messages: { invalidPercent: string; invalidAmount: string }) {
  const rateBasisPoints = percentToBasisPoints(form.rate);
  if (rateBasisPoints === null) throw localProblem('invalid_rate', messages.invalidPercent);
  return {
    code: form.code.trim(), nameZh: form.nameZh.trim(), nameEn: form.nameEn.trim(), rateBasisPoints, holdingDays: Number(form.holdingDays),
    minimumPayoutCents: requireYuan(form.minimumPayout, messages.invalidAmount),
    promotionTurnoverCents: form.promotionTurnover.trim() ? requireYuan(form.promotionTurnover, messages.invalidAmount) : null,
    sortOrder: Number(form.sortOrder),
  };
}

function TierEditor({ tier, onSaved, onCancel }: { tier: Tier | null; onSaved: () => Promise<void>; onCancel: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState(() => (tier ? tierForm(tier) : emptyTierForm));
  const [shown, setShown] = useState(tier);
  if (shown !== tier) {
    // Edit was pressed on another row: start from that tier.
    setShown(tier);
    setForm(tier ? tierForm(tier) : emptyTierForm);
  }
  const set = (key: keyof typeof emptyTierForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  return (
    <div className="rental" data-testid="tier-editor">
      <h2>{tier ? `${t('editTier')}: ${tier.code}` : t('newTier')}</h2>
      <Form submitLabel={tier ? t('save') : t('create')} onSubmit={async () => {
        const body = tierBody(form, { invalidPercent: t('invalidPercent'), invalidAmount: t('invalidAmount') });
        await api(tier ? `${distributionApi}/tiers/${tier.code}` : `${distributionApi}/tiers`, { method: tier ? 'PUT' : 'POST', body });
        if (!tier) setForm(emptyTierForm);
        await onSaved();
      }}>
        <div className="form grid">
          {!tier && <TextInput label={t('tierCode')} name="code" value={form.code} onChange={set('code')} required />}
          <TextInput label={t('nameZh')} name="nameZh" value={form.nameZh} onChange={set('nameZh')} required />
          <TextInput label={t('nameEn')} name="nameEn" value={form.nameEn} onChange={set('nameEn')} required />
          <TextInput label={t('ratePercent')} name="rate" value={form.rate} onChange={set('rate')} required />
          <TextInput label={t('holdingDays')} name="holdingDays" type="number" value={form.holdingDays} onChange={set('holdingDays')} required />
          <TextInput label={t('minimumPayout')} name="minimumPayout" value={form.minimumPayout} onChange={set('minimumPayout')} required />
          <TextInput label={t('promotionTurnover')} name="promotionTurnover" value={form.promotionTurnover} onChange={set('promotionTurnover')} />
          <TextInput label={t('sortOrder')} name="sortOrder" type="number" value={form.sortOrder} onChange={set('sortOrder')} required />
        </div>
      </Form>
      {tier && <button type="button" className="link" onClick={onCancel}>{t('cancel')}</button>}
    </div>
  );
}

export function TiersPage() {
  const { t, language } = useI18n();
  const { user } = useAuth();
  const { tiers, error, reload } = useTiers();
  const [editing, setEditing] = useState<Tier | null>(null);
  const superadmin = user?.role === 'superadmin';
  return (
    <AdminDistributionSection title={t('tiers')} testId="distribution-tiers">
      <ProblemMessage error={error} />
      {tiers && (
        <ScrollTable testId="tiers">
          <thead><tr><th>{t('tierCode')}</th><th>{t('tier')}</th><th>{t('commissionRate')}</th><th>{t('holdingDays')}</th><th>{t('minimumPayout')}</th><th>{t('promotionTurnover')}</th><th>{t('sortOrder')}</th>{superadmin && <th />}</tr></thead>
          <tbody>
            {tiers.map((tier) => (
              <tr key={tier.code} data-testid="tier-row" data-tier={tier.code} data-rate={tier.rateBasisPoints}>
                <td className="mono">{tier.code}</td>
                <td>{tierName(tier, language)}</td>
                <td>{percentLabel(tier.rateBasisPoints)}</td>
                <td>{tier.holdingDays}</td>
                <td><Money cents={tier.minimumPayoutCents} /></td>
                <td>{tier.promotionTurnoverCents === null ? '—' : <Money cents={tier.promotionTurnoverCents} />}</td>
                <td>{tier.sortOrder}</td>
                {superadmin && <td><button type="button" className="small" onClick={() => setEditing(tier)}>{t('edit')}</button></td>}
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
      {superadmin
        ? <TierEditor tier={editing} onSaved={async () => { setEditing(null); await reload(); }} onCancel={() => setEditing(null)} />
        : <p className="muted-text">{t('superadminOnly')}</p>}
    </AdminDistributionSection>
  );
}
