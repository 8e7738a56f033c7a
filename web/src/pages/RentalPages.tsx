import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ConfirmButton, CopyButton, EmptyState, Field, Form, PageHeader, ProblemMessage, ScrollTable, Skeleton, useToast } from '../components';
import { api, ApiError } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useI18n, type MessageKey } from '../lib/i18n';

export interface Period { id: string; source: string; startsAt: string; endsAt: string; trafficQuotaGb: number | null }
export interface Rental {
  id: string; status: string; startedAt: string; expiresAt: string; daysLeft: number; trafficQuotaGb: number | null;
  trafficUsedBytes: number; serviceState: 'provisioning' | 'ready' | 'stopped'; policyVersion: number | null; history: Period[];
}
interface Device { id: string; name: string; machineCode: string; nodeKey: string; createdAt: string }

const date = (value: string, language: string) => new Date(value).toLocaleString(language);
const gb = (bytes: number) => (bytes / 2 ** 30).toFixed(2);

export function useRental(path: string) {
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

export function History({ periods }: { periods: Period[] }) {
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
  const { t, formatDate } = useI18n();
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [form, setForm] = useState({ name: '', machineCode: '', nodeKey: '' });
  const load = useCallback(() => api<Device[]>('/api/users/me/devices').then(setDevices, setError), []);
  useEffect(() => {
    load();
  }, [load]);
  return (
    <section className="card">
      <PageHeader title={t('devices')} subtitle={devices ? t('devices_count', { n: devices.length, max: 5 }) : undefined} />
      <p className="muted">{t('home_stepDevicesHint')}</p>
      <ProblemMessage error={error} />
      {devices === null ? <Skeleton rows={3} /> : devices.length === 0 ? <EmptyState title={t('devices_none')} hint={t('devices_noneHint')} /> : (
        <ScrollTable>
          <table>
            <thead><tr><th>{t('deviceName')}</th><th>{t('machineCode')}</th><th>{t('nodeKey')}</th><th>{t('created')}</th><th aria-label={t('remove')} /></tr></thead>
            <tbody>
              {devices.map((d) => (
                <tr key={d.id} data-testid="device">
                  <td>{d.name}</td><td className="mono">{d.machineCode}</td>
                  <td className="mono">{d.nodeKey} <CopyButton value={d.nodeKey} label={t('nodeKey')} /></td><td>{formatDate(d.createdAt)}</td>
                  <td>
                    <ConfirmButton label={t('remove')} title={t('devices_removeTitle', { name: d.name })} consequences={t('devices_removeConsequences')}
                      onConfirm={async () => {
                        await api(`/api/users/me/devices/${d.id}`, { method: 'DELETE' });
                        await load();
                      }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
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
  const { t, language, setLanguage, formatDate } = useI18n();
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  const toast = useToast();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const signedOut = async () => {
    await logout();
    navigate('/login');
  };
  return (
    <div className="stack">
      <section className="card narrow" data-testid="profile">
        <PageHeader title={t('account')} />
        {user && (
          <dl className="facts">
            <dt>{t('email')}</dt><dd>{user.email}</dd>
            <dt>{t('username')}</dt><dd>{user.username}</dd>
            <dt>{t('created')}</dt><dd>{formatDate(user.createdAt)}</dd>
          </dl>
        )}
        <label>
          {t('account_language')}{' '}
          <select value={language} data-testid="account-language" onChange={async (e) => {
            const chosen = e.target.value as 'zh-CN' | 'en';
            setLanguage(chosen);
            // Stored on the account too: the mails it receives follow it.
            await api('/api/users/me/language', { method: 'PUT', body: { language: chosen } }).catch(setError);
          }}>
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
        </label>
        <ProblemMessage error={error} />
      </section>
      <section className="card narrow" data-testid="change-password">
        <h2>{t('account_changePassword')}</h2>
        <p className="muted">{t('account_changePasswordHint')}</p>
        <Form submitLabel={t('account_changePassword')} onSubmit={async () => {
          await api('/api/users/me/password', { method: 'POST', body: { currentPassword: current, newPassword: next } });
          toast.success(t('account_passwordChanged'));
          await signedOut();
        }}>
          <Field label={t('account_currentPassword')} name="currentPassword" type="password" value={current} onChange={setCurrent} autoComplete="current-password" />
          <Field label={t('auth_newPassword')} name="newPassword" type="password" value={next} onChange={setNext} autoComplete="new-password" />
        </Form>
      </section>
      <section className="card narrow" data-testid="sessions">
        <h2>{t('account_signOutEverywhere')}</h2>
        <p className="muted">{t('account_signOutEverywhereHint')}</p>
        <ConfirmButton
          label={t('account_signOutEverywhere')}
          title={t('account_signOutEverywhere')}
          consequences={t('account_signOutEverywhereHint')}
          variant="secondary"
          testId="revoke-all"
          onConfirm={async () => {
            await api('/api/users/me/sessions/revoke-all', { method: 'POST' });
            await signedOut();
          }}
        />
      </section>
      <section className="card narrow danger-zone" data-testid="danger-zone">
        <h2>{t('closeAccount')}</h2>
        <p className="alert error">{t('closeAccountHint')}</p>
        <Field label={t('password')} name="password" type="password" value={password} onChange={setPassword} autoComplete="current-password" />
        <ConfirmButton
          label={t('closeAccount')}
          title={t('closeAccount')}
          consequences={t('closeAccountHint')}
          testId="close-account"
          disabled={!password}
          onConfirm={async () => {
            await api('/api/users/me', { method: 'DELETE', body: { password } });
            await signedOut();
          }}
        />
      </section>
    </div>
  );
}
