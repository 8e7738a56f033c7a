import { Fragment, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Badge, Button, ConfirmButton, EmptyState, Loading, PageHeader, Pager, ProblemMessage, ScrollTable, useToast } from '../components';
import { api, download, type AuditEntry, type Paged, type User } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useI18n } from '../lib/i18n';
import { useLabel } from '../lib/labels';
import { pagedPath, useLoad } from '../lib/load';
import { Roles } from '../lib/vocabulary.generated';
import './people.css';

const pageSize = 20;

/** A role change asks first: it ends the person's sessions and changes what they may do. */
function RoleChange({ user, onChanged }: { user: User; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const labelOf = useLabel();
  const toast = useToast();
  const [role, setRole] = useState<string>(user.role);
  return (
    <span className="inline-actions">
      <select aria-label={`${t('people_newRole')} · ${user.email}`} value={role} onChange={(e) => setRole(e.target.value)}>
        {Roles.map((r) => <option key={r} value={r}>{labelOf('Roles', r)}</option>)}
      </select>
      <ConfirmButton
        label={t('people_changeRole')} disabled={role === user.role} testId="change-role"
        title={t('people_changeRoleTitle', { email: user.email })}
        consequences={t('people_changeRoleConsequences', { email: user.email, role: labelOf('Roles', role) })}
        onConfirm={async () => {
          await api(`/api/users/${user.id}/role`, { method: 'PUT', body: { role } });
          toast.success(t('people_roleChanged'));
          await onChanged();
        }}
      />
    </span>
  );
}

export function AdminUsersPage() {
  const { t, formatDateTime } = useI18n();
  const { user: me } = useAuth();
  const [search] = useSearchParams();
  const [q, setQ] = useState(search.get('q') ?? '');
  const [role, setRole] = useState(search.get('role') ?? '');
  const [page, setPage] = useState(1);
  const labelOf = useLabel();
  const state = useLoad<Paged<User>>(pagedPath('/api/users', page, { q, role }, pageSize));

  return (
    <section className="card">
      <PageHeader title={t('users')} />
      <div className="toolbar">
        <input aria-label={t('people_searchUsers')} placeholder={t('people_searchUsers')} value={q} onChange={(e) => { setQ(e.target.value); setPage(1); }} />
        <select aria-label={t('role')} value={role} onChange={(e) => { setRole(e.target.value); setPage(1); }}>
          <option value="">{t('allRoles')}</option>
          {Roles.map((r) => <option key={r} value={r}>{labelOf('Roles', r)}</option>)}
        </select>
      </div>
      <Loading state={state} empty={<EmptyState title={t('people_noUsers')} />}>
        {(data: Paged<User>) => (
          <>
            <ScrollTable>
                <thead>
                  <tr><th>{t('email')}</th><th>{t('username')}</th><th>{t('role')}</th><th>{t('verifiedCol')}</th><th>{t('created')}</th><th>{t('lastLogin')}</th></tr>
                </thead>
                <tbody>
                  {data.items.map((u) => (
                    <tr key={u.id}>
                      <td><Link to={`/admin/users/${u.id}`}>{u.email}</Link></td>
                      <td>{u.username}</td>
                      <td>
                        <Badge vocabulary="Roles" value={u.role} />
                        {me?.role === 'superadmin' && me.id !== u.id && <RoleChange user={u} onChanged={state.reload} />}
                      </td>
                      <td>{u.emailVerified ? t('yes') : t('no')}</td>
                      <td>{formatDateTime(u.createdAt)}</td>
                      <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
            </ScrollTable>
            <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
          </>
        )}
      </Loading>
    </section>
  );
}

interface AuditFacet { action: string; count: number; security: boolean }

/** A person of an audit row: email linking to the user page, or "system" when a job acted. */
function AuditPerson({ id, email, username }: { id: string | null; email?: string | null; username?: string | null }) {
  const { t } = useI18n();
  if (!id) return <span className="muted">{t('people_system')}</span>;
  return <Link to={`/admin/users/${id}`} title={username ?? id} data-testid="person">{email ?? id.slice(0, 8)}</Link>;
}

const dayStart = (value: string) => (value ? new Date(`${value}T00:00:00`).toISOString() : '');
const dayEnd = (value: string) => (value ? new Date(`${value}T23:59:59.999`).toISOString() : '');

/**
 * The account audit log: who did what to whom, in a date range, with the actions of the range as facets, security
 * events highlighted, each row's details on demand, and the same filter as a CSV download.
 */
export function AuditPage({ userId }: { userId?: string } = {}) {
  const { t, formatDateTime } = useI18n();
  const labelOf = useLabel();
  const [filters, setFilters] = useState({ action: '', user: '', actor: '', from: '', to: '', security: '' });
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const query: Record<string, string> = {
    user: filters.user, actor: filters.actor, from: dayStart(filters.from), to: dayEnd(filters.to), userId: userId ?? '',
  };
  const listQuery = { ...query, action: filters.action, security: filters.security };
  const state = useLoad<Paged<AuditEntry>>(pagedPath('/api/audit', page, listQuery, pageSize));
  const facets = useLoad<AuditFacet[]>(`/api/audit/facets?${new URLSearchParams(Object.entries(query).filter(([, v]) => v))}`);
  const set = (key: keyof typeof filters) => (value: string) => { setFilters({ ...filters, [key]: value }); setPage(1); };
  const exportPath = `/api/audit/export?${new URLSearchParams(Object.entries(listQuery).filter(([, v]) => v))}`;

  return (
    <section className="card" data-testid="audit-page">
      <PageHeader title={t('audit')} actions={
        <Button variant="secondary" onClick={() => download(exportPath, 'audit.csv').catch(setError)} data-testid="audit-export">{t('people_exportCsv')}</Button>
      } />
      <div className="toolbar">
        {!userId && <input aria-label={t('people_filterUser')} placeholder={t('people_filterUser')} value={filters.user} onChange={(e) => set('user')(e.target.value)} />}
        <input aria-label={t('people_filterActor')} placeholder={t('people_filterActor')} value={filters.actor} onChange={(e) => set('actor')(e.target.value)} />
        <label className="inline-field">{t('people_from')} <input type="date" value={filters.from} onChange={(e) => set('from')(e.target.value)} data-testid="audit-from" /></label>
        <label className="inline-field">{t('people_to')} <input type="date" value={filters.to} onChange={(e) => set('to')(e.target.value)} data-testid="audit-to" /></label>
        <label className="inline-field">
          <input type="checkbox" checked={filters.security === 'true'} onChange={(e) => set('security')(e.target.checked ? 'true' : '')} /> {t('people_securityOnly')}
        </label>
      </div>
      {facets.data && facets.data.length > 0 && (
        <div className="facets" role="group" aria-label={t('people_facets')} data-testid="audit-facets">
          <button type="button" className={filters.action === '' ? 'chip active' : 'chip'} aria-pressed={filters.action === ''} onClick={() => set('action')('')}>
            {t('people_allActions')}
          </button>
          {facets.data.map((f) => (
            <button key={f.action} type="button" data-value={f.action} aria-pressed={filters.action === f.action}
              className={`chip${filters.action === f.action ? ' active' : ''}${f.security ? ' security' : ''}`} onClick={() => set('action')(f.action)}>
              {labelOf('AuditActions', f.action)} <strong>{f.count}</strong>
            </button>
          ))}
        </div>
      )}
      <ProblemMessage error={error} />
      <Loading state={state} empty={<EmptyState title={t('people_noAudit')} hint={t('people_noAuditHint')} />}>
        {(data: Paged<AuditEntry>) => (
          <>
            <ScrollTable>
                <thead><tr><th>{t('time')}</th><th>{t('action')}</th><th>{t('people_target')}</th><th>{t('people_actor')}</th><th>{t('ip')}</th><th /></tr></thead>
                <tbody>
                  {data.items.map((entry) => (
                    <Fragment key={entry.id}>
                      <tr className={entry.security ? 'security-event' : undefined} data-testid="audit-row" data-security={entry.security ? 'true' : 'false'}>
                        <td>{formatDateTime(entry.createdAt)}</td>
                        <td>
                          <Badge vocabulary="AuditActions" value={entry.action} />
                          {entry.security && <span className="badge tone-danger" title={t('people_securityEvent')}>{t('people_securityEvent')}</span>}
                        </td>
                        <td><AuditPerson id={entry.userId} email={entry.userEmail} username={entry.username} /></td>
                        <td><AuditPerson id={entry.actorId} email={entry.actorEmail} username={entry.actorUsername} /></td>
                        <td>{entry.ip}</td>
                        <td>
                          <Button variant="ghost" size="sm" aria-expanded={open === entry.id} onClick={() => setOpen(open === entry.id ? null : entry.id)}>
                            {t('people_details')}
                          </Button>
                        </td>
                      </tr>
                      {open === entry.id && (
                        <tr className="details" data-testid="audit-details">
                          <td colSpan={6}>
                            <dl className="kv">
                              <dt>{t('detail')}</dt><dd>{entry.detail ?? '—'}</dd>
                              <dt>{t('people_userAgent')}</dt><dd className="mono">{entry.userAgent ?? '—'}</dd>
                              <dt>{t('people_target')}</dt><dd className="mono">{entry.userId ?? '—'}</dd>
                              <dt>{t('people_actor')}</dt><dd className="mono">{entry.actorId ?? '—'}</dd>
                            </dl>
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
            </ScrollTable>
            <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
          </>
        )}
      </Loading>
    </section>
  );
}
