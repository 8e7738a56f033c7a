import { useCallback, useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { LineChart, type Point as ChartPoint } from '../charts';
import { Badge, ConfirmButton, Loading, Pager, ProblemMessage, ScrollTable, useToast } from '../components';
import type { FleetSeries } from './OverviewPage';
import { useLabel } from '../lib/labels';
import { usePersonName } from '../lib/people';
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

/** The hosts page's fleet charts: each host's traffic against the per-relay alert line, and the relays against capacity. */
export function FleetCharts() {
  const { t, formatBytes } = useI18n();
  const fleet = useLoad<FleetSeries>('/api/servers/fleet');
  const rate = (v: number) => `${formatBytes(v)}${t('ov_perSecond')}`;
  return (
    <Loading state={fleet}>{(data: FleetSeries) => (
      <div className="split" data-testid="fleet-charts">
        <LineChart testId="fleet-rate-chart" label={t('ov_fleetTrafficChart')} unit="B/s" format={rate}
          series={data.hosts.map((h) => ({ name: h.name, points: h.rateBytesPerSecond }))}
          thresholds={[{ value: data.rateAlertBytesPerSecond, label: t('ov_rateAlert'), tone: 'warn' }]} />
        <LineChart testId="fleet-relays-chart" label={t('ov_fleetRelaysChart')} unit=""
          series={[{ name: t('ov_relays'), points: data.relays }, ...data.hosts.map((h) => ({ name: h.name, points: h.relays }))]}
          thresholds={[{ value: data.capacity, label: t('ov_capacity'), tone: 'danger' }]} />
      </div>
    )}</Loading>
  );
}

export function AdminServersPage() {
  const { t } = useI18n();
  const [search] = useSearchParams();
  const status = search.get('status') ?? '';
  const [hosts, setHosts] = useState<Host[] | null>(null);
  const [regions, setRegions] = useState<Region[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      const [h, r] = await Promise.all([api<Host[]>(status ? `/api/servers?status=${encodeURIComponent(status)}` : '/api/servers'), api<Region[]>('/api/servers/regions')]);
      setHosts(h);
      setRegions(r);
    } catch (e) {
      setError(e);
    }
  }, [status]);
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
        <FleetCharts />
        <ProblemMessage error={error} />
        {status && <p className="toolbar"><Badge vocabulary="ServerStatuses" value={status} /> <Link to="/admin/servers">{t('allAlerts')}</Link></p>}
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
                  <td><Badge vocabulary="ServerStatuses" value={h.status} /></td>
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
  const { t, formatBytes, formatDateTime } = useI18n();
  const [host, setHost] = useState<HostDetail | null>(null);
  const [points, setPoints] = useState<Point[] | null>(null);
  // 0: the service's default window (the last day, or since the host's first check when it is younger).
  const [hours, setHours] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      const to = new Date();
      const query = hours ? `?${new URLSearchParams({ from: new Date(to.getTime() - hours * 3600_000).toISOString(), to: to.toISOString() })}` : '';
      const [h, p] = await Promise.all([api<HostDetail>(`/api/servers/${id}`), api<Point[]>(`/api/servers/${id}/metrics${query}`)]);
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
    if (!host) return;
    await api(`/api/servers/${host.id}`, { method: 'DELETE' });
    await load();
  };
  const series = (value: (p: Point) => number | null): ChartPoint[] =>
    (points ?? []).filter((p) => value(p) !== null).map((p) => ({ t: p.at, v: value(p) as number }));
  return (
    <section className="card">
      <ProblemMessage error={error} />
      {!host ? <p>{t('loading')}</p> : (
        <>
          <h1>{host.name} <Badge vocabulary="ServerStatuses" value={host.status} /></h1>
          <p className="muted">{host.publicIp} · {host.hostName} · {host.regionName} ({host.regionCode}) · {host.location} · {t('host_cloudAccount')}: {host.cloudAccount ?? '—'}</p>
          <p className="muted">SSH {host.sshUser}@{host.sshHost}:{host.sshPort} · {host.hostKeyFingerprint} · {t('ports')} {host.portRangeStart}–{host.portRangeEnd} · {host.liveContainers}/{host.capacity}</p>
          {host.lastError && <div className="alert error">{host.lastError}</div>}
          <div className="toolbar">
            <select aria-label={t('range')} value={hours} onChange={(e) => setHours(Number(e.target.value))}>
              <option value={0}>{t('range')}</option>
              {[1, 6, 24, 168].map((h) => <option key={h} value={h}>{t('lastHours', { n: h })}</option>)}
            </select>
            <Link to={`/admin/containers?serverId=${host.id}`}>{t('containers')}</Link>
            {host.status !== 'removed' && host.status !== 'draining' && (
              <ConfirmButton label={t('removeHost')} title={t('removeHost')} consequences={t('removeHostConfirm', { name: host.name })} onConfirm={remove} testId="remove-host" />
            )}
          </div>
          {points && points.length === 0 ? <p className="muted">{t('ov_noSamples')}</p> : (
            <div className="split" data-testid="host-charts">
              <LineChart testId="host-latency-chart" label={t('ov_latency')} unit="ms" series={[{ name: t('ov_latency'), points: series((p) => p.latencyMs) }]} />
              <LineChart testId="host-availability-chart" label={t('ov_availability')} unit="%" series={[{ name: t('ov_availability'), points: series((p) => Math.round(p.availability * 1000) / 10) }]}
                thresholds={[{ value: 100, label: '100 %', tone: 'ok' }]} />
              <LineChart testId="host-rate-chart" label={t('ov_traffic')} unit="B/s" format={(v) => `${formatBytes(v)}${t('ov_perSecond')}`}
                series={[{ name: t('ov_traffic'), points: series((p) => p.rateBytesPerSecond) }]} />
              <LineChart testId="host-relays-chart" label={t('ov_relays')} unit="" series={[{ name: t('ov_relays'), points: series((p) => p.containers) }]}
                thresholds={[{ value: host.capacity, label: t('ov_capacity'), tone: 'danger' }]} />
            </div>
          )}
          <p className="muted">{host.lastCheckedAt && `${t('lastChecked')}: ${formatDateTime(host.lastCheckedAt)}`}</p>
          <HostRelaysAndAlerts serverId={host.id} />
        </>
      )}
    </section>
  );
}

