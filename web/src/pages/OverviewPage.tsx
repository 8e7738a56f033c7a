// The operator overview (route /admin): a Grafana-style stat row over the three services' overview endpoints, each
// figure linking to the list that shows its rows, the fleet's traffic chart and the latest open alerts.
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { LineChart, StatTile, type Point } from '../charts';
import { Badge, EmptyState, LinkButton, Loading, PageHeader, ProblemMessage, Skeleton } from '../components';
import { type Paged } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';

export interface Stat { value: number; points: Point[] }
export interface UsersOverview { activeRentals: Stat; expiringSoon: Stat; newRenters: Stat; expiringWithinDays: number }
export interface SerialsOverview { redemptionsToday: Stat; redemptionsThisWeek: Stat; unusedSerials: Stat; todayFrom: string; weekFrom: string }
export interface ServersOverview {
  healthyHosts: Stat; totalHosts: number; openAlerts: Stat; criticalAlerts: number; failingRelays: Stat; runningRelays: number;
  fleetRateBytesPerSecond: Stat; trafficThisMonthBytes: number;
}
export interface HostSeries {
  id: string; name: string; regionCode: string; status: string; capacity: number;
  rateBytesPerSecond: Point[]; relays: Point[]; latencyMs: Point[]; availability: Point[];
}
export interface FleetSeries {
  from: string; to: string; stepSeconds: number; rateBytesPerSecond: Point[]; relays: Point[]; capacity: number;
  rateAlertBytesPerSecond: number; hosts: HostSeries[];
}
interface OpenAlert { id: number; type: string; severity: string; message: string; serverId: string | null; createdAt: string }

/** One service's tiles: skeleton tiles while it answers, its problem if it fails; the other services' tiles still show. */
function Tiles<T>({ state, count, children }: { state: { data: T | null; error: unknown }; count: number; children: (data: T) => ReactNode }) {
  if (state.data) return children(state.data);
  if (state.error) return <div className="stat-tile tone-danger"><ProblemMessage error={state.error} /></div>;
  return <>{Array.from({ length: count }, (_, i) => <div key={i} className="stat-tile"><Skeleton rows={2} /></div>)}</>;
}

