import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Badge, CopyButton, EmptyState, LinkButton, PageHeader, ProblemMessage, Skeleton } from '../components';
import { LineChart } from '../charts';
import { api, ApiError } from '../lib/api';
import { isAdmin, useAuth } from '../lib/auth';
import { useI18n, type MessageKey } from '../lib/i18n';
import { useLabel } from '../lib/labels';

export function DashboardPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  if (!user) return null;
  if (user.role === 'renter') {
    return (
      <div data-testid="dashboard" data-role={user.role}>
        <RenterHome />
      </div>
    );
  }
  const intro: MessageKey = isAdmin(user) ? 'adminIntro' : user.role === 'distributor' ? 'distributorIntro' : 'renterIntro';
  return (
    <section className="card" data-testid="dashboard" data-role={user.role}>
      <h1>{t('welcome', { name: user.username })}</h1>
      <p>
        {t('role')}: <Badge vocabulary="Roles" value={user.role} />
      </p>
      <p>{t(intro)}</p>
      {user.role === 'distributor' && (
        <>
          <p><Link to="/wallet">{t('wallet')}</Link> · <Link to="/donate">{t('donate')}</Link></p>
          <div className="tiles">
            <Link className="tile" to="/distribution">{t('distribution')}</Link>
            <Link className="tile" to="/distribution/request">{t('requestSerials')}</Link>
            <Link className="tile" to="/distribution/storefront">{t('storefront')}</Link>
          </div>
        </>
      )}
      {isAdmin(user) && (
        <div className="tiles">
          <Link className="tile" to="/admin">{t('home_overview')}</Link>
          <Link className="tile" to="/admin/serials">{t('serials')}</Link>
          <Link className="tile" to="/admin/users">{t('users')}</Link>
          <Link className="tile" to="/admin/rentals">{t('rentals')}</Link>
          <Link className="tile" to="/admin/audit">{t('audit')}</Link>
          <Link className="tile" to="/admin/finance">{t('finance')}</Link>
          <Link className="tile" to="/admin/distribution">{t('distribution')}</Link>
        </div>
      )}
    </section>
  );
}

// --- the renter's home: "我的中继 / My relays" ---

export interface RenterRental {
  id: string; status: string; expiresAt: string; daysLeft: number; trafficQuotaGb: number | null; trafficUsedBytes: number;
  serviceState: 'provisioning' | 'ready' | 'stopped'; policyVersion: number | null;
}
export interface RelayStep { step: string; done: boolean }
export interface MyRelay {
  id: string; regionCode: string; regionName: string; hostName: string; publicIp: string; derpPort: number; stunPort: number; state: string;
  stateSince: string; probeOk: boolean | null; probeLatencyMs: number | null; probedAt: string | null; steps: RelayStep[];
}
export interface MyRelays {
  userId: string; state: 'none' | 'provisioning' | 'running' | 'stopped'; stopReason: string | null; relaysWanted: number; expiresAt: string | null;
  quotaBytes: number | null; periodBytes: number; periodStartedAt: string | null; relays: MyRelay[];
}
export interface MyTraffic { quotaBytes: number | null; periodBytes: number; days: { day: string; bytes: number }[] }

/** How often the home asks again while relays are being set up. */
export const provisioningPollMs = 3000;
const maxDevices = 5;
const GiB = 2 ** 30;

/** The renter's rental, or null when there is none (404 no_rental), or undefined while loading. */
function useRenterRental() {
  const [rental, setRental] = useState<RenterRental | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setRental(await api<RenterRental>('/api/users/me/rental'));
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === 'no_rental') setRental(null);
      else setError(e);
    }
  }, []);
  return { rental, error, load };
}

