import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Badge, Button, ConfirmButton, EmptyState, LinkButton, Field, Form, Loading, PageHeader, Pager, ProblemMessage, ScrollTable, useToast } from '../components';
import { api, download, tokenStore, ApiError, type Paged } from '../lib/api';
import { PersonLink, usePeople } from '../lib/people';
import { useLabel } from '../lib/labels';
import { pagedPath, useLoad } from '../lib/load';
import './people.css';
import { useI18n, type MessageKey } from '../lib/i18n';
import { SerialKinds, SerialStatuses } from '../lib/vocabulary.generated';
import { planName, type Plan } from '../lib/finance';

export interface Serial {
  id: string;
  fullCode: string;
  kind: string;
  status: string;
  batchId: string;
  durationDays: number | null;
  durationHours: number | null;
  trafficQuotaGb: number | null;
  valueCents: number | null;
  bindingPolicy: string;
  remark: string | null;
  createdAt: string;
  validUntil: string;
  firstUsedAt: string | null;
  expiresAt: string | null;
  userId: string | null;
  client: { machineCode: string; hardware: string | null; ip: string | null; function: string | null; lastRequestAt: string } | null;
}

interface UseLogEntry {
  id: number;
  action: string;
  useType: string | null;
  userId: string | null;
  ip: string | null;
  remark: string | null;
  createdAt: string;
}

interface Mismatch {
  id: number;
  fullCode: string;
  policy: string;
  requestJson: string;
  boundMachineCode: string | null;
  ip: string | null;
  createdAt: string;
}

const when = (value: string | null, language: string) => (value ? new Date(value).toLocaleString(language) : '—');

export function RedeemPage() {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [result, setResult] = useState<string | null>(null);
  return (
    <section className="card narrow">
      <h1>{t('redeem')}</h1>
      <p className="muted-text">{t('redeemHint')}</p>
      {result && (
        <div className="alert success" data-testid="redeemed">
          <p>{result}</p>
          {/* A rental serial sets relays up: the home follows them until they run. */}
          <p><Link to="/">{t('redeem_watchRelays')}</Link></p>
        </div>
      )}
      <Form
        submitLabel={t('redeem')}
        onSubmit={async () => {
          const redeemed = await api<{ kind: string; fullCode: string }>('/api/serials/redeem', { method: 'POST', body: { code } });
          setResult(t('redeemed', { kind: `${redeemed.fullCode} (${redeemed.kind})` }));
          setCode('');
        }}
      >
        <Field label={t('serials')} name="code" value={code} onChange={setCode} />
      </Form>
    </section>
  );
}

