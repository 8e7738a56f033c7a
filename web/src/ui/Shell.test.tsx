// The shell rendered in the real App against a stubbed gateway: the navigation of each role, the active item, the
// open-alert count, the landing page for visitors, <html lang> and the title.
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { tokenStore } from '../lib/api';
import { renderAt, stubGateway } from '../pages/testGateway';
import { activeItem, navigation } from './Shell';

const renter = { id: 'u1', email: 'r@derp.test', username: 'renter', role: 'renter', emailVerified: true, language: 'en', createdAt: '2026-01-01T00:00:00Z', lastLoginAt: null, lockedUntil: null, status: 'active' };
const admin = { ...renter, id: 'u2', username: 'admin', role: 'admin' };

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('shell', () => {
  it('groups the operator navigation, marks the active page and counts open alerts', async () => {
    localStorage.setItem('derp.language', 'en');
    stubGateway(admin, { '/api/alerts': { items: [], total: 3, page: 1, pageSize: 1 }, '/api/serials': { items: [], total: 0, page: 1, pageSize: 20 } });
    renderAt('/admin/serials/abc');
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
    expect([...nav.querySelectorAll('.nav-group-title')].map((e) => e.textContent)).toEqual(['Overview', 'Renters & serials', 'Fleet', 'Money', 'Logs']);
    expect(within(nav).getByText('Serials').closest('a')!.getAttribute('aria-current')).toBe('page');
    expect((await screen.findByTestId('nav-alert-count')).textContent).toBe('3');
    expect(screen.getByTestId('nav-admin-distribution')).toBeTruthy();
  });

  it('shows the landing page with the plans to a visitor, in Chinese with <html lang> and the title', async () => {
    vi.stubGlobal('fetch', vi.fn(async (path: string) => (path === '/api/finance/plans'
      ? Response.json([{ id: 'p', nameZh: '月付', nameEn: 'Monthly', durationDays: 30, priceCents: 3000, currency: 'CNY', trafficQuotaGb: 300, sell: true, renew: true, sortOrder: 1, capacityLimit: null, activeRenters: 0, soldOut: false }])
      : Response.json({ code: 'not_found' }, { status: 404 }))));
    tokenStore.set(null);
    renderAt('/');
    expect(await screen.findByTestId('landing')).toBeTruthy();
    expect((await screen.findByTestId('landing-plan')).textContent).toContain('¥30.00');
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(document.title).toContain('为您的 tailnet 租用专属 DERP 中继');
    fireEvent.click(screen.getByTestId('language-switch'));
    expect(document.documentElement.lang).toBe('en');
    expect(await screen.findByText('Private DERP relays for your tailnet')).toBeTruthy();
  });

  it('gives a renter the renter pages and an account menu that signs out', async () => {
    localStorage.setItem('derp.language', 'en');
    stubGateway(renter, { '/api/users/me/rental': { status: 'active' } });
    renderAt('/devices');
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).queryByText('Servers')).toBeNull();
    expect(within(nav).getByText('My devices').closest('a')!.className).toContain('active');
    fireEvent.click(screen.getByTestId('account-menu'));
    expect(screen.getByRole('menu').textContent).toContain('r@derp.test');
  });
});

describe('navigation', () => {
  it('picks the longest matching item, and / only for itself', () => {
    const groups = navigation(admin as never, 0);
    expect(activeItem(groups, '/admin/serials/mismatches')?.to).toBe('/admin/serials/mismatches');
    expect(activeItem(groups, '/admin/finance/orders/7')?.to).toBe('/admin/finance');
    expect(activeItem(groups, '/admin/finance/audit')?.to).toBe('/admin/finance/audit');
    expect(activeItem(navigation(renter as never), '/redeem')?.to).toBe('/redeem');
    expect(activeItem(navigation(renter as never), '/unknown')).toBeUndefined();
  });
});
