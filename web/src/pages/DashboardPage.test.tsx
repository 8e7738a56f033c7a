// The renter's home ("My relays") rendered inside the real App against a stubbed gateway, in each state a renter meets:
// no rental, relays being set up (followed by polling), running, stopped, and unlimited traffic.
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { calls, renderAt, stubGateway } from './testGateway';

const renter = { id: 'u-renter', email: 'r@derp.test', username: 'renter', role: 'renter', emailVerified: true, language: 'en', createdAt: '2026-01-01T00:00:00Z', lastLoginAt: null, lockedUntil: null, status: 'active' };
const GiB = 2 ** 30;

const rental = {
  id: 'r1', userId: 'u-renter', status: 'active', planId: null, startedAt: '2026-11-01T00:00:00Z', expiresAt: '2026-12-01T00:00:00Z', daysLeft: 8,
  trafficQuotaGb: 100, trafficUsedBytes: 10 * GiB, serviceState: 'ready', policyVersion: 2, history: [],
};
const steps = (done: number) => ['placed', 'created', 'started', 'announced', 'answering'].map((step, i) => ({ step, done: i < done }));
const relay = (region: string, name: string, port: number, state = 'running', done = 5) => ({
  id: `c-${region}`, regionCode: region, regionName: name, hostName: `${region}.relay.test`, publicIp: '192.0.2.1', derpPort: port, stunPort: port + 1,
  state, stateSince: '2026-11-23T08:00:00Z', probeOk: state === 'running' && done === 5 ? true : null, probeLatencyMs: state === 'running' && done === 5 ? 23.4 : null,
  probedAt: null, steps: steps(done),
});
const running = {
  userId: 'u-renter', state: 'running', stopReason: null, relaysWanted: 3, expiresAt: rental.expiresAt, quotaBytes: 100 * GiB, periodBytes: 10 * GiB,
  periodStartedAt: '2026-11-01T00:00:00Z', relays: [relay('hkg', 'Hong Kong', 30000), relay('sgp', 'Singapore', 30010), relay('tyo', 'Tokyo', 30020)],
};
const traffic = {
  userId: 'u-renter', quotaBytes: 100 * GiB, periodBytes: 10 * GiB, periodStartedAt: null,
  days: Array.from({ length: 30 }, (_, i) => ({ day: new Date(Date.UTC(2026, 9, 25 + i)).toISOString().slice(0, 10), bytes: i * 1000 })),
};
const devices = [{ id: 'd1', name: 'laptop', machineCode: 'm', nodeKey: `nodekey:${'a'.repeat(64)}`, createdAt: '2026-11-02T00:00:00Z' }];

function gateway(overrides: Record<string, unknown> = {}) {
  stubGateway(renter, {
    '/api/users/me/rental': rental,
    '/api/servers/my/relays': running,
    '/api/servers/my/traffic': traffic,
    '/api/users/me/devices': devices,
    ...overrides,
  });
}