function BatchForm({ onCreated }: { onCreated: () => void }) {
  const { t, language } = useI18n();
  const labelOf = useLabel();
  const [form, setForm] = useState({ prefix: 'VIP', count: '100', kind: 'rental', planId: '', codeLength: '10', durationDays: '30', durationHours: '',
    trafficQuotaGb: '', valueCents: '', validDays: '30', bindingPolicy: 'strict', dataKey: '', remark: '' });
  // A rental batch for a plan takes the plan's days, quota and face value (serials keeps finance's plans).
  const [plans, setPlans] = useState<Plan[]>([]);
  useEffect(() => {
    api<Plan[]>('/api/finance/plans/all').then((all) => setPlans(all.filter((p) => !p.retired))).catch(() => setPlans([]));
  }, []);
  const fromPlan = form.kind === 'rental' && form.planId !== '';
  const [elapsed, setElapsed] = useState<number | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [created, setCreated] = useState<{ batchId: string; count: number; prefix: string } | null>(null);
  const sample = `${form.prefix.toUpperCase()}-${'ABCDEFGHJKMNPQRSTUVWXYZ23456789'.repeat(3).slice(0, Math.min(32, Math.max(6, Number(form.codeLength) || 10)))}`;
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });
  const number = (value: string) => (value.trim() === '' ? undefined : Number(value));

  const submit = async () => {
    setDone(null);
    const started = Date.now();
    setElapsed(0);
    // Large batches take seconds: show that the work is going on.
    const timer = window.setInterval(() => setElapsed(Math.round((Date.now() - started) / 1000)), 250);
    try {
      const made = await api<{ batchId: string; count: number; prefix: string }>('/api/serials/batches', {
        method: 'POST',
        body: {
          prefix: form.prefix, count: number(form.count), kind: form.kind, codeLength: number(form.codeLength),
          ...(fromPlan
            ? { planId: form.planId }
            : { durationDays: number(form.durationDays), durationHours: number(form.durationHours), trafficQuotaGb: number(form.trafficQuotaGb),
                valueCents: number(form.valueCents) }),
          validDays: number(form.validDays), bindingPolicy: form.bindingPolicy,
          dataKey: form.dataKey || undefined, remark: form.remark || undefined,
        },
      });
      setDone(t('generated', { n: made.count }));
      setCreated(made);
      onCreated();
    } finally {
      window.clearInterval(timer);
      setElapsed(null);
    }
  };

  return (
    <details className="card">
      <summary><strong>{t('generate')}</strong></summary>
      <Form submitLabel={t('generate')} onSubmit={submit}>
        <div className="grid">
          <Field label={t('prefix')} name="prefix" value={form.prefix} onChange={set('prefix')} />
          <Field label={t('count')} name="count" type="number" value={form.count} onChange={set('count')} />
          <label className="field"><span>{t('kind')}</span>
            <select name="kind" value={form.kind} onChange={(e) => set('kind')(e.target.value)}>{SerialKinds.map((k) => <option key={k} value={k}>{labelOf('SerialKinds', k)}</option>)}</select>
          </label>
          {form.kind === 'rental' && plans.length > 0 && (
            <label className="field"><span>{t('plan')}</span>
              <select name="planId" value={form.planId} onChange={(e) => set('planId')(e.target.value)}>
                <option value="">—</option>
                {plans.map((p) => <option key={p.id} value={p.id}>{planName(p, language)}</option>)}
              </select>
            </label>
          )}
          <Field label={t('codeLength')} name="codeLength" type="number" value={form.codeLength} onChange={set('codeLength')} />
          {!fromPlan && (
            <>
              <OptionalField label={t('durationDays')} name="durationDays" value={form.durationDays} onChange={set('durationDays')} />
              <OptionalField label={t('durationHours')} name="durationHours" value={form.durationHours} onChange={set('durationHours')} />
              <OptionalField label={t('trafficQuotaGb')} name="trafficQuotaGb" value={form.trafficQuotaGb} onChange={set('trafficQuotaGb')} />
              <OptionalField label={t('valueCents')} name="valueCents" value={form.valueCents} onChange={set('valueCents')} />
            </>
          )}
          <OptionalField label={t('validDays')} name="validDays" value={form.validDays} onChange={set('validDays')} />
          <label className="field"><span>{t('bindingPolicy')}</span>
            <select name="bindingPolicy" value={form.bindingPolicy} onChange={(e) => set('bindingPolicy')(e.target.value)}>
              <option>strict</option><option>lenient</option>
            </select>
          </label>
          <OptionalField label={t('dataKey')} name="dataKey" value={form.dataKey} onChange={set('dataKey')} />
          <OptionalField label={t('remark')} name="remark" value={form.remark} onChange={set('remark')} />
        </div>
        {elapsed !== null && (
          <div className="progress" role="progressbar" aria-label={t('generating', { n: form.count, s: elapsed })}>
            <div className="bar" />
            <span>{t('generating', { n: form.count, s: elapsed })}</span>
          </div>
        )}
        <p className="muted sample-code" data-testid="sample-code">{t('people_sampleCode', { code: sample })}</p>
        {done && <p className="alert success">{done}</p>}
        {created && (
          <Button variant="primary" data-testid="download-created"
            onClick={() => download(`/api/serials/export?batchId=${created.batchId}&status=unused&format=txt`, `${created.prefix}.txt`)}>
            {t('people_downloadThese', { n: created.count })}
          </Button>
        )}
      </Form>
    </details>
  );
}

