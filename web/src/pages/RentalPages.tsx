import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Field, Form, ProblemMessage } from '../components';
import { api, ApiError, type Paged, type User } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useI18n, type MessageKey } from '../lib/i18n';

interface Period { id: string; source: string; startsAt: string; endsAt: string; trafficQuotaGb: number | null }
interface Rental {
  id: string; status: string; startedAt: string; expiresAt: string; daysLeft: number; trafficQuotaGb: number | null;
  trafficUsedBytes: number; serviceState: 'provisioning' | 'ready' | 'stopped'; policyVersion: number | null; history: Period[];
}
interface Device { id: string; name: string; machineCode: string; nodeKey: string; createdAt: string }
interface RentalRow { id: string; userId: string; email: string; username: string; status: string; expiresAt: string; trafficQuotaGb: number | null; trafficUsedBytes: number }

const date = (value: string, language: string) => new Date(value).toLocaleString(language);
const gb = (bytes: number) => (bytes / 2 ** 30).toFixed(2);

function useRental(path: string) {
  const [rental, setRental] = useState<Rental | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setRental(await api<Rental>(path));
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === 'no_rental') setRental(null);
      else setError(e);
    }
  }, [path]);
  useEffect(() => {
    load();
  }, [load]);
  return { rental, error, reload: load };
}

function History({ periods }: { periods: Period[] }) {
  const { t, language, label } = useI18n();
  return (
    <table>
      <thead><tr><th>{t('period')}</th><th>{t('source')}</th><th>{t('trafficQuotaGb')}</th></tr></thead>
      <tbody>
        {periods.map((p) => (
          <tr key={p.id}><td>{date(p.startsAt, language)} → {date(p.endsAt, language)}</td><td>{label('rentalSource', p.source)}</td><td>{p.trafficQuotaGb ?? '—'}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

export function RentalSummary({ rental }: { rental: Rental }) {
  const { t, language } = useI18n();
  const used = rental.trafficQuotaGb ? Math.min(100, (rental.trafficUsedBytes / (rental.trafficQuotaGb * 2 ** 30)) * 100) : 0;
  return (
    <div className="rental" data-testid="rental" data-state={rental.serviceState}>
      <div className="rental-head">
        <strong className="big">{t('daysLeft', { n: rental.daysLeft })}</strong>
        <span className={`badge state-${rental.serviceState}`}>{t(`state_${rental.serviceState}` as MessageKey)}</span>
      </div>
      <p>{t('expires')}: {date(rental.expiresAt, language)}</p>
      {rental.trafficQuotaGb !== null && (
        <div>
          {t('traffic')}: {gb(rental.trafficUsedBytes)} / {rental.trafficQuotaGb} GB
          <div className="meter" role="meter" aria-valuenow={Math.round(used)} aria-valuemin={0} aria-valuemax={100}>
            <div style={{ width: `${used}%` }} className={used > 90 ? 'hot' : ''} />
          </div>
        </div>
      )}
    </div>
  );
}

export function MyRentalCard() {
  const { t } = useI18n();
  const { rental, error } = useRental('/api/users/me/rental');
  return (
    <section className="card">
      <h2>{t('myRental')}</h2>
      <ProblemMessage error={error} />
      {rental === undefined && !error && <p>{t('loading')}</p>}
      {rental === null && <p data-testid="no-rental">{t('noRental')}</p>}
      {rental && <><RentalSummary rental={rental} /><h3>{t('history')}</h3><History periods={rental.history} /></>}
      <p><Link to="/plans" data-testid="renew">{t('renewRental')}</Link> · <Link to="/redeem">{t('renew')}</Link> · <Link to="/devices">{t('devices')}</Link> · <Link to="/account">{t('account')}</Link></p>
    </section>
  );
}

export function DevicesPage() {
  const { t, language } = useI18n();
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [form, setForm] = useState({ name: '', machineCode: '', nodeKey: '' });
  const load = useCallback(() => api<Device[]>('/api/users/me/devices').then(setDevices, setError), []);
  useEffect(() => {
    load();
  }, [load]);
  return (
    <section className="card">
      <h1>{t('devices')}</h1>
      <ProblemMessage error={error} />
      <table>
        <thead><tr><th>{t('deviceName')}</th><th>{t('machineCode')}</th><th>node key</th><th>{t('created')}</th><th /></tr></thead>
        <tbody>
          {(devices ?? []).map((d) => (
            <tr key={d.id}>
              <td>{d.name}</td><td className="mono">{d.machineCode}</td><td className="mono muted">{d.nodeKey}</td><td>{date(d.createdAt, language)}</td>
              <td><button className="small danger" onClick={() => api(`/api/users/me/devices/${d.id}`, { method: 'DELETE' }).then(load, setError)}>{t('remove')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('addDevice')}</h2>
      <Form submitLabel={t('addDevice')} onSubmit={async () => {
        await api('/api/users/me/devices', { method: 'POST', body: form });
        setForm({ name: '', machineCode: '', nodeKey: '' });
        await load();
      }}>
        <div className="grid">
          <Field label={t('deviceName')} name="name" value={form.name} onChange={(name) => setForm({ ...form, name })} />
          <Field label={t('machineCode')} name="machineCode" value={form.machineCode} onChange={(machineCode) => setForm({ ...form, machineCode })} />
          <Field label={t('nodeKey')} name="nodeKey" value={form.nodeKey} onChange={(nodeKey) => setForm({ ...form, nodeKey })} />
        </div>
      </Form>
    </section>
  );
}

export function AccountPage() {
  const { t } = useI18n();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  return (
    <section className="card narrow">
      <h1>{t('closeAccount')}</h1>
      <p className="alert error">{t('closeAccountHint')}</p>
      <Form submitLabel={t('closeAccount')} onSubmit={async () => {
        await api('/api/users/me', { method: 'DELETE', body: { password } });
        await logout();
        navigate('/login');
      }}>
        <Field label={t('password')} name="password" type="password" value={password} onChange={setPassword} />
      </Form>
    </section>
  );
}

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