type ContainerAction = 'start' | 'stop' | 'reprovision';

/** Relay containers with their actions: the containers page, and a host's own relays on its page. */
function ContainersTable({ items, act, testId = 'containers' }: { items: Container[]; act: (id: string, action: ContainerAction) => Promise<void>; testId?: string }) {
  const { t } = useI18n();
  const person = usePersonName(items.map((c) => c.userId));
  return (
    <ScrollTable testId={testId}>
      <thead><tr><th>{t('host')}</th><th>{t('userId')}</th><th>{t('status')}</th><th>DERP/STUN</th><th>{t('traffic')}</th><th>{t('rate')}</th><th>{t('probe')}</th><th /></tr></thead>
      <tbody>
        {items.map((c) => (
          <tr key={c.id} data-testid="relay-row" data-state={c.state}>
            <td>{c.serverName} <span className="muted">{c.regionCode}</span></td>
            <td><Link to={`/admin/users/${c.userId}`}>{person(c.userId)}</Link></td>
            <td><Badge vocabulary="ContainerStates" value={c.state} />{c.lastError && <div className="muted" title={c.lastError}>{c.lastError.slice(0, 60)}</div>}</td>
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
  );
}

const resolveAlert = (id: number) => api(`/api/alerts/${id}/resolve`, { method: 'POST' });

/** Alerts with a confirmed Resolve: the alerts page, and a host's open alerts on its page. */
function AlertsTable({ items, onResolve, testId = 'alerts' }: { items: Alert[]; onResolve: (id: number) => Promise<void>; testId?: string }) {
  const { t, formatDateTime } = useI18n();
  const person = usePersonName(items.map((a) => a.userId));
  return (
    <ScrollTable testId={testId}>
      <thead><tr><th>{t('time')}</th><th>{t('severity')}</th><th>{t('type')}</th><th>{t('detail')}</th><th /></tr></thead>
      <tbody>
        {items.map((a) => (
          <tr key={a.id} data-testid="alert-row" data-type={a.type}>
            <td>{formatDateTime(a.createdAt)}</td>
            <td><Badge vocabulary="AlertSeverities" value={a.severity} /></td>
            <td><Badge vocabulary="AlertTypes" value={a.type} /></td>
            <td>{a.message}{a.serverId && <> · <Link to={`/admin/servers/${a.serverId}`}>{t('host')}</Link></>}{a.userId && <> · <Link to={`/admin/users/${a.userId}`}>{person(a.userId)}</Link></>}</td>
            <td>{a.resolvedAt ? formatDateTime(a.resolvedAt) : (
              <ConfirmButton label={t('resolve')} title={t('ov_resolveTitle')} consequences={t('ov_resolveConsequences')} variant="primary"
                onConfirm={() => onResolve(a.id)} testId="resolve-alert" />
            )}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

/** A host's own relays and open alerts, under its charts: where an operator goes from a failing host. */
function HostRelaysAndAlerts({ serverId }: { serverId: string }) {
  const { t } = useI18n();
  const toast = useToast();
  const relays = useLoad<Paged<Container>>(pagedPath('/api/servers/containers', 1, { serverId }, 200));
  const alerts = useLoad<Paged<Alert>>(pagedPath('/api/alerts', 1, { serverId, resolved: 'false' }, 50));
  const act = async (id: string, action: ContainerAction) => {
    try {
      await api(`/api/servers/containers/${id}/${action}`, { method: 'POST' });
    } catch (e) {
      relays.setError(e);
    }
    await relays.reload();
  };
  const resolve = async (id: number) => {
    await resolveAlert(id);
    toast.success(t('ov_resolved'));
    await alerts.reload();
  };
  return (
    <>
      <section data-testid="host-alerts">
        <h2>{t('alerts')}</h2>
        <ProblemMessage error={alerts.error} />
        {alerts.data && (alerts.data.items.length === 0 ? <p className="muted">{t('ov_noOpenAlerts')}</p>
          : <AlertsTable items={alerts.data.items} onResolve={resolve} testId="host-alerts-table" />)}
      </section>
      <section data-testid="host-relays">
        <h2>{t('containers')}</h2>
        <ProblemMessage error={relays.error} />
        {relays.data && (relays.data.items.length === 0 ? <p className="muted">{t('ov_noRelaysOnHost')}</p>
          : <ContainersTable items={relays.data.items} act={act} testId="host-relays-table" />)}
      </section>
    </>
  );
}

const listPageSize = 50;

export function AdminContainersPage() {
  const { t } = useI18n();
  const label = useLabel();
  const [search] = useSearchParams();
  const serverId = search.get('serverId') ?? '';
  const [probe, setProbe] = useState(search.get('probe') ?? '');
  const [state, setState] = useState('');
  const [userId, setUserId] = useState('');
  const [page, setPage] = useState(1);
  const { data, error, setError, reload } = useLoad<Paged<Container>>(
    pagedPath('/api/servers/containers', page, { serverId, state, userId, probe }, listPageSize));
  const act = async (id: string, action: ContainerAction) => {
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
          {['pending', 'running', 'stopped', 'failed', 'removed'].map((s) => <option key={s} value={s}>{label('ContainerStates', s)}</option>)}
        </select>
        <label><input type="checkbox" checked={probe === 'failing'} onChange={(e) => { setProbe(e.target.checked ? 'failing' : ''); setPage(1); }} /> {t('ov_failingOnly')}</label>
        <input aria-label={t('userId')} placeholder={t('userId')} value={userId} onChange={(e) => { setUserId(e.target.value); setPage(1); }} />
      </div>
      <ProblemMessage error={error} />
      {data && (
        <>
          <ContainersTable items={data.items} act={act} />
          <Pager page={page} pageSize={listPageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

export function AlertsPage() {
  const { t } = useI18n();
  const toast = useToast();
  const [search] = useSearchParams();
  const [resolved, setResolved] = useState(search.get('resolved') ?? 'false');
  const [page, setPage] = useState(1);
  const { data, error, setError, reload } = useLoad<Paged<Alert>>(pagedPath('/api/alerts', page, { resolved }, listPageSize));
  const resolve = async (id: number) => {
    await resolveAlert(id);
    toast.success(t('ov_resolved'));
    setError(null);
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
          <AlertsTable items={data.items} onResolve={resolve} />
          <Pager page={page} pageSize={listPageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
