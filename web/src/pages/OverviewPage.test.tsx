// The operator overview against a fake gateway: every figure from its service's overview endpoint, each tile linking
// to its filtered list, the fleet chart, the latest alerts, and one failing service not blanking the others.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { calls, renderAt, stubGateway } from './testGateway';

const admin = { id: 'u-admin', email: 'a@derp.test', username: 'admin', role: 'admin', emailVerified: true, language: 'en', createdAt: '2026-01-01T00:00:00Z', lastLoginAt: null, lockedUntil: null, status: 'active' };

const days = (values: number[]) => values.map((v, i) => ({ t: new Date(Date.UTC(2026, 10, 10 + i)).toISOString(), v }));
const users = { activeRentals: { value: 42, points: days([38, 40, 42]) }, expiringSoon: { value: 3, points: days([1, 0, 2]) }, newRenters: { value: 5, points: days([1, 2, 2]) }, expiringWithinDays: 7, timeZone: 'Asia/Shanghai' };
const serials = {
  redemptionsToday: { value: 4, points: days([0, 3, 4]) }, redemptionsThisWeek: { value: 9, points: days([0, 3, 4]) }, unusedSerials: { value: 1200, points: days([1300, 1250, 1200]) },
  todayFrom: '2026-11-22T16:00:00Z', weekFrom: '2026-11-16T16:00:00Z', timeZone: 'Asia/Shanghai',
};
const servers = {
  healthyHosts: { value: 2, points: days([3, 3, 2]) }, totalHosts: 3, openAlerts: { value: 4, points: days([0, 1, 3]) }, criticalAlerts: 1,
  failingRelays: { value: 2, points: days([0, 0, 2]) }, runningRelays: 9, fleetRateBytesPerSecond: { value: 2048, points: days([1024, 4096, 2048]) },
  trafficThisMonthBytes: 5 * 1024 ** 3, timeZone: 'Asia/Shanghai',
};
const fleet = {
  from: '2026-11-23T09:00:00Z', to: '2026-11-23T10:00:00Z', stepSeconds: 60, capacity: 30, rateAlertBytesPerSecond: 100 * 1024 * 1024, hosts: [],
  rateBytesPerSecond: [{ t: '2026-11-23T09:00:00Z', v: 1000 }, { t: '2026-11-23T09:01:00Z', v: 3000 }], relays: [{ t: '2026-11-23T09:00:00Z', v: 9 }],
};
const alerts = {
  items: [{ id: 7, type: 'host_unhealthy', severity: 'critical', message: 'tyo-1 failed 3 health checks', serverId: 's-tyo', userId: null, createdAt: '2026-11-23T09:30:00Z', resolvedAt: null }],
  total: 1, page: 1, pageSize: 5,
};

beforeEach(() => localStorage.setItem('derp.language', 'en'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('operator overview', () => {
  it('shows each figure with its sparkline and a link to its filtered list', async () => {
    stubGateway(admin, {
      '/api/users/admin/overview': users, '/api/serials/admin/overview': serials, '/api/servers/admin/overview': servers,
      '/api/servers/fleet': fleet, '/api/alerts': alerts,
    });
    renderAt('/admin');
    const tile = async (testId: string) => screen.findByTestId(testId);
    const expectations: [string, string, string][] = [
      ['stat-active-rentals', '42', '/admin/rentals?status=active'],
      ['stat-expiring', '3', '/admin/rentals?expiringWithinDays=7'],
      ['stat-new-renters', '5', '/admin/users?role=renter'],
      ['stat-redemptions-today', '4', `/admin/serials?action=redeem&from=${encodeURIComponent(serials.todayFrom)}`],
      ['stat-redemptions-week', '9', `/admin/serials?action=redeem&from=${encodeURIComponent(serials.weekFrom)}`],
      ['stat-unused-serials', '1,200', '/admin/serials?status=unused'],
      ['stat-healthy-hosts', '2 / 3', '/admin/servers?status=unhealthy'],
      ['stat-open-alerts', '4', '/admin/alerts?resolved=false'],
      ['stat-failing-relays', '2', '/admin/containers?probe=failing'],
      ['stat-fleet-traffic', '2 KB/s', '/admin/servers'],
    ];
    for (const [testId, value, href] of expectations) {
      const element = await tile(testId);
      expect(element.querySelector('.stat-tile-value')?.textContent?.replace(/\s+/g, ' ')).toContain(value);
      expect(element.getAttribute('href')).toBe(href);
      expect(element.querySelector('svg.sparkline'), `${testId} has a sparkline`).not.toBeNull();
    }
    expect((await tile('stat-open-alerts')).textContent).toContain('1 critical');
    expect((await tile('stat-fleet-traffic')).textContent).toContain('this month');
    expect((await tile('stat-healthy-hosts')).className).toContain('tone-danger');

    expect(await screen.findByTestId('fleet-traffic-chart')).toBeTruthy();
    const list = await screen.findByTestId('overview-alerts');
    expect(within(list).getByText('Critical')).toBeTruthy();
    expect(within(list).getByText('tyo-1 failed 3 health checks').closest('a')?.getAttribute('href')).toBe('/admin/servers/s-tyo');
    expect(calls.some((c) => c.path.startsWith('/api/alerts?') && c.path.includes('resolved=false'))).toBe(true);
  });

  it('keeps the other figures when one service does not answer', async () => {
    stubGateway(admin, {
      '/api/users/admin/overview': users,
      '/api/serials/admin/overview': () => Response.json({ title: 'Unavailable', code: 'service_unavailable', status: 503 }, { status: 503 }),
      '/api/servers/admin/overview': servers, '/api/servers/fleet': fleet, '/api/alerts': { items: [], total: 0, page: 1, pageSize: 5 },
    });
    renderAt('/admin');
    expect(await screen.findByTestId('stat-active-rentals')).toBeTruthy();
    expect(await screen.findByTestId('stat-open-alerts')).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId('stat-unused-serials')).toBeNull());
    expect(await screen.findByText('No open alerts')).toBeTruthy();
  });
});
