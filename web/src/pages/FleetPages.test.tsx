// The fleet pages against a fake gateway: lists opened from an overview figure arrive filtered, an alert is resolved
// only after a confirmation that states what happens, people show by email, and the policy-log actions are buttons.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { calls, renderAt, sent, stubGateway } from './testGateway';

const admin = { id: 'u-admin', email: 'a@derp.test', username: 'admin', role: 'admin', emailVerified: true, language: 'en', createdAt: '2026-01-01T00:00:00Z', lastLoginAt: null, lockedUntil: null, status: 'active' };
const renterId = '0192f000-0000-7000-8000-000000000001';
const people = [{ id: renterId, email: 'alice@derp.test', username: 'alice', role: 'renter', status: 'active' }];
const alert = { id: 7, type: 'relay_unreachable', severity: 'warning', message: 'Relay derp-1 does not answer its probe.', serverId: 's1', userId: renterId, createdAt: '2026-11-23T09:30:00Z', resolvedAt: null };
const container = {
  id: 'c1', serverId: 's1', serverName: 'hkg-1', regionCode: 'hkg', userId: renterId, rentalId: 'r1', name: 'derp-1', state: 'running', derpPort: 30000, stunPort: 30001,
  rxBytes: 10, txBytes: 20, rateBytesPerSecond: 0, probeOk: false, lastError: null, createdAt: '2026-11-23T09:00:00Z', desired: 'running', engineState: 'running', observedAt: null,
};

beforeEach(() => localStorage.setItem('derp.language', 'en'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('fleet pages', () => {
  it('resolves an alert after confirming, naming the renter by email', async () => {
    let resolved = false;
    stubGateway(admin, {
      '/api/alerts': () => ({ items: resolved ? [] : [alert], total: resolved ? 0 : 1, page: 1, pageSize: 50 }),
      'POST /api/alerts/7/resolve': () => { resolved = true; return new Response(null, { status: 204 }); },
      '/api/users/lookup': people,
    });
    renderAt('/admin/alerts?resolved=false');
    const table = await screen.findByTestId('alerts');
    expect(await within(table).findByText('alice@derp.test')).toBeTruthy();
    expect(within(table).getByText('Warning')).toBeTruthy();
    fireEvent.click(within(table).getByTestId('resolve-alert'));
    const dialog = await screen.findByTestId('confirm-dialog');
    expect(dialog.textContent).toContain('the next check raises it again');
    expect(sent('POST', '/api/alerts/7/resolve')).toHaveLength(0);
    fireEvent.click(within(dialog).getByTestId('confirm-dialog-confirm'));
    await waitFor(() => expect(sent('POST', '/api/alerts/7/resolve')).toHaveLength(1));
    await waitFor(() => expect(screen.queryByTestId('resolve-alert')).toBeNull());
    expect(calls.some((c) => c.path.startsWith('/api/alerts?') && c.path.includes('resolved=false'))).toBe(true);
  });

  it('opens the containers list filtered to failing probes from the overview link', async () => {
    stubGateway(admin, { '/api/servers/containers': { items: [container], total: 1, page: 1, pageSize: 50 }, '/api/users/lookup': people });
    renderAt('/admin/containers?probe=failing');
    expect(await screen.findByText('alice@derp.test')).toBeTruthy();
    expect(calls.some((c) => c.path.startsWith('/api/servers/containers?') && c.path.includes('probe=failing'))).toBe(true);
    expect((screen.getByLabelText('Failing probes only') as HTMLInputElement).checked).toBe(true);
  });

  it('shows the policy-log tabs and Regenerate as buttons', async () => {
    stubGateway(admin, {
      '/api/acl/logs/generations': { items: [{ id: 3, userId: renterId, version: 2, trigger: 'admin', requestedBy: null, requesterIp: null, location: '—', generatedAt: '2026-11-23T09:00:00Z' }], total: 1, page: 1, pageSize: 20 },
      '/api/acl/logs/downloads': { items: [], total: 0, page: 1, pageSize: 20 },
      '/api/users/lookup': people,
    });
    renderAt('/admin/policy-logs');
    const regenerate = await screen.findByTestId('regenerate-3');
    expect(regenerate.className).toContain('btn');
    expect(await screen.findByText('alice@derp.test')).toBeTruthy();
    expect(screen.getByTestId('tab-downloads').className).toContain('btn');
    fireEvent.click(screen.getByTestId('tab-downloads'));
    await waitFor(() => expect(calls.some((c) => c.path.startsWith('/api/acl/logs/downloads'))).toBe(true));
  });
});