function OptionalField(props: { label: string; name: string; value: string; onChange: (value: string) => void }) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input name={props.name} value={props.value} onChange={(e) => props.onChange(e.target.value)} />
    </label>
  );
}

/** POSTs ids and saves the file the answer carries (the selection is too long for a query string). */
async function postDownload(path: string, body: unknown, fallbackName: string) {
  const tokens = tokenStore.get();
  const response = await fetch(path, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...(tokens ? { Authorization: `Bearer ${tokens.accessToken}` } : {}) },
  });
  if (!response.ok) throw new ApiError(await response.json().catch(() => ({ title: response.statusText, status: response.status })));
  const name = response.headers.get('Content-Disposition')?.match(/filename="?([^";]+)"?/)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  Object.assign(document.createElement('a'), { href: url, download: name }).click();
  URL.revokeObjectURL(url);
}

export function AdminSerialsPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const labelOf = useLabel();
  const toast = useToast();
  const params = new URLSearchParams(window.location.search);
  const [filters, setFilters] = useState({ status: params.get('status') ?? '', prefix: '', kind: '', q: '', batchId: params.get('batchId') ?? '' });
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const pageSize = 50;
  const state = useLoad<Paged<Serial>>(pagedPath('/api/serials', page, filters, pageSize));
  const useTypes = useLoad<Record<string, number>>('/api/serials/logs/stats');
  const people = usePeople((state.data?.items ?? []).map((s) => s.userId));
  const query = () => new URLSearchParams(Object.entries(filters).filter(([, v]) => v.trim()));

  const reload = async () => {
    await state.reload();
    await useTypes.reload();
  };
  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      await reload();
    } catch (e) {
      setError(e);
    }
  };
  const set = (key: keyof typeof filters) => (value: string) => {
    setFilters({ ...filters, [key]: value });
    setPage(1);
    setSelected(new Set());
  };
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const bulk = async (action: 'disable' | 'enable') => {
    const result = await api<{ changed: number; unchanged: number }>('/api/serials/bulk', { method: 'POST', body: { action, ids: [...selected] } });
    toast.success(t('people_bulkDone', { changed: result.changed, unchanged: result.unchanged }));
    setSelected(new Set());
    await reload();
  };
  const items = state.data?.items ?? [];

  return (
    <>
      <BatchForm onCreated={reload} />
      <section className="card" data-testid="serials-page">
        <PageHeader title={t('serials')} actions={<LinkButton to="/admin/serials/batches">{t('people_batches')}</LinkButton>} />
        {useTypes.data && (
          <figure className="stats-figure">
            <figcaption>{t('people_useTypeCaption')}</figcaption>
            <div className="stats">
              {Object.entries(useTypes.data).map(([type, count]) => (
                <div key={type} className="stat" data-testid="use-type-tile"><strong>{formatNumber(count)}</strong><span>{labelOf('UseTypes', type)}</span></div>
              ))}
            </div>
          </figure>
        )}
        <div className="toolbar">
          <input aria-label={t('people_searchSerials')} placeholder={t('people_searchSerials')} value={filters.q} onChange={(e) => set('q')(e.target.value)} />
          <input aria-label={t('prefix')} placeholder={t('prefix')} value={filters.prefix} onChange={(e) => set('prefix')(e.target.value)} style={{ maxWidth: 120 }} />
          <select aria-label={t('status')} value={filters.status} onChange={(e) => set('status')(e.target.value)}>
            <option value="">{t('allStatuses')}</option>
            {SerialStatuses.map((s) => <option key={s} value={s}>{labelOf('SerialStatuses', s)}</option>)}
          </select>
          <select aria-label={t('kind')} value={filters.kind} onChange={(e) => set('kind')(e.target.value)}>
            <option value="">{t('allKinds')}</option>
            {SerialKinds.map((k) => <option key={k} value={k}>{labelOf('SerialKinds', k)}</option>)}
          </select>
          <Button variant="secondary" onClick={() => act(() => download(`/api/serials/export?${query()}&format=txt`, 'serials.txt'))}>{t('export')} TXT</Button>
          <Button variant="secondary" onClick={() => act(() => download(`/api/serials/export?${query()}&format=csv`, 'serials.csv'))}>CSV</Button>
        </div>
        {selected.size > 0 && (
          <div className="bulk-bar" data-testid="bulk-bar">
            <strong>{t('people_selected', { n: selected.size })}</strong>
            <ConfirmButton label={t('people_bulkDisable')} testId="bulk-disable" title={t('people_bulkDisableTitle', { n: selected.size })}
              consequences={t('people_bulkDisableConsequences', { n: selected.size })} onConfirm={() => bulk('disable')} />
            <Button variant="secondary" size="sm" onClick={() => act(() => bulk('enable'))} data-testid="bulk-enable">{t('people_bulkEnable')}</Button>
            <Button variant="secondary" size="sm" data-testid="bulk-export"
              onClick={() => postDownload('/api/serials/export', { ids: [...selected], format: 'txt' }, 'serials-selected.txt').catch(setError)}>
              {t('people_exportSelected')}
            </Button>
          </div>
        )}
        <ProblemMessage error={error} />
        <Loading state={state} empty={<EmptyState title={t('people_noSerials')} />}>
          {(data: Paged<Serial>) => (
            <>
              <ScrollTable>
                  <thead>
                    <tr>
                      <th><input type="checkbox" aria-label={t('people_selectAll')} checked={items.length > 0 && items.every((s) => selected.has(s.id))}
                        onChange={(e) => setSelected(e.target.checked ? new Set(items.map((s) => s.id)) : new Set())} /></th>
                      <th>{t('serials')}</th><th>{t('kind')}</th><th>{t('status')}</th><th>{t('people_usedBy')}</th><th>{t('people_redeemedAt')}</th>
                      <th>{t('validUntil')}</th><th>{t('remark')}</th><th />
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((s) => (
                      <tr key={s.id} data-testid="serial-row">
                        <td><input type="checkbox" aria-label={t('people_selectRow', { code: s.fullCode })} checked={selected.has(s.id)} onChange={() => toggle(s.id)} /></td>
                        <td><Link to={`/admin/serials/${s.id}`} className="mono">{s.fullCode}</Link></td>
                        <td>{labelOf('SerialKinds', s.kind)}</td>
                        <td><Badge vocabulary="SerialStatuses" value={s.status} /></td>
                        <td><PersonLink id={s.userId} person={s.userId ? people.get(s.userId) : undefined} /></td>
                        <td>{s.firstUsedAt ? formatDateTime(s.firstUsedAt) : '—'}</td>
                        <td>{formatDateTime(s.validUntil)}</td>
                        <td>{s.remark}</td>
                        <td className="actions">
                          {s.status === 'disabled'
                            ? <Button size="sm" variant="secondary" onClick={() => act(() => api(`/api/serials/${s.id}`, { method: 'PATCH', body: { status: 'enabled' } }))}>{t('enable')}</Button>
                            : <Button size="sm" variant="secondary" onClick={() => act(() => api(`/api/serials/${s.id}`, { method: 'PATCH', body: { status: 'disabled' } }))}>{t('disable')}</Button>}
                          {!s.firstUsedAt && (s.status === 'unused' || s.status === 'disabled') && (
                            <ConfirmButton label={t('delete')} title={t('delete')} consequences={t('confirmDelete')}
                              onConfirm={() => api(`/api/serials/${s.id}`, { method: 'DELETE' }).then(reload)} />
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
              </ScrollTable>
              <Pager page={page} pageSize={pageSize} total={data.total} onPage={(p) => { setPage(p); setSelected(new Set()); }} />
            </>
          )}
        </Loading>
      </section>
    </>
  );
}

interface StatusCounts { unused: number; active: number; used: number; expired: number; disabled: number }
export interface Batch {
  id: string; prefix: string; kind: string; count: number; codeLength: number; planId: string | null; durationDays: number | null;
  durationHours: number | null; trafficQuotaGb: number | null; valueCents: number | null; validDays: number; remark: string | null;
  createdBy: string; createdAt: string; counts: StatusCounts;
}

/** The batches with their serials counted per status: export what is unused, disable a batch that leaked or did not sell. */
export function BatchesPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const labelOf = useLabel();
  const toast = useToast();
  const [filters, setFilters] = useState({ kind: '', prefix: '' });
  const [page, setPage] = useState(1);
  const [error, setError] = useState<unknown>(null);
  const state = useLoad<Paged<Batch>>(pagedPath('/api/serials/batches', page, filters));
  const people = usePeople((state.data?.items ?? []).map((b) => b.createdBy));
  const statuses: (keyof StatusCounts)[] = ['unused', 'active', 'used', 'expired', 'disabled'];

  return (
    <section className="card" data-testid="batches-page">
      <PageHeader title={t('people_batches')} actions={<LinkButton to="/admin/serials">{t('serials')}</LinkButton>} />
      <div className="toolbar">
        <input aria-label={t('prefix')} placeholder={t('prefix')} value={filters.prefix} onChange={(e) => { setFilters({ ...filters, prefix: e.target.value }); setPage(1); }} />
        <select aria-label={t('kind')} value={filters.kind} onChange={(e) => { setFilters({ ...filters, kind: e.target.value }); setPage(1); }}>
          <option value="">{t('allKinds')}</option>
          {SerialKinds.map((k) => <option key={k} value={k}>{labelOf('SerialKinds', k)}</option>)}
        </select>
      </div>
      <ProblemMessage error={error} />
      <Loading state={state} empty={<EmptyState title={t('people_noBatches')} hint={t('people_noBatchesHint')} action={<LinkButton to="/admin/serials">{t('generate')}</LinkButton>} />}>
        {(data: Paged<Batch>) => (
          <>
            <ScrollTable>
                <thead>
                  <tr>
                    <th>{t('people_batch')}</th><th>{t('kind')}</th><th>{t('count')}</th>
                    {statuses.map((s) => <th key={s}>{t(`people_${s}` as MessageKey)}</th>)}
                    <th>{t('people_created')}</th><th />
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((b) => (
                    <tr key={b.id} data-testid="batch-row" data-batch={b.id}>
                      <td><Link to={`/admin/serials?batchId=${b.id}`} className="mono">{b.prefix}</Link>{b.remark && <div className="muted">{b.remark}</div>}</td>
                      <td>{labelOf('SerialKinds', b.kind)}</td>
                      <td>{formatNumber(b.count)}</td>
                      {statuses.map((s) => <td key={s} data-status={s}>{formatNumber(b.counts[s])}</td>)}
                      <td>{formatDateTime(b.createdAt)}<div className="muted"><PersonLink id={b.createdBy} person={people.get(b.createdBy)} /></div></td>
                      <td className="actions">
                        <Button size="sm" variant="secondary" disabled={b.counts.unused === 0} data-testid="export-unused"
                          onClick={() => download(`/api/serials/export?batchId=${b.id}&status=unused&format=txt`, `${b.prefix}-unused.txt`).catch(setError)}>
                          {t('people_exportUnused')}
                        </Button>
                        <ConfirmButton label={t('people_disableBatch')} testId="disable-batch" disabled={b.counts.unused === 0}
                          title={t('people_disableBatchTitle', { prefix: b.prefix })}
                          consequences={t('people_disableBatchConsequences', { n: b.counts.unused })}
                          onConfirm={async () => {
                            const result = await api<{ disabled: number }>(`/api/serials/batches/${b.id}/disable`, { method: 'POST' });
                            toast.success(t('people_batchDisabled', { n: result.disabled }));
                            await state.reload();
                          }} />
                      </td>
                    </tr>
                  ))}
                </tbody>
            </ScrollTable>
            <Pager page={page} pageSize={20} total={data.total} onPage={setPage} />
          </>
        )}
      </Loading>
    </section>
  );
}

export function SerialDetailPage() {
  const { id } = useParams();
  const { t, language } = useI18n();
  const [detail, setDetail] = useState<{ serial: Serial; useLog: UseLogEntry[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [remark, setRemark] = useState('');

  const load = useCallback(async () => {
    try {
      const loaded = await api<{ serial: Serial; useLog: UseLogEntry[] }>(`/api/serials/${id}`);
      setDetail(loaded);
      setRemark(loaded.serial.remark ?? '');
    } catch (e) {
      setError(e);
    }
  }, [id]);

  useEffect(() => {
    load();
  }, [load]);

  const people = usePeople([detail?.serial.userId, ...(detail?.useLog ?? []).map((l) => l.userId)]);
  if (!detail) return <section className="card"><ProblemMessage error={error} />{!error && t('loading')}</section>;
  const s = detail.serial;
  const rows: [MessageKey, string][] = [
    ['kind', s.kind], ['status', s.status], ['validUntil', when(s.validUntil, language)], ['firstUsed', when(s.firstUsedAt, language)],
    ['expiresAt', when(s.expiresAt, language)], ['bindingPolicy', s.bindingPolicy],
    ['durationDays', String(s.durationDays ?? s.durationHours ?? '—')], ['trafficQuotaGb', String(s.trafficQuotaGb ?? '—')],
  ];
  return (
    <section className="card">
      <p><Link to="/admin/serials">← {t('back')}</Link></p>
      <h1 className="mono">{s.fullCode}</h1>
      <ProblemMessage error={error} />
      <table className="kv"><tbody>
        {rows.map(([key, value]) => <tr key={key}><th>{t(key)}</th><td>{value}</td></tr>)}
        <tr><th>{t('people_usedBy')}</th><td><PersonLink id={s.userId} person={s.userId ? people.get(s.userId) : undefined} /></td></tr>
      </tbody></table>
      {s.client && (
        <p>{t('boundTo')}: <span className="mono">{s.client.machineCode}</span> · {s.client.hardware} · {s.client.ip} · {when(s.client.lastRequestAt, language)}
          {' '}<button className="small" onClick={async () => { await api(`/api/serials/${s.id}/unbind`, { method: 'POST' }).catch(setError); await load(); }}>{t('unbind')}</button>
        </p>
      )}
      <div className="toolbar">
        <input value={remark} onChange={(e) => setRemark(e.target.value)} placeholder={t('remark')} />
        <button onClick={async () => { await api(`/api/serials/${s.id}`, { method: 'PATCH', body: { remark } }).catch(setError); await load(); }}>{t('save')}</button>
      </div>
      <h2>{t('useLog')}</h2>
      <table>
        <thead><tr><th>{t('time')}</th><th>{t('action')}</th><th>{t('people_actor')}</th><th>{t('ip')}</th><th>{t('remark')}</th></tr></thead>
        <tbody>
          {detail.useLog.map((l) => (
            <tr key={l.id}><td>{when(l.createdAt, language)}</td><td><Badge vocabulary="SerialActions" value={l.action} /></td><td><PersonLink id={l.userId} person={l.userId ? people.get(l.userId) : undefined} /></td><td>{l.ip}</td><td>{l.remark}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function MismatchesPage() {
  const { t, language } = useI18n();
  const [data, setData] = useState<Paged<Mismatch> | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<Paged<Mismatch>>('/api/serials/binding-mismatches?pageSize=100').then(setData, setError);
  }, []);
  return (
    <section className="card">
      <h1>{t('mismatches')}</h1>
      <ProblemMessage error={error} />
      {!data ? <p>{t('loading')}</p> : (
        <table>
          <thead><tr><th>{t('time')}</th><th>{t('serials')}</th><th>{t('bindingPolicy')}</th><th>{t('boundTo')}</th><th>{t('ip')}</th><th>{t('request')}</th></tr></thead>
          <tbody>
            {data.items.map((m) => (
              <tr key={m.id}>
                <td>{when(m.createdAt, language)}</td><td className="mono">{m.fullCode}</td><td>{m.policy}</td>
                <td className="mono">{m.boundMachineCode}</td><td>{m.ip}</td><td className="muted mono">{m.requestJson}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