export function RenterHome() {
  const { t, formatDate } = useI18n();
  const { rental, error: rentalError, load: loadRental } = useRenterRental();
  const [relays, setRelays] = useState<MyRelays | null>(null);
  const [devices, setDevices] = useState<unknown[] | null>(null);
  const [traffic, setTraffic] = useState<MyTraffic | null>(null);
  const [error, setError] = useState<unknown>(null);
  const loadRelays = useCallback(() => api<MyRelays>('/api/servers/my/relays').then(setRelays, setError), []);
  useEffect(() => {
    loadRental();
    loadRelays();
    api<unknown[]>('/api/users/me/devices').then(setDevices, setError);
    api<MyTraffic>('/api/servers/my/traffic?days=30').then(setTraffic, setError);
  }, [loadRental, loadRelays]);
  // While relays are being set up (or an active rental has not reached the servers yet) the page follows them.
  const settingUp = relays?.state === 'provisioning' || (rental?.status === 'active' && relays?.state === 'none');
  useEffect(() => {
    if (!settingUp) return;
    const timer = setInterval(() => {
      loadRelays();
      loadRental();
    }, provisioningPollMs);
    return () => clearInterval(timer);
  }, [settingUp, loadRelays, loadRental]);

  const stopped = relays?.state === 'stopped' || (!!rental && rental.status !== 'active');
  const header = (
    <PageHeader
      title={t('home_title')}
      subtitle={rental ? t('home_expires', { date: formatDate(rental.expiresAt), n: rental.daysLeft }) : undefined}
      // Renewing early stacks onto the current expiry; a stopped set offers it in its notice instead.
      actions={rental && !stopped ? <LinkButton to="/plans" data-testid="renew">{t('home_renew')}</LinkButton> : undefined}
    />
  );
  if (rentalError) return <section className="card">{header}<ProblemMessage error={rentalError} /></section>;
  if (rental === undefined) return <section className="card">{header}<Skeleton rows={4} /></section>;
  if (rental === null) {
    return (
      <section className="card" data-testid="renter-home" data-state="no-rental">
        {header}
        <EmptyState
          title={t('home_noRentalTitle')}
          hint={t('home_noRentalHint')}
          action={<><LinkButton to="/redeem" variant="primary">{t('home_redeem')}</LinkButton> <LinkButton to="/plans">{t('home_buyPlan')}</LinkButton></>}
        />
      </section>
    );
  }
  const state = relays?.state ?? 'none';
  return (
    <div className="stack" data-testid="renter-home" data-state={stopped ? 'stopped' : state}>
      <section className="card">
        {header}
        <ProblemMessage error={error} />
        {stopped && <StoppedNotice reason={relays?.stopReason ?? (rental.status === 'active' ? null : rental.status)} />}
        {!relays ? <Skeleton rows={3} /> : <RelayList relays={relays} settingUp={!!settingUp} />}
      </section>
      <Checklist devices={devices?.length ?? null} policyVersion={rental.policyVersion} />
      <TrafficCard rental={rental} relays={relays} traffic={traffic} />
    </div>
  );
}

function StoppedNotice({ reason }: { reason: string | null }) {
  const { t } = useI18n();
  const text: MessageKey = reason === 'over_quota' ? 'home_stoppedOverQuota' : reason === 'closed' ? 'home_stoppedClosed' : 'home_stoppedExpired';
  return (
    <div className="notice warn" role="alert" data-testid="stopped-notice" data-reason={reason ?? ''}>
      <p><strong>{t('home_stoppedTitle')}</strong> {t(text)}</p>
      {reason !== 'closed' && (
        <p><LinkButton to="/plans" variant="primary" data-testid="renew">{t('home_renew')}</LinkButton> <LinkButton to="/redeem">{t('home_redeem')}</LinkButton></p>
      )}
    </div>
  );
}

function RelayList({ relays, settingUp }: { relays: MyRelays; settingUp: boolean }) {
  const { t } = useI18n();
  const running = relays.relays.filter((r) => r.state === 'running').length;
  return (
    <>
      <p data-testid="relay-set" data-state={relays.state}>
        <Badge vocabulary="RelaySetStates" value={relays.state} /> {t('home_relaysRunning', { n: running, total: relays.relaysWanted })}
        {settingUp && <span className="muted" data-testid="polling"> · {t('home_polling')}</span>}
      </p>
      {relays.relays.length === 0 && relays.state !== 'stopped' && <p className="muted">{t('home_waitingPlacement')}</p>}
      <ul className="relay-list">
        {relays.relays.map((relay) => <RelayItem key={relay.id} relay={relay} />)}
      </ul>
    </>
  );
}

