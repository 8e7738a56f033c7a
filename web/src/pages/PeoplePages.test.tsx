// The audit log and the serial batches pages inside the real App against a stubbed gateway (testGateway).
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { forgetPeople } from '../lib/people';
import { calls, renderAt, sent, stubGateway } from './testGateway';

const admin = { id: 'u-admin', email: 'a@derp.test', username: 'admin', role: 'admin', emailVerified: true, language: 'en', createdAt: '2026-01-01T00:00:00Z', lastLoginAt: null, lockedUntil: null, status: 'active' };

const entries = [
  { id: 2, userId: 'u-r', actorId: 'u-r', action: 'login_failed', detail: 'attempt 3', ip: '203.0.113.9', userAgent: 'curl/8', createdAt: '2026-11-23T03:00:00Z',
    userEmail: 'renter@derp.test', username: 'renter', actorEmail: 'renter@derp.test', actorUsername: 'renter', security: true },
  { id: 1, userId: 'u-r', actorId: null, action: 'deregistration_blocked', detail: 'not settled', ip: null, userAgent: null, createdAt: '2026-11-22T03:00:00Z',
    userEmail: 'renter@derp.test', username: 'renter', actorEmail: null, actorUsername: null, security: false },
];

beforeEach(() => {
  localStorage.setItem('derp.language', 'en');
  forgetPeople();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('audit log', () => {
  it('names actor and target, highlights security events, filters by facet and date range, and expands details', async () => {
    stubGateway(admin, {
      '/api/audit': { items: entries, total: 2, page: 1, pageSize: 20 },
      '/api/audit/facets': [{ action: 'login_failed', count: 1, security: true }, { action: 'deregistration_blocked', count: 1, security: false }],
    });
    renderAt('/admin/audit');
    const rows = await screen.findAllByTestId('audit-row');
    expect(rows).toHaveLength(2);
    expect(rows[0].dataset.security).toBe('true');
    expect(rows[1].dataset.security).toBe('false');
    const people = within(rows[0]).getAllByTestId('person');
    expect(people.map((p) => p.textContent)).toEqual(['renter@derp.test', 'renter@derp.test']);
    expect(people[0].getAttribute('href')).toBe('/admin/users/u-r');
    expect(within(rows[1]).getByText('System')).toBeTruthy();

    const facets = await screen.findByTestId('audit-facets');
    fireEvent.click(within(facets).getByText((_, el) => el?.getAttribute('data-value') === 'login_failed'));
    await waitFor(() => expect(calls.some((c) => c.path.startsWith('/api/audit?') && c.path.includes('action=login_failed'))).toBe(true));

    fireEvent.change(screen.getByTestId('audit-from'), { target: { value: '2026-11-01' } });
    await waitFor(() => expect(calls.some((c) => c.path.startsWith('/api/audit/facets?') && c.path.includes('from='))).toBe(true));

    fireEvent.click(within(rows[0]).getByRole('button', { name: 'Details' }));
    expect((await screen.findByTestId('audit-details')).textContent).toContain('curl/8');
  });

  it('shows an empty state when the range has no entries', async () => {
    stubGateway(admin, { '/api/audit': { items: [], total: 0, page: 1, pageSize: 20 }, '/api/audit/facets': [] });
    renderAt('/admin/audit');
    expect((await screen.findByTestId('empty-state')).textContent).toContain('No audit entries in this range');
  });
});

describe('serial batches', () => {
  const batch = {
    id: 'b1', prefix: 'VIP', kind: 'rental', count: 10, codeLength: 10, planId: null, durationDays: 30, durationHours: null, trafficQuotaGb: null,
    valueCents: null, validDays: 30, remark: null, createdBy: 'u-admin', createdAt: '2026-11-20T03:00:00Z',
    counts: { unused: 6, active: 0, used: 3, expired: 0, disabled: 1 },
  };

  it('lists counts per status, names the creator, and disables a batch after confirmation', async () => {
    stubGateway(admin, {
      '/api/serials/batches': { items: [batch], total: 1, page: 1, pageSize: 20 },
      '/api/users/lookup': [{ id: 'u-admin', email: 'a@derp.test', username: 'admin', role: 'admin', status: 'active' }],
      'POST /api/serials/batches/b1/disable': { batchId: 'b1', disabled: 6 },
    });
    renderAt('/admin/serials/batches');
    const row = await screen.findByTestId('batch-row');
    expect(row.querySelector('[data-status="unused"]')?.textContent).toBe('6');
    expect(row.querySelector('[data-status="used"]')?.textContent).toBe('3');
    expect(await within(row).findByText('a@derp.test')).toBeTruthy();

    fireEvent.click(within(row).getByTestId('disable-batch'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('The 6 unused serials');
    expect(sent('POST', '/api/serials/batches/b1/disable')).toHaveLength(0);
    fireEvent.click(within(dialog).getAllByRole('button').find((b) => b.textContent === 'Disable batch' || b.textContent === 'Confirm')!);
    await waitFor(() => expect(sent('POST', '/api/serials/batches/b1/disable')).toHaveLength(1));
  });
});
