import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { Field, Form, ProblemMessage } from '../components';
import { api, type Paged, type User } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { History, RentalSummary, useRental } from './RentalPages';
import { AuditPage } from './AdminPages';
import { Badge, EmptyState, Loading, PageHeader, ScrollTable } from '../components';
import { useLabel } from '../lib/labels';
import { RentalStatuses } from '../lib/vocabulary.generated';
import { pagedPath, useLoad } from '../lib/load';

interface MailRow { id: number; recipient: string; template: string; subject: string; status: string; attempts: number; createdAt: string; sentAt: string | null }
interface RedeemRow { id: number; serialId: string | null; fullCode: string | null; useType: string | null; createdAt: string }

/** What the users service mailed this person (verification, reminders), newest first. */
function UserMails({ userId }: { userId: string }) {
  const { t, formatDateTime } = useI18n();
  const state = useLoad<Paged<MailRow>>(`/api/users/emails?userId=${userId}&pageSize=20`);
  return (
    <>
      <h2>{t('people_mails')}</h2>
      <Loading state={state} empty={<EmptyState title={t('people_noMails')} />}>
        {(data: Paged<MailRow>) => (
          <ScrollTable>
            <thead><tr><th>{t('time')}</th><th>{t('people_subject')}</th><th>{t('people_template')}</th><th>{t('status')}</th></tr></thead>
            <tbody>{data.items.map((m) => (
              <tr key={m.id}><td>{formatDateTime(m.createdAt)}</td><td>{m.subject}</td><td className="mono">{m.template}</td><td><Badge vocabulary="EmailStatuses" value={m.status} /></td></tr>
            ))}</tbody>
          </ScrollTable>
        )}
      </Loading>
    </>
  );
}

/** The serials this person redeemed (serials' use log, filtered by user). */
function RedeemedSerials({ userId }: { userId: string }) {
  const { t, formatDateTime } = useI18n();
  const state = useLoad<Paged<RedeemRow>>(`/api/serials/logs?userId=${userId}&action=redeem&pageSize=50`);
  return (
    <>
      <h2>{t('people_redeemedSerials')}</h2>
      <Loading state={state} empty={<EmptyState title={t('people_noSerials')} />}>
        {(data: Paged<RedeemRow>) => (
          <ScrollTable>
            <thead><tr><th>{t('people_redeemedAt')}</th><th>{t('serials')}</th><th>{t('kind')}</th></tr></thead>
            <tbody>{data.items.map((r) => (
              <tr key={r.id}><td>{formatDateTime(r.createdAt)}</td>
                <td>{r.serialId ? <Link className="mono" to={`/admin/serials/${r.serialId}`}>{r.fullCode ?? r.serialId}</Link> : '—'}</td>
                <td>{r.useType ? <Badge vocabulary="UseTypes" value={r.useType} /> : '—'}</td></tr>
            ))}</tbody>
          </ScrollTable>
        )}
      </Loading>
    </>
  );
}

// The operator's pages about people (moved out of RentalPages.tsx, whose renter pages another team owns).

interface RentalRow { id: string; userId: string; email: string; username: string; status: string; expiresAt: string; trafficQuotaGb: number | null; trafficUsedBytes: number }

/** Rentals, filtered by status or by expiry within n days (the overview's tiles link here with those in the URL) and by email. */
export function AdminRentalsPage() {
  const { t, formatDateTime, formatBytes } = useI18n();
  const label = useLabel();
  const [search, setSearch] = useSearchParams();
  const filter = search.get('status') ?? search.get('expiringWithinDays') ?? '';
  const q = search.get('q') ?? '';
  const byStatus = (RentalStatuses as readonly string[]).includes(filter);
  const state = useLoad<Paged<RentalRow>>(pagedPath('/api/users/rentals', 1,
    { status: byStatus ? filter : '', expiringWithinDays: byStatus ? '' : filter, q }, 200));
  const choose = (value: string, email: string) => {
    const next = new URLSearchParams();
    if ((RentalStatuses as readonly string[]).includes(value)) next.set('status', value);
    else if (value) next.set('expiringWithinDays', value);
    if (email) next.set('q', email);
    setSearch(next, { replace: true });
  };
  return (
    <section className="card">
      <PageHeader title={t('rentals')} />
      <div className="toolbar">
        <select aria-label={t('status')} value={filter} onChange={(e) => choose(e.target.value, q)}>
          <option value="">{t('allRentals')}</option>
          {RentalStatuses.map((s) => <option key={s} value={s}>{label('RentalStatuses', s)}</option>)}
          {[1, 3, 7, 30].map((n) => <option key={n} value={n}>{t('expiringWithin', { n })}</option>)}
        </select>
        <input aria-label={t('email')} placeholder={t('email')} defaultValue={q} onChange={(e) => choose(filter, e.target.value.trim())} />
      </div>
      <Loading state={state} empty={<EmptyState title={t('ui_emptyList')} />}>
        {(page) => (
          <ScrollTable testId="rentals">
            <thead><tr><th>{t('email')}</th><th>{t('status')}</th><th>{t('expires')}</th><th>{t('traffic')}</th></tr></thead>
            <tbody>
              {page.items.map((r) => (
                <tr key={r.id}>
                  <td data-user><Link to={`/admin/users/${r.userId}`}>{r.email}</Link></td>
                  <td><Badge vocabulary="RentalStatuses" value={r.status} /></td>
                  <td>{formatDateTime(r.expiresAt)}</td>
                  <td>{formatBytes(r.trafficUsedBytes)} / {r.trafficQuotaGb === null ? t('unlimitedTraffic') : `${r.trafficQuotaGb} GB`}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        )}
      </Loading>
    </section>
  );
}

export function AdminUserDetailPage() {
  const { id } = useParams();
  const { t, formatDateTime } = useI18n();
  const label = useLabel();
  const [user, setUser] = useState<User | null>(null);
  const [until, setUntil] = useState('');
  const { rental, error, reload } = useRental(`/api/users/${id}/rental`);
  useEffect(() => {
    api<User>(`/api/users/${id}`).then(setUser, () => undefined);
  }, [id]);
  return (
    <section className="card">
      <p><Link to="/admin/users">← {t('back')}</Link></p>
      <h1>{t('userDetail')}: <span data-user>{user?.email}</span></h1>
      {user && <p>{t('role')}: {label('Roles', user.role)} · {t('status')}: {label('UserStatuses', user.status)} · {t('created')}: {formatDateTime(user.createdAt)}</p>}
      <p><Link to={`/admin/finance/wallets/${id}`}>{t('wallet')}</Link> · <Link to={`/admin/finance/orders?userId=${id}`}>{t('orders')}</Link></p>
      <ProblemMessage error={error} />
      {rental === null && <p>{t('noRental')}</p>}
      {rental && <><RentalSummary rental={rental} /><h3>{t('history')}</h3><History periods={rental.history} /></>}
      <h2>{t('extendTo')}</h2>
      <Form submitLabel={t('extend')} onSubmit={async () => {
        await api(`/api/users/${id}/rental/extend`, { method: 'POST', body: { until: new Date(until).toISOString() } });
        await reload();
      }}>
        <Field label={t('extendTo')} name="until" type="datetime-local" value={until} onChange={setUntil} />
      </Form>
      {id && <RedeemedSerials userId={id} />}
      {id && <UserMails userId={id} />}
      {id && <AuditPage userId={id} />}
    </section>
  );
}