beforeEach(() => {
  localStorage.setItem('derp.language', 'en');
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('renter home', () => {
  it('without a rental offers to redeem a card key or buy a plan', async () => {
    gateway({ '/api/users/me/rental': new Response(JSON.stringify({ title: 'No rental', code: 'no_rental' }), { status: 404, headers: { 'Content-Type': 'application/problem+json' } }) });
    renderAt('/');
    const home = await screen.findByTestId('renter-home');
    expect(home.dataset.state).toBe('no-rental');
    expect(within(home).getByText('No rental yet')).toBeTruthy();
    expect(within(home).getByRole('link', { name: 'Redeem a card key' }).getAttribute('href')).toBe('/redeem');
    expect(within(home).getByRole('link', { name: 'Buy a plan' }).getAttribute('href')).toBe('/plans');
    expect(screen.queryByText('No rental')).toBeNull(); // the English problem title is not shown
  }, 20_000);

  it('shows the three running relays with host:port, latency, the checklist and the traffic used and left', async () => {
    gateway();
    renderAt('/');
    const relays = await screen.findAllByTestId('relay');
    expect(relays).toHaveLength(3);
    expect(screen.getByTestId('renter-home').dataset.state).toBe('running');
    expect(within(relays[0]).getByText('Hong Kong')).toBeTruthy();
    expect(within(relays[0]).getByText('hkg.relay.test:30000')).toBeTruthy();
    expect(within(relays[0]).getByRole('button', { name: /address/i })).toBeTruthy();
    expect(within(relays[0]).getByTestId('relay-health').textContent).toContain('23 ms');
    expect(within(relays[0]).queryByRole('list', { name: 'Setup progress' })).toBeNull();
    expect(screen.getByText('3 of 3 relays running')).toBeTruthy();
    expect(screen.queryByTestId('polling')).toBeNull();

    const checklist = screen.getByTestId('checklist');
    expect(within(checklist).getByRole('link', { name: 'Register your devices (1/5)' }).getAttribute('href')).toBe('/devices');
    expect(within(checklist).getByRole('link', { name: 'Apply your policy' }).getAttribute('href')).toBe('/policy');
    expect(within(checklist).getByText('tailscale netcheck')).toBeTruthy();

    expect(screen.getByTestId('traffic-used').textContent).toBe('10 GB');
    expect(screen.getByTestId('traffic-left').textContent).toBe('90 GB');
    expect(await screen.findByTestId('traffic-trend')).toBeTruthy();
  }, 20_000);

  it('follows relays being set up, step by step, until they all run', async () => {
    let answer: object = {
      ...running, state: 'provisioning',
      relays: [relay('hkg', 'Hong Kong', 30000, 'pending', 1), relay('sgp', 'Singapore', 30010, 'running', 3), relay('tyo', 'Tokyo', 30020, 'pending', 2)],
    };
    gateway({ '/api/servers/my/relays': () => answer, '/api/users/me/rental': { ...rental, serviceState: 'provisioning', policyVersion: null } });
    renderAt('/');
    expect((await screen.findByTestId('renter-home')).dataset.state).toBe('provisioning');
    expect(await screen.findByTestId('polling')).toBeTruthy();
    expect(screen.getByText('1 of 3 relays running')).toBeTruthy();
    const first = screen.getAllByTestId('relay')[0];
    const progress = within(first).getByRole('list', { name: 'Setup progress' });
    expect(within(progress).getByText(/Host chosen/).dataset.done).toBe('true');
    expect(within(progress).getByText(/Container created/).dataset.done).toBe('false');
    expect(screen.getByText('It is made once all your relays run.')).toBeTruthy();

    const asked = () => calls.filter((c) => c.path === '/api/servers/my/relays').length;
    const before = asked();
    answer = running;
    await waitFor(() => expect(asked()).toBeGreaterThan(before), { timeout: 5000 });
    await waitFor(() => expect(screen.getByTestId('renter-home').dataset.state).toBe('running'));
    expect(screen.queryByTestId('polling')).toBeNull();
  }, 20_000);

  it('stopped over quota says why and offers to renew', async () => {
    gateway({
      '/api/servers/my/relays': { ...running, state: 'stopped', stopReason: 'over_quota', periodBytes: 101 * GiB, relays: running.relays.map((r) => ({ ...r, state: 'stopped', probeOk: null, steps: steps(2) })) },
      '/api/users/me/rental': { ...rental, serviceState: 'stopped' },
    });
    renderAt('/');
    const notice = await screen.findByTestId('stopped-notice');
    expect(notice.dataset.reason).toBe('over_quota');
    expect(within(notice).getByText(/traffic is used up/)).toBeTruthy();
    expect(within(notice).getByTestId('renew').getAttribute('href')).toBe('/plans');
    expect(screen.getByTestId('traffic-left').textContent).toBe('0 B');
  }, 20_000);

  it('an expired rental is stopped with its renew action', async () => {
    gateway({
      '/api/servers/my/relays': { ...running, state: 'stopped', stopReason: 'expired', relays: [] },
      '/api/users/me/rental': { ...rental, status: 'expired', daysLeft: 0, serviceState: 'stopped' },
    });
    renderAt('/');
    const notice = await screen.findByTestId('stopped-notice');
    expect(notice.dataset.reason).toBe('expired');
    expect(within(notice).getByTestId('renew')).toBeTruthy();
  }, 20_000);

  it('shows unlimited traffic as such, not as a dash', async () => {
    gateway({
      '/api/servers/my/relays': { ...running, quotaBytes: null },
      '/api/servers/my/traffic': { ...traffic, quotaBytes: null },
      '/api/users/me/rental': { ...rental, trafficQuotaGb: null },
    });
    renderAt('/');
    expect((await screen.findByTestId('traffic-left')).textContent).toBe('Unlimited');
    expect(screen.queryByRole('meter')).toBeNull();
  }, 20_000);

  it('in Chinese shows no English', async () => {
    localStorage.setItem('derp.language', 'zh-CN');
    gateway();
    renderAt('/');
    await screen.findAllByTestId('relay');
    await act(async () => {});
    const text = screen.getByTestId('renter-home').textContent ?? '';
    const english = text.replace(/tailscale netcheck|[a-z]{3}\.relay\.test:\d+|Hong Kong|Singapore|Tokyo|hkg|sgp|tyo|GB|DERP|Tailscale|headscale/g, '');
    expect(english).not.toMatch(/[A-Za-z]{3,}/);
  }, 20_000);
});
