import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Pager, ProblemMessage } from '../components';
import { api, type AuditEntry, type Paged, type User } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useI18n, type MessageKey } from '../lib/i18n';
import { AuditActions, Roles } from '../lib/vocabulary.generated';

const pageSize = 20;

export function AdminUsersPage() {
  const { t, language } = useI18n();
  const { user: me } = useAuth();
  const [q, setQ] = useState('');
  const [role, setRole] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Paged<User> | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    const query = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    if (q.trim()) query.set('q', q.trim());
    if (role) query.set('role', role);
    try {
      setData(await api<Paged<User>>(`/api/users?${query}`));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [q, role, page]);

  useEffect(() => {
    load();
  }, [load]);

  const changeRole = async (id: string, newRole: string) => {
    try {
      await api(`/api/users/${id}/role`, { method: 'PUT', body: { role: newRole } });
      await load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="card">
      <h1>{t('users')}</h1>
      <div className="toolbar">
        <input placeholder={t('search')} value={q} onChange={(e) => { setQ(e.target.value); setPage(1); }} />
        <select value={role} onChange={(e) => { setRole(e.target.value); setPage(1); }}>
          <option value="">{t('allRoles')}</option>
          {Roles.map((r) => <option key={r} value={r}>{t(`roles_${r}` as MessageKey)}</option>)}
        </select>
      </div>
      <ProblemMessage error={error} />
      {!data ? <p>{t('loading')}</p> : (
        <>
          <table>
            <thead>
              <tr><th>{t('email')}</th><th>{t('username')}</th><th>{t('role')}</th><th>{t('verifiedCol')}</th><th>{t('created')}</th><th>{t('lastLogin')}</th></tr>
            </thead>
            <tbody>
              {data.items.map((u) => (
                <tr key={u.id}>
                  <td><Link to={`/admin/users/${u.id}`}>{u.email}</Link></td>
                  <td>{u.username}</td>
                  <td>
                    {me?.role === 'superadmin' && me.id !== u.id ? (
                      <select aria-label={t('changeRole')} value={u.role} onChange={(e) => changeRole(u.id, e.target.value)}>
                        {Roles.map((r) => <option key={r} value={r}>{t(`roles_${r}` as MessageKey)}</option>)}
                      </select>
                    ) : t(`roles_${u.role}` as MessageKey)}
                  </td>
                  <td>{u.emailVerified ? t('yes') : t('no')}</td>
                  <td>{new Date(u.createdAt).toLocaleString(language)}</td>
                  <td>{u.lastLoginAt ? new Date(u.lastLoginAt).toLocaleString(language) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}


export function AuditPage() {
  const { t, language } = useI18n();
  const [action, setAction] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Paged<AuditEntry> | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const query = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    if (action) query.set('action', action);
    api<Paged<AuditEntry>>(`/api/audit?${query}`).then(setData, setError);
  }, [action, page]);

  return (
    <section className="card">
      <h1>{t('audit')}</h1>
      <div className="toolbar">
        <select value={action} onChange={(e) => { setAction(e.target.value); setPage(1); }}>
          <option value="">{t('action')}</option>
          {AuditActions.map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
      </div>
      <ProblemMessage error={error} />
      {!data ? <p>{t('loading')}</p> : (
        <>
          <table>
            <thead><tr><th>{t('time')}</th><th>{t('action')}</th><th>{t('detail')}</th><th>{t('ip')}</th><th>{t('userAgent')}</th></tr></thead>
            <tbody>
              {data.items.map((entry) => (
                <tr key={entry.id}>
                  <td>{new Date(entry.createdAt).toLocaleString(language)}</td>
                  <td><span className="badge">{entry.action}</span></td>
                  <td>{entry.detail ?? ''}</td>
                  <td>{entry.ip}</td>
                  <td className="muted">{entry.userAgent}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