export function OverviewPage() {
  const { t, formatNumber, formatBytes, formatDateTime } = useI18n();
  const users = useLoad<UsersOverview>('/api/users/admin/overview');
  const serials = useLoad<SerialsOverview>('/api/serials/admin/overview');
  const servers = useLoad<ServersOverview>('/api/servers/admin/overview');
  const fleet = useLoad<FleetSeries>('/api/servers/fleet');
  const alerts = useLoad<Paged<OpenAlert>>('/api/alerts?resolved=false&page=1&pageSize=5');
  const rate = (v: number) => `${formatBytes(v)}${t('ov_perSecond')}`;
  const weekFrom = serials.data ? encodeURIComponent(serials.data.weekFrom) : '';

  return (
    <section className="card" data-testid="overview">
      <PageHeader title={t('nav_overview')} subtitle={t('ov_subtitle')} />
      <div className="stat-tiles" data-testid="overview-stats">
        <Tiles state={users} count={3}>{(u) => (
          <>
            <StatTile testId="stat-active-rentals" label={t('ov_activeRentals')} value={formatNumber(u.activeRentals.value)} points={u.activeRentals.points} to="/admin/rentals?status=active" tone="ok" />
            <StatTile testId="stat-expiring" label={t('ov_expiringSoon')} value={formatNumber(u.expiringSoon.value)} points={u.expiringSoon.points}
              to={`/admin/rentals?expiringWithinDays=${u.expiringWithinDays}`} tone={u.expiringSoon.value > 0 ? 'warn' : 'neutral'} />
            <StatTile testId="stat-new-renters" label={t('ov_newRenters')} value={formatNumber(u.newRenters.value)} points={u.newRenters.points} to="/admin/users?role=renter" tone="info" />
          </>
        )}</Tiles>
        <Tiles state={serials} count={3}>{(s) => (
          <>
            <StatTile testId="stat-redemptions-today" label={t('ov_redemptionsToday')} value={formatNumber(s.redemptionsToday.value)} points={s.redemptionsToday.points}
              to={`/admin/serials?action=redeem&from=${encodeURIComponent(s.todayFrom)}`} tone="info" />
            <StatTile testId="stat-redemptions-week" label={t('ov_redemptionsWeek')} value={formatNumber(s.redemptionsThisWeek.value)} points={s.redemptionsThisWeek.points}
              to={`/admin/serials?action=redeem&from=${weekFrom}`} tone="info" />
            <StatTile testId="stat-unused-serials" label={t('ov_unusedSerials')} value={formatNumber(s.unusedSerials.value)} points={s.unusedSerials.points}
              to="/admin/serials?status=unused" tone="neutral" />
          </>
        )}</Tiles>
        <Tiles state={servers} count={4}>{(f) => (
          <>
            <StatTile testId="stat-healthy-hosts" label={t('ov_healthyHosts')} value={`${formatNumber(f.healthyHosts.value)} / ${formatNumber(f.totalHosts)}`}
              points={f.healthyHosts.points} to={f.healthyHosts.value < f.totalHosts ? '/admin/servers?status=unhealthy' : '/admin/servers'}
              tone={f.healthyHosts.value < f.totalHosts ? 'danger' : 'ok'} />
            <StatTile testId="stat-open-alerts" label={t('ov_openAlerts')} value={formatNumber(f.openAlerts.value)} points={f.openAlerts.points}
              to="/admin/alerts?resolved=false" tone={f.criticalAlerts > 0 ? 'danger' : f.openAlerts.value > 0 ? 'warn' : 'ok'}
              hint={t('ov_criticalAlerts', { n: f.criticalAlerts })} />
            <StatTile testId="stat-failing-relays" label={t('ov_failingRelays')} value={formatNumber(f.failingRelays.value)} points={f.failingRelays.points}
              to="/admin/containers?probe=failing" tone={f.failingRelays.value > 0 ? 'danger' : 'ok'} hint={t('ov_runningRelays', { n: f.runningRelays })} />
            <StatTile testId="stat-fleet-traffic" label={t('ov_fleetTraffic')} value={rate(f.fleetRateBytesPerSecond.value)} points={f.fleetRateBytesPerSecond.points}
              to="/admin/servers" tone="info" hint={t('ov_monthTraffic', { v: formatBytes(f.trafficThisMonthBytes) })} />
          </>
        )}</Tiles>
      </div>

      <div className="split">
        <div>
          <h3>{t('ov_fleetTrafficChart')}</h3>
          <Loading state={fleet}>{(data: FleetSeries) => (
            <LineChart testId="fleet-traffic-chart" label={t('ov_fleetTrafficChart')} unit="B/s" format={rate}
              series={[{ name: t('ov_fleetTraffic'), points: data.rateBytesPerSecond }]}
              thresholds={[{ value: data.rateAlertBytesPerSecond, label: t('ov_rateAlert'), tone: 'warn' }]} />
          )}</Loading>
        </div>
        <div>
          <h3>{t('ov_recentAlerts')}</h3>
          <Loading state={alerts} empty={<EmptyState title={t('ov_noOpenAlerts')} />}>{(page: Paged<OpenAlert>) => (
            <ul className="plain-list" data-testid="overview-alerts">
              {page.items.map((a) => (
                <li key={a.id}>
                  <Badge vocabulary="AlertSeverities" value={a.severity} /> <Badge vocabulary="AlertTypes" value={a.type} />{' '}
                  {a.serverId ? <Link to={`/admin/servers/${a.serverId}`}>{a.message}</Link> : a.message}{' '}
                  <span className="muted">{formatDateTime(a.createdAt)}</span>
                </li>
              ))}
            </ul>
          )}</Loading>
          <LinkButton to="/admin/alerts?resolved=false" size="sm">{t('ov_allAlerts')}</LinkButton>
        </div>
      </div>
    </section>
  );
}