function RelayItem({ relay }: { relay: MyRelay }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const label = useLabel();
  const address = `${relay.hostName}:${relay.derpPort}`;
  const health = relay.probeOk === true
    ? t('home_answering', { ms: formatNumber(Math.round(relay.probeLatencyMs ?? 0)) })
    : relay.probeOk === false ? t('home_notAnswering') : t('home_notProbed');
  return (
    <li className="relay" data-testid="relay" data-state={relay.state}>
      <div className="relay-head">
        <strong>{relay.regionName}</strong> <span className="muted">{relay.regionCode}</span> <Badge vocabulary="ContainerStates" value={relay.state} />
      </div>
      <div className="relay-address"><span className="mono">{address}</span> <CopyButton value={address} label={t('home_address')} /></div>
      <div className={relay.probeOk === false ? 'danger-text' : undefined} data-testid="relay-health">{health}</div>
      <div className="muted">{t('home_since', { date: formatDateTime(relay.stateSince) })}</div>
      {relay.state !== 'running' || relay.steps.some((s) => !s.done) ? (
        <ol className="steps" aria-label={t('home_steps')}>
          {relay.steps.map((s) => (
            <li key={s.step} className={s.done ? 'done' : 'todo'} data-done={s.done}>
              {s.done ? '✓' : '○'} {label('ProvisioningSteps', s.step)}
            </li>
          ))}
        </ol>
      ) : null}
    </li>
  );
}

function Checklist({ devices, policyVersion }: { devices: number | null; policyVersion: number | null }) {
  const { t } = useI18n();
  const netcheck = 'tailscale netcheck';
  return (
    <section className="card" data-testid="checklist">
      <h2>{t('home_nextSteps')}</h2>
      <ol className="checklist">
        <li data-done={(devices ?? 0) > 0}>
          {(devices ?? 0) > 0 ? '✓' : '○'} <Link to="/devices">{t('home_stepDevices', { n: devices ?? 0, max: maxDevices })}</Link>
          <div className="muted">{t('home_stepDevicesHint')}</div>
        </li>
        <li data-done={policyVersion !== null}>
          {policyVersion !== null ? '✓' : '○'} <Link to="/policy">{t('home_stepPolicy')}</Link>
          <div className="muted">{policyVersion !== null ? t('home_stepPolicyReady', { n: policyVersion }) : t('home_stepPolicyWaiting')}</div>
        </li>
        <li>
          ○ {t('home_stepVerify')} <span className="mono">{netcheck}</span> <CopyButton value={netcheck} label={t('home_stepVerify')} />
          <div className="muted">{t('home_stepVerifyHint')}</div>
        </li>
      </ol>
    </section>
  );
}

function TrafficCard({ rental, relays, traffic }: { rental: RenterRental; relays: MyRelays | null; traffic: MyTraffic | null }) {
  const { t, formatBytes } = useI18n();
  // The servers service counts the bytes first-hand; the rental's copy arrives by event, so it may lag.
  const used = Math.max(relays?.periodBytes ?? 0, rental.trafficUsedBytes);
  const quota = relays && relays.state !== 'none' ? relays.quotaBytes : rental.trafficQuotaGb === null ? null : rental.trafficQuotaGb * GiB;
  const percent = quota ? Math.min(100, (used / quota) * 100) : 0;
  return (
    <section className="card" data-testid="traffic">
      <h2>{t('traffic')}</h2>
      <p>
        {t('home_used')}: <strong data-testid="traffic-used">{formatBytes(used)}</strong> ·{' '}
        {t('home_left')}: <strong data-testid="traffic-left">{quota === null ? t('home_unlimited') : formatBytes(Math.max(0, quota - used))}</strong>
        {quota !== null && <> · {t('home_quota')}: {formatBytes(quota)}</>}
      </p>
      {quota !== null && (
        <div className="meter" role="meter" aria-label={t('traffic')} aria-valuenow={Math.round(percent)} aria-valuemin={0} aria-valuemax={100}>
          <div style={{ width: `${percent}%` }} className={percent > 90 ? 'hot' : ''} />
        </div>
      )}
      {traffic ? (
        <LineChart
          testId="traffic-trend"
          label={t('home_trend')}
          unit=""
          format={(v) => formatBytes(v)}
          series={[{ name: t('traffic'), points: traffic.days.map((d) => ({ t: `${d.day}T00:00:00Z`, v: d.bytes })) }]}
        />
      ) : <Skeleton rows={2} />}
    </section>
  );
}
