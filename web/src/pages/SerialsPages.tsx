import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Field, Form, ProblemMessage } from '../components';
import { api, download, type Paged } from '../lib/api';
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
      {result && <p className="alert success" data-testid="redeemed">{result}</p>}
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
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });
  const number = (value: string) => (value.trim() === '' ? undefined : Number(value));

  const submit = async () => {
    setDone(null);
    const started = Date.now();
    setElapsed(0);
    // Large batches take seconds: show that the work is going on.
    const timer = window.setInterval(() => setElapsed(Math.round((Date.now() - started) / 1000)), 250);
    try {
      const created = await api<{ count: number }>('/api/serials/batches', {
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
      setDone(t('generated', { n: created.count }));
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
            <select name="kind" value={form.kind} onChange={(e) => set('kind')(e.target.value)}>{SerialKinds.map((k) => <option key={k}>{k}</option>)}</select>
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
        {done && <p className="alert success">{done}</p>}
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

export function AdminSerialsPage() {
  const { t, language } = useI18n();
  const [filters, setFilters] = useState({ status: '', prefix: '', kind: '', q: '' });
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Paged<Serial> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [useTypes, setUseTypes] = useState<Record<string, number> | null>(null);
  const pageSize = 50;

  useEffect(() => {
    api<Record<string, number>>('/api/serials/logs/stats').then(setUseTypes, () => undefined);
  }, [data]);

  const query = useCallback(() => {
    const params = new URLSearchParams();
    Object.entries(filters).forEach(([key, value]) => value.trim() && params.set(key, value.trim()));
    return params;
  }, [filters]);

  const load = useCallback(async () => {
    const params = query();
    params.set('page', String(page));
    params.set('pageSize', String(pageSize));
    try {
      setData(await api<Paged<Serial>>(`/api/serials?${params}`));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [query, page]);

  useEffect(() => {
    load();
  }, [load]);

  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      await load();
    } catch (e) {
      setError(e);
    }
  };

  const set = (key: keyof typeof filters) => (value: string) => {
    setFilters({ ...filters, [key]: value });
    setPage(1);
  };

  return (
    <>
      <BatchForm onCreated={load} />
      <section className="card">
        <h1>{t('serials')}</h1>
        {useTypes && (
          <div className="stats" aria-label={t('useLog')}>
            {Object.entries(useTypes).map(([type, count]) => (
              <div key={type} className="stat"><strong>{count}</strong><span>{type}</span></div>
            ))}
          </div>
        )}
        <div className="toolbar">
          <input placeholder={t('search')} value={filters.q} onChange={(e) => set('q')(e.target.value)} />
          <input placeholder={t('prefix')} value={filters.prefix} onChange={(e) => set('prefix')(e.target.value)} style={{ maxWidth: 120 }} />
          <select value={filters.status} onChange={(e) => set('status')(e.target.value)}>
            <option value="">{t('allStatuses')}</option>
            {SerialStatuses.map((s) => <option key={s}>{s}</option>)}
          </select>
          <select value={filters.kind} onChange={(e) => set('kind')(e.target.value)}>
            <option value="">{t('allKinds')}</option>
            {SerialKinds.map((k) => <option key={k}>{k}</option>)}
          </select>
          <button onClick={() => act(() => download(`/api/serials/export?${query()}&format=txt`, 'serials.txt'))}>{t('export')} TXT</button>
          <button onClick={() => act(() => download(`/api/serials/export?${query()}&format=csv`, 'serials.csv'))}>CSV</button>
        </div>
        <ProblemMessage error={error} />
        {!data ? <p>{t('loading')}</p> : (
          <>
            <table>
              <thead>
                <tr><th>{t('serials')}</th><th>{t('kind')}</th><th>{t('status')}</th><th>{t('validUntil')}</th><th>{t('expiresAt')}</th><th>{t('remark')}</th><th /></tr>
              </thead>
              <tbody>
                {data.items.map((s) => (
                  <tr key={s.id}>
                    <td><Link to={`/admin/serials/${s.id}`} className="mono">{s.fullCode}</Link></td>
                    <td>{s.kind}</td>
                    <td><span className={`badge status-${s.status}`}>{s.status}</span></td>
                    <td>{when(s.validUntil, language)}</td>
                    <td>{when(s.expiresAt, language)}</td>
                    <td>{s.remark}</td>
                    <td className="actions">
                      {s.status === 'disabled'
                        ? <button className="small" onClick={() => act(() => api(`/api/serials/${s.id}`, { method: 'PATCH', body: { status: 'enabled' } }))}>{t('enable')}</button>
                        : <button className="small" onClick={() => act(() => api(`/api/serials/${s.id}`, { method: 'PATCH', body: { status: 'disabled' } }))}>{t('disable')}</button>}
                      {!s.firstUsedAt && (s.status === 'unused' || s.status === 'disabled') && (
                        <button className="small danger" onClick={() => window.confirm(t('confirmDelete')) && act(() => api(`/api/serials/${s.id}`, { method: 'DELETE' }))}>{t('delete')}</button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="pager">
              <button disabled={page <= 1} onClick={() => setPage(page - 1)}>{t('previous')}</button>
              <span>{page} · {t('total', { n: data.total })}</span>
              <button disabled={page * pageSize >= data.total} onClick={() => setPage(page + 1)}>{t('next')}</button>
            </div>
          </>
        )}
      </section>
    </>
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

  if (!detail) return <section className="card"><ProblemMessage error={error} />{!error && t('loading')}</section>;
  const s = detail.serial;
  const rows: [MessageKey, string][] = [
    ['kind', s.kind], ['status', s.status], ['validUntil', when(s.validUntil, language)], ['firstUsed', when(s.firstUsedAt, language)],
    ['expiresAt', when(s.expiresAt, language)], ['user', s.userId ?? '—'], ['bindingPolicy', s.bindingPolicy],
    ['durationDays', String(s.durationDays ?? s.durationHours ?? '—')], ['trafficQuotaGb', String(s.trafficQuotaGb ?? '—')],
  ];
  return (
    <section className="card">
      <p><Link to="/admin/serials">← {t('back')}</Link></p>
      <h1 className="mono">{s.fullCode}</h1>
      <ProblemMessage error={error} />
      <table className="kv"><tbody>{rows.map(([key, value]) => <tr key={key}><th>{t(key)}</th><td>{value}</td></tr>)}</tbody></table>
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
        <thead><tr><th>{t('time')}</th><th>{t('action')}</th><th>use type</th><th>{t('ip')}</th><th>{t('remark')}</th></tr></thead>
        <tbody>
          {detail.useLog.map((l) => (
            <tr key={l.id}><td>{when(l.createdAt, language)}</td><td><span className="badge">{l.action}</span></td><td>{l.useType}</td><td>{l.ip}</td><td>{l.remark}</td></tr>
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
