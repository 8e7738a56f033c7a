import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Pager, ProblemMessage, ScrollTable } from '../components';
import { api, type Paged } from '../lib/api';
import { pagedPath, useLoad } from '../lib/load';
import { useI18n, type MessageKey } from '../lib/i18n';

interface Host {
  id: string; name: string; publicIp: string; regionCode: string; regionName: string; location: string | null; status: string;
  containers: number; renters: number; capacity: number; trafficThisMonthBytes: number; trafficLeftBytes: number | null;
  rateBytesPerSecond: number; latencyMs: number | null; lastCheckedAt: string | null; lastError: string | null;
}
interface HostDetail extends Omit<Host, 'containers' | 'renters' | 'trafficThisMonthBytes' | 'trafficLeftBytes' | 'rateBytesPerSecond'> {
  hostName: string; cloudAccount: string | null; sshHost: string; sshPort: number; sshUser: string; hostKeyFingerprint: string;
  portRangeStart: number; portRangeEnd: number; monthlyTrafficGb: number | null; liveContainers: number;
}
interface Region { regionCode: string; regionName: string; hosts: number; healthyHosts: number; containers: number; renters: number; capacity: number; load: number; rateBytesPerSecond: number }
interface Point { at: string; latencyMs: number | null; availability: number; rateBytesPerSecond: number; containers: number }
interface Container {
  id: string; serverId: string; serverName: string; regionCode: string; userId: string; name: string; state: string; derpPort: number; stunPort: number;
  rxBytes: number; txBytes: number; rateBytesPerSecond: number; probeOk: boolean | null; lastError: string | null; createdAt: string;
}
interface Alert { id: number; type: string; severity: string; message: string; serverId: string | null; userId: string | null; createdAt: string; resolvedAt: string | null }

export function bytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = value;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) { n /= 1024; unit++; }
  return `${n.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** A small SVG line chart: people would rather look at a trend than read it. */
export function TrendChart({ points, value, label, format }: { points: Point[]; value: (p: Point) => number | null; label: string; format: (v: number) => string }) {
  const width = 560, height = 140, pad = 28;
  const values = points.map(value).filter((v): v is number => v !== null);
  if (values.length === 0) return <figure className="chart"><figcaption>{label}</figcaption><p className="muted">—</p></figure>;
  const max = Math.max(...values) || 1;
  const times = points.map((p) => new Date(p.at).getTime());
  const t0 = Math.min(...times), t1 = Math.max(...times) || t0 + 1;
  const x = (t: number) => pad + ((t - t0) / Math.max(1, t1 - t0)) * (width - 2 * pad);
  const y = (v: number) => height - pad - (v / max) * (height - 2 * pad);
  const path = points.map((p, i) => ({ v: value(p), t: times[i] })).filter((p) => p.v !== null)
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v as number).toFixed(1)}`).join(' ');
  return (
    <figure className="chart" data-testid="trend-chart">
      <figcaption>{label} <span className="muted">max {format(max)}</span></figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
        <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} className="axis" />
        <line x1={pad} y1={pad} x2={pad} y2={height - pad} className="axis" />
        <path d={path} className="line" />
        <text x={pad} y={height - 8} className="tick">{new Date(t0).toLocaleTimeString()}</text>
        <text x={width - pad} y={height - 8} className="tick" textAnchor="end">{new Date(t1).toLocaleTimeString()}</text>
      </svg>
    </figure>
  );
}

function LoadBar({ load }: { load: number }) {
  const percent = Math.round(load * 100);
  return (
    <div className="meter" role="meter" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
      <div style={{ width: `${Math.min(100, percent)}%` }} className={percent > 85 ? 'hot' : ''} />
    </div>
  );
}

const emptyHost = {
  name: '', publicIp: '', hostName: '', regionCode: '', regionName: '', location: '', cloudAccount: '', sshHost: '', sshPort: '22',
  sshUser: 'root', sshPrivateKey: '', hostKeyFingerprint: '', dockerSocket: '/var/run/docker.sock', capacity: '50', portRangeStart: '30000',
  portRangeEnd: '30999', monthlyTrafficGb: '',
};

