import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Field, Form, ProblemMessage } from '../components';
import { api, type Paged, type User } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { History, RentalSummary, useRental } from './RentalPages';

// The operator's pages about people (moved out of RentalPages.tsx, whose renter pages another team owns).

interface RentalRow { id: string; userId: string; email: string; username: string; status: string; expiresAt: string; trafficQuotaGb: number | null; trafficUsedBytes: number }

const date = (value: string, language: string) => new Date(value).toLocaleString(language);
const gb = (bytes: number) => (bytes / 2 ** 30).toFixed(2);

export function AdminRentalsPage() {
  const { t, language } = useI18n();
  const [filter, setFilter] = useState('');
  const [data, setData] = useState<Paged<RentalRow> | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const query = filter === 'active' || filter === 'expired' ? `status=${filter}` : filter ? `expiringWithinDays=${filter}` : '';
    api<Paged<RentalRow>>(`/api/users/rentals?pageSize=200&${query}`).then(setData, setError);
  }, [filter]);
  return (
    <section className="card">
      <h1>{t('rentals')}</h1>
      <div className="toolbar">
        <select value={filter} onChange={(e) => setFilter(e.target.value)}>
          <option value="">{t('allRentals')}</option>
          <option value="active">active</option>
          <option value="expired">expired</option>
          {[1, 3, 7, 30].map((n) => <option key={n} value={n}>{t('expiringWithin', { n })}</option>)}
        </select>
      </div>
      <ProblemMessage error={error} />
      <table>
        <thead><tr><th>{t('email')}</th><th>{t('status')}</th><th>{t('expires')}</th><th>{t('traffic')}</th></tr></thead>
        <tbody>
          {(data?.items ?? []).map((r) => (
            <tr key={r.id}>
              <td><Link to={`/admin/users/${r.userId}`}>{r.email}</Link></td>
              <td><span className="badge">{r.status}</span></td>
              <td>{date(r.expiresAt, language)}</td>
              <td>{gb(r.trafficUsedBytes)} / {r.trafficQuotaGb ?? '—'} GB</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function AdminUserDetailPage() {
  const { id } = useParams();
  const { t, language } = useI18n();
  const [user, setUser] = useState<User | null>(null);
  const [until, setUntil] = useState('');
  const { rental, error, reload } = useRental(`/api/users/${id}/rental`);
  useEffect(() => {
    api<User>(`/api/users/${id}`).then(setUser, () => undefined);
  }, [id]);
  return (
    <section className="card">
      <p><Link to="/admin/users">← {t('back')}</Link></p>
      <h1>{t('userDetail')}: {user?.email}</h1>
      {user && <p>{t('role')}: {user.role} · {t('status')}: {user.status} · {t('created')}: {date(user.createdAt, language)}</p>}
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
    </section>
  );
}