function RegisterHost({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState(emptyHost);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof emptyHost) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const optional = (v: string) => (v.trim() ? v.trim() : null);
    try {
      await api('/api/servers', {
        method: 'POST',
        body: {
          ...form, hostName: optional(form.hostName), location: optional(form.location), cloudAccount: optional(form.cloudAccount),
          sshPort: Number(form.sshPort), capacity: Number(form.capacity), portRangeStart: Number(form.portRangeStart), portRangeEnd: Number(form.portRangeEnd),
          monthlyTrafficGb: form.monthlyTrafficGb ? Number(form.monthlyTrafficGb) : null,
        },
      });
      setForm(emptyHost);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const input = (key: keyof typeof emptyHost, type = 'text') => (
    <label className="field"><span>{t(`host_${key}` as MessageKey)}</span><input name={key} type={type} value={form[key]} onChange={set(key)} /></label>
  );
  return (
    <details>
      <summary>{t('registerHost')}</summary>
      <form className="form grid" onSubmit={submit}>
        {input('name')}{input('publicIp')}{input('hostName')}{input('regionCode')}{input('regionName')}{input('location')}{input('cloudAccount')}
        {input('sshHost')}{input('sshPort', 'number')}{input('sshUser')}{input('hostKeyFingerprint')}{input('dockerSocket')}
        {input('capacity', 'number')}{input('portRangeStart', 'number')}{input('portRangeEnd', 'number')}{input('monthlyTrafficGb', 'number')}
        <label className="field wide"><span>{t('host_sshPrivateKey')}</span><textarea name="sshPrivateKey" rows={5} value={form.sshPrivateKey} onChange={set('sshPrivateKey')} /></label>
        <ProblemMessage error={error} />
        <button type="submit" disabled={busy}>{busy ? t('checkingHost') : t('registerHost')}</button>
      </form>
    </details>
  );
}

export function AdminServersPage() {
  const { t } = useI18n();
  const [hosts, setHosts] = useState<Host[] | null>(null);
  const [regions, setRegions] = useState<Region[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      const [h, r] = await Promise.all([api<Host[]>('/api/servers'), api<Region[]>('/api/servers/regions')]);
      setHosts(h);
      setRegions(r);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, 30000);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <>
      <section className="card">
        <h1>{t('servers')}</h1>
        <div className="regions" data-testid="regions">
          {regions.map((r) => (
            <div key={r.regionCode} className="region">
              <strong>{r.regionName}</strong> <span className="muted">{r.regionCode}</span>
              <p>{t('regionLine', { hosts: r.hosts, healthy: r.healthyHosts, containers: r.containers, renters: r.renters })}</p>
              <LoadBar load={r.load} />
              <p className="muted">{bytes(r.rateBytesPerSecond)}/s</p>
            </div>
          ))}
        </div>
        <ProblemMessage error={error} />
        <RegisterHost onDone={load} />
        {!hosts ? <p>{t('loading')}</p> : (
          <table data-testid="hosts">
            <thead><tr><th>{t('host')}</th><th>IP</th><th>{t('region')}</th><th>{t('status')}</th><th>{t('containersRenters')}</th><th>{t('trafficMonth')}</th><th>{t('rate')}</th><th>{t('latency')}</th></tr></thead>
            <tbody>
              {hosts.map((h) => (
                <tr key={h.id}>
                  <td><Link to={`/admin/servers/${h.id}`}>{h.name}</Link><div className="muted">{h.location}</div></td>
                  <td>{h.publicIp}</td>
                  <td>{h.regionName}</td>
                  <td><span className={`badge host-${h.status}`}>{t(`hostStatus_${h.status}` as MessageKey)}</span></td>
                  <td>{h.containers}/{h.capacity} · {h.renters}</td>
                  <td>{bytes(h.trafficThisMonthBytes)}{h.trafficLeftBytes !== null && <div className="muted">{t('left')} {bytes(h.trafficLeftBytes)}</div>}</td>
                  <td>{bytes(h.rateBytesPerSecond)}/s</td>
                  <td>{h.latencyMs !== null ? `${Math.round(h.latencyMs)} ms` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

export function ServerDetailPage() {
  const { id } = useParams();
  const { t, language } = useI18n();
  const [host, setHost] = useState<HostDetail | null>(null);
  const [points, setPoints] = useState<Point[]>([]);
  const [hours, setHours] = useState(24);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      const to = new Date();
      const from = new Date(to.getTime() - hours * 3600_000);
      const step = hours <= 6 ? '00:01:00' : hours <= 48 ? '00:10:00' : '01:00:00';
      const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), step });
      const [h, p] = await Promise.all([api<HostDetail>(`/api/servers/${id}`), api<Point[]>(`/api/servers/${id}/metrics?${query}`)]);
      setHost(h);
      setPoints(p);
    } catch (e) {
      setError(e);
    }
  }, [id, hours]);
  useEffect(() => {
    load();
  }, [load]);
  const remove = async () => {
    if (!host || !window.confirm(t('removeHostConfirm', { name: host.name }))) return;
    try {
      await api(`/api/servers/${host.id}`, { method: 'DELETE' });
      await load();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card">
      <ProblemMessage error={error} />
      {!host ? <p>{t('loading')}</p> : (
        <>
          <h1>{host.name} <span className={`badge host-${host.status}`}>{t(`hostStatus_${host.status}` as MessageKey)}</span></h1>
          <p className="muted">{host.publicIp} · {host.hostName} · {host.regionName} ({host.regionCode}) · {host.location} · {t('host_cloudAccount')}: {host.cloudAccount ?? '—'}</p>
          <p className="muted">SSH {host.sshUser}@{host.sshHost}:{host.sshPort} · {host.hostKeyFingerprint} · {t('ports')} {host.portRangeStart}–{host.portRangeEnd} · {host.liveContainers}/{host.capacity}</p>
          {host.lastError && <div className="alert error">{host.lastError}</div>}
          <div className="toolbar">
            <select aria-label={t('range')} value={hours} onChange={(e) => setHours(Number(e.target.value))}>
              {[1, 6, 24, 168].map((h) => <option key={h} value={h}>{t('lastHours', { n: h })}</option>)}
            </select>
            <Link to={`/admin/containers?serverId=${host.id}`}>{t('containers')}</Link>
            {host.status !== 'removed' && host.status !== 'draining' && <button onClick={remove}>{t('removeHost')}</button>}
          </div>
          <TrendChart points={points} value={(p) => p.latencyMs} label={t('latency')} format={(v) => `${Math.round(v)} ms`} />
          <TrendChart points={points} value={(p) => p.availability * 100} label={t('availability')} format={(v) => `${v.toFixed(0)} %`} />
          <TrendChart points={points} value={(p) => p.rateBytesPerSecond} label={t('rate')} format={(v) => `${bytes(v)}/s`} />
          <p className="muted">{host.lastCheckedAt && `${t('lastChecked')}: ${new Date(host.lastCheckedAt).toLocaleString(language)}`}</p>
        </>
      )}
    </section>
  );
}

const listPageSize = 50;

export function AdminContainersPage() {
  const { t } = useI18n();
  const serverId = new URLSearchParams(window.location.search).get('serverId') ?? '';
  const [state, setState] = useState('');
  const [userId, setUserId] = useState('');
  const [page, setPage] = useState(1);
  const { data, error, setError, reload } = useLoad<Paged<Container>>(
    pagedPath('/api/servers/containers', page, { serverId, state, userId }, listPageSize));
  const act = async (id: string, action: 'start' | 'stop' | 'reprovision') => {
    try {
      await api(`/api/servers/containers/${id}/${action}`, { method: 'POST' });
    } catch (e) {
      setError(e);
    }
    await reload();
  };
  return (
    <section className="card">
      <h1>{t('containers')}</h1>
      <div className="toolbar">
        <select aria-label={t('status')} value={state} onChange={(e) => { setState(e.target.value); setPage(1); }}>
          <option value="">{t('status')}</option>
          {['pending', 'running', 'stopped', 'failed', 'removed'].map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <input aria-label={t('userId')} placeholder={t('userId')} value={userId} onChange={(e) => { setUserId(e.target.value); setPage(1); }} />
      </div>
      <ProblemMessage error={error} />
      {data && (
        <>
          <ScrollTable testId="containers">
            <thead><tr><th>{t('host')}</th><th>{t('userId')}</th><th>{t('status')}</th><th>DERP/STUN</th><th>{t('traffic')}</th><th>{t('rate')}</th><th>{t('probe')}</th><th /></tr></thead>
            <tbody>
              {data.items.map((c) => (
                <tr key={c.id}>
                  <td>{c.serverName} <span className="muted">{c.regionCode}</span></td>
                  <td><Link to={`/admin/users/${c.userId}`}>{c.userId.slice(0, 8)}</Link></td>
                  <td><span className={`badge container-${c.state}`}>{c.state}</span>{c.lastError && <div className="muted" title={c.lastError}>{c.lastError.slice(0, 60)}</div>}</td>
                  <td>{c.derpPort}/{c.stunPort}</td>
                  <td>{bytes(c.rxBytes + c.txBytes)}</td>
                  <td>{bytes(c.rateBytesPerSecond)}/s</td>
                  <td>{c.probeOk === null ? '—' : c.probeOk ? '✓' : '✗'}</td>
                  <td>
                    {c.state === 'stopped' && <button className="link" onClick={() => act(c.id, 'start')}>{t('start')}</button>}
                    {c.state === 'running' && <button className="link" onClick={() => act(c.id, 'stop')}>{t('stop')}</button>}
                    {(c.state === 'running' || c.state === 'stopped') && <button className="link" onClick={() => act(c.id, 'reprovision')}>{t('reprovision')}</button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager page={page} pageSize={listPageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

export function AlertsPage() {
  const { t, language } = useI18n();
  const [resolved, setResolved] = useState('false');
  const [page, setPage] = useState(1);
  const { data, error, setError, reload } = useLoad<Paged<Alert>>(pagedPath('/api/alerts', page, { resolved }, listPageSize));
  const resolve = async (id: number) => {
    try {
      await api(`/api/alerts/${id}/resolve`, { method: 'POST' });
    } catch (e) {
      setError(e);
    }
    await reload();
  };
  return (
    <section className="card">
      <h1>{t('alerts')}</h1>
      <div className="toolbar">
        <select aria-label={t('status')} value={resolved} onChange={(e) => { setResolved(e.target.value); setPage(1); }}>
          <option value="false">{t('openAlerts')}</option>
          <option value="true">{t('resolvedAlerts')}</option>
          <option value="">{t('allAlerts')}</option>
        </select>
      </div>
      <ProblemMessage error={error} />
      {data && (
        <>
          <ScrollTable testId="alerts">
            <thead><tr><th>{t('time')}</th><th>{t('severity')}</th><th>{t('type')}</th><th>{t('detail')}</th><th /></tr></thead>
            <tbody>
              {data.items.map((a) => (
                <tr key={a.id}>
                  <td>{new Date(a.createdAt).toLocaleString(language)}</td>
                  <td><span className={`badge severity-${a.severity}`}>{a.severity}</span></td>
                  <td>{a.type}</td>
                  <td>{a.message}{a.serverId && <> · <Link to={`/admin/servers/${a.serverId}`}>{t('host')}</Link></>}</td>
                  <td>{a.resolvedAt ? new Date(a.resolvedAt).toLocaleString(language) : <button className="link" onClick={() => resolve(a.id)}>{t('resolve')}</button>}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager page={page} pageSize={listPageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
