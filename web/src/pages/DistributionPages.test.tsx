// The distribution pages inside the real App against a stubbed gateway: the distributor's request -> the admin's
// approval -> the pay link, the price estimate, the API key shown once, payouts, exports, tiers and applications.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { calls, renderAt, sent, stubGateway } from './testGateway';

const base = { emailVerified: true, language: 'en', createdAt: '2026-01-01T00:00:00Z', lastLoginAt: null, lockedUntil: null, status: 'active' };
const distributor = { ...base, id: 'u-dist', email: 'd@derp.test', username: 'dist', role: 'distributor' };
const renter = { ...base, id: 'u-renter', email: 'r@derp.test', username: 'renter', role: 'renter' };
const admin = { ...base, id: 'u-admin', email: 'a@derp.test', username: 'admin', role: 'admin' };
const superadmin = { ...admin, id: 'u-super', role: 'superadmin' };

const plan30 = { id: 'p30', nameZh: '月付', nameEn: 'Monthly', durationDays: 30, priceCents: 3000, currency: 'CNY', trafficQuotaGb: 300, sell: true, renew: true, sortOrder: 3, capacityLimit: null, activeRenters: 2, soldOut: false };
const gold = { code: 'gold', nameZh: '黄金', nameEn: 'Gold', rateBasisPoints: 1000, holdingDays: 7, minimumPayoutCents: 10000, promotionTurnoverCents: null, sortOrder: 1 };
const whiteGold = { ...gold, code: 'white_gold', nameZh: '白金', nameEn: 'White gold', rateBasisPoints: 1500, promotionTurnoverCents: 500000, sortOrder: 2 };
const figures = {
  turnoverCents: 125000, rentalTurnoverCents: 25000, serialPurchaseTurnoverCents: 100000, serialsBought: 40, serialsRedeemed: 12,
  commissions: { pendingCents: 3000, availableCents: 12000, lockedCents: 0, paidCents: 5000, reversedCents: 300 },
  payouts: { requestedCount: 0, requestedCents: 0, paidCount: 1, paidCents: 5000, movedToWalletCents: 700 },
};
const dashboard = {
  tierCode: 'gold', tierNameZh: '黄金', tierNameEn: 'Gold', rateBasisPoints: 1000, holdingDays: 7, minimumPayoutCents: 10000,
  nextTier: { code: 'white_gold', nameZh: '白金', nameEn: 'White gold', rateBasisPoints: 1500, promotionTurnoverCents: 500000, remainingCents: 375000, progressBasisPoints: 2500 },
  promotionWindowDays: 90, renters: 3, figures,
};
const paged = <T,>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: 20 });

beforeEach(() => {
  localStorage.setItem('derp.language', 'en');
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  localStorage.clear();
});

const fill = (root: HTMLElement, selector: string, value: string) => fireEvent.change(root.querySelector(selector)!, { target: { value } });

describe('distributor', () => {
  it('shows the tier, figures, progress to the next tier and commissions by state', async () => {
    stubGateway(distributor, { '/api/distribution/me/dashboard': dashboard });
    renderAt('/distribution');
    expect((await screen.findByTestId('figure-rate')).textContent).toContain('10%');
    expect(screen.getByTestId('figure-tier').textContent).toContain('Gold');
    expect(screen.getByTestId('figure-turnover').textContent).toContain('¥1,250.00');
    expect(screen.getByTestId('figure-available').textContent).toContain('¥120.00');
    expect(screen.getByTestId('tier-progress').dataset.percent).toBe('25');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');
    expect(within(screen.getByTestId('commissions-by-status')).getByText('Reversed')).toBeTruthy();
    expect(screen.getByTestId('nav-distribution').getAttribute('href')).toBe('/distribution');
  });

  it('estimates the discounted price with the tier rate and refuses a quantity out of range', async () => {
    stubGateway(distributor, {
      '/api/finance/plans': [plan30],
      '/api/distribution/me/dashboard': dashboard,
      'POST /api/distribution/requests': { id: 'rq1', status: 'requested' },
    });
    renderAt('/distribution/request');
    const form = await screen.findByTestId('request-form');
    await within(form).findByRole('option', { name: /Monthly/ });
    fill(form, 'select[name=planId]', 'p30');
    fill(form, 'input[name=quantity]', '3');
    // ¥30.00 × 3 × (1 − 10 %) = ¥81.00
    await waitFor(() => expect(screen.getByTestId('price-estimate').textContent).toContain('¥81.00'));
    fill(form, 'input[name=quantity]', '7');
    expect(screen.getByTestId('price-estimate').textContent).toContain('¥189.00');

    fill(form, 'input[name=quantity]', '0');
    fireEvent.submit(form.querySelector('form')!);
    expect((await within(form).findByRole('alert')).dataset.code).toBe('invalid_quantity');
    expect(sent('POST', '/api/distribution/requests')).toHaveLength(0);

    fill(form, 'input[name=quantity]', '7');
    fill(form, 'input[name=remark]', ' shop A ');
    fireEvent.submit(form.querySelector('form')!);
    await screen.findByTestId('request-submitted');
    expect(sent('POST', '/api/distribution/requests')[0].body).toEqual({ planId: 'p30', quantity: 7, remark: 'shop A' });
  });

  it('request -> admin approves -> the distributor gets the pay link to the finance order', async () => {
    const requests: Record<string, unknown>[] = [];
    const routes = {
      '/api/finance/plans': [plan30],
      '/api/distribution/me/dashboard': dashboard,
      '/api/distribution/tiers': [gold, whiteGold],
      'POST /api/distribution/requests': ({ body }: RequestInit) => {
        const { planId, quantity } = JSON.parse(String(body));
        const request = {
          id: 'rq1', distributorId: 'u-dist', planId, planNameZh: '月付', planNameEn: 'Monthly', quantity, remark: null, status: 'requested',
          unitPriceCents: null, tierCode: null, rateBasisPoints: null, priceCents: null, currency: null, orderId: null, payBy: null, batchId: null,
          rejectionReason: null, createdAt: '2026-11-23T04:00:00Z', approvedAt: null, paidAt: null, issuedAt: null, closedAt: null,
        };
        requests.push(request);
        return Response.json(request, { status: 201 });
      },
      '/api/distribution/requests/mine': () => paged(requests),
      '/api/distribution/requests': () => paged(requests.filter((r) => r.status === 'requested')),
      'POST /api/distribution/requests/rq1/approve': () => {
        Object.assign(requests[0], { status: 'approved', unitPriceCents: 3000, tierCode: 'gold', rateBasisPoints: 1000, priceCents: 27000, currency: 'CNY', orderId: 'o9', payBy: '2026-11-25T04:00:00Z' });
        return requests[0];
      },
    };

    stubGateway(distributor, routes);
    renderAt('/distribution/request');
    const form = await screen.findByTestId('request-form');
    await within(form).findByRole('option', { name: /Monthly/ });
    fill(form, 'select[name=planId]', 'p30');
    fill(form, 'input[name=quantity]', '10');
    fireEvent.submit(form.querySelector('form')!);
    await screen.findByTestId('request-submitted');
    cleanup();

    stubGateway(admin, routes);
    renderAt('/admin/distribution/requests');
    const row = await screen.findByTestId('admin-request-row');
    expect(row.dataset.status).toBe('requested');
    fireEvent.click(within(row).getByTestId('approve-request'));
    await waitFor(() => expect(sent('POST', '/api/distribution/requests/rq1/approve')).toHaveLength(1));
    expect(calls.find((c) => c.path.startsWith('/api/distribution/requests?'))!.path).toContain('status=requested');
    await waitFor(() => expect(screen.queryByTestId('admin-request-row')).toBeNull());
    cleanup();

    stubGateway(distributor, routes);
    renderAt('/distribution/requests');
    const mine = await screen.findByTestId('request-row');
    expect(mine.dataset.status).toBe('approved');
    expect(within(mine).getByText('¥270.00')).toBeTruthy();
    expect(within(mine).getByTestId('pay-link').getAttribute('href')).toBe('/orders/o9');
  });

  it('lists own serials with their life and exports them as TXT and CSV', async () => {
    const serial = { id: 's1', fullCode: 'VIP-AAAA', status: 'unused', batchId: 'b', createdAt: '2026-11-23T04:00:00Z', validUntil: '2099-01-01T00:00:00Z', firstUsedAt: null, expiresAt: null, userId: null };
    stubGateway(distributor, {
      '/api/serials/mine': paged([serial, { ...serial, id: 's2', fullCode: 'VIP-BBBB', status: 'active', firstUsedAt: '2026-11-23T05:00:00Z', userId: 'u-renter-1234' },
        { ...serial, id: 's3', fullCode: 'VIP-CCCC', status: 'expired', validUntil: '2026-01-01T00:00:00Z' }]),
      '/api/serials/mine/export': () => new Response('VIP-AAAA\n', { headers: { 'Content-Disposition': 'attachment; filename="serials.txt"' } }),
    });
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() }));
    renderAt('/distribution/serials');
    const rows = await screen.findAllByTestId('own-serial');
    expect(rows.map((r) => r.dataset.life)).toEqual(['issued', 'redeemed', 'expired']);
    expect(within(rows[1]).getByText('u-renter')).toBeTruthy();

    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'unused' } });
    await waitFor(() => expect(calls.some((c) => c.path.startsWith('/api/serials/mine?') && c.path.includes('status=unused'))).toBe(true));
    fireEvent.click(screen.getByTestId('export-txt'));
    await waitFor(() => expect(calls.some((c) => c.path === '/api/serials/mine/export?format=txt&status=unused')).toBe(true));
    fireEvent.click(screen.getByTestId('export-csv'));
    await waitFor(() => expect(calls.some((c) => c.path === '/api/serials/mine/export?format=csv&status=unused')).toBe(true));
  });

  it('lists the renters it brought', async () => {
    stubGateway(distributor, { '/api/distribution/me/renters': paged([{ renterId: 'u-r1', email: 'r***@derp.test', attributedAt: '2026-11-23T04:00:00Z', paidCents: 3000 }]) });
    renderAt('/distribution/renters');
    expect(within(await screen.findByTestId('renters')).getByText('r***@derp.test')).toBeTruthy();
  });

  it('requests a payout of everything available or of a typed amount, and shows a refusal with its code', async () => {
    let refuse = false;
    stubGateway(distributor, {
      '/api/distribution/me/dashboard': dashboard,
      '/api/distribution/me/commissions': paged([{ id: 'c1', orderId: 'o1', renterId: 'u-r1', kind: 'commission', baseCents: 3000, rateBasisPoints: 1000, tierCode: 'gold', amountCents: 300, currency: 'CNY', status: 'available', earnedAt: '2026-11-23T00:00:00Z', availableAt: '2026-11-30T00:00:00Z', payoutId: null, walletTransferId: null, reversedAt: null }]),
      '/api/distribution/me/payouts': paged([{ id: 'po0', distributorId: 'u-dist', amountCents: 5000, currency: 'CNY', status: 'paid', payoutChannel: 'alipay', payoutAccountName: 'Dee', payoutAccount: 'dee@pay', reference: 'ALI-1', rejectionReason: null, requestedAt: '2026-11-20T00:00:00Z', decidedAt: '2026-11-21T00:00:00Z' }]),
      'POST /api/distribution/me/payouts': () => refuse
        ? Response.json({ code: 'insufficient_commission', title: 'Not enough available commission' }, { status: 409 })
        : Response.json({ id: 'po1', status: 'requested' }, { status: 201 }),
      'POST /api/distribution/me/wallet-transfers': Response.json({ transferId: 't1' }, { status: 202 }),
    });
    renderAt('/distribution/commissions');
    const row = await screen.findByTestId('commission-row');
    expect(row.dataset.status).toBe('available');
    expect(within(row).getByText('¥3.00')).toBeTruthy();
    const payout = screen.getByTestId('payout-form');
    fireEvent.submit(payout.querySelector('form')!);
    await screen.findByTestId('money-done');
    expect(sent('POST', '/api/distribution/me/payouts')[0].body).toEqual({});

    fill(payout, 'input[name=amount]', '150.5');
    fireEvent.submit(payout.querySelector('form')!);
    await waitFor(() => expect(sent('POST', '/api/distribution/me/payouts')).toHaveLength(2));
    expect(sent('POST', '/api/distribution/me/payouts')[1].body).toEqual({ amountCents: 15050 });

    refuse = true;
    fill(payout, 'input[name=amount]', '999');
    fireEvent.submit(payout.querySelector('form')!);
    expect((await within(payout).findByRole('alert')).dataset.code).toBe('insufficient_commission');

    const wallet = screen.getByTestId('wallet-transfer-form');
    fill(wallet, 'input[name=amount]', '0.29');
    fireEvent.submit(wallet.querySelector('form')!);
    await waitFor(() => expect(sent('POST', '/api/distribution/me/wallet-transfers')).toHaveLength(1));
    expect(sent('POST', '/api/distribution/me/wallet-transfers')[0].body).toEqual({ amountCents: 29 });
  });
});

describe('storefront', () => {
  it('shows a new API key once with a warning, and revokes a key', async () => {
    let keys: { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: null; revokedAt: string | null }[] = [{ id: 'k0', name: 'old bot', prefix: 'dk_ab', createdAt: '2026-11-20T00:00:00Z', lastUsedAt: null, revokedAt: null }];
    stubGateway(distributor, {
      '/api/distribution/storefront/keys': () => keys,
      'POST /api/distribution/storefront/keys': () => {
        keys = [...keys, { id: 'k1', name: 'xianyu bot', prefix: 'dk_li', createdAt: '2026-11-23T00:00:00Z', lastUsedAt: null, revokedAt: null }];
        return Response.json({ id: 'k1', name: 'xianyu bot', prefix: 'dk_li', createdAt: '2026-11-23T00:00:00Z', key: 'dk_live_SECRET' }, { status: 201 });
      },
      'DELETE /api/distribution/storefront/keys/k0': () => {
        keys = keys.map((k) => (k.id === 'k0' ? { ...k, revokedAt: '2026-11-23T01:00:00Z' } : k));
        return new Response(null, { status: 204 });
      },
    });
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderAt('/distribution/storefront/keys');
    const form = await screen.findByTestId('key-form');
    fill(form, 'input[name=name]', 'xianyu bot');
    fireEvent.submit(form.querySelector('form')!);
    const shown = await screen.findByTestId('new-key');
    expect(within(shown).getByTestId('new-key-value').textContent).toBe('dk_live_SECRET');
    expect(shown.textContent).toContain('shown only once');
    expect(within(shown).getByRole('button', { name: 'Copy' })).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(2));
    // The list never carries the key itself.
    expect(screen.getByTestId('keys').textContent).not.toContain('dk_live_SECRET');

    fireEvent.click(within(screen.getAllByTestId('key-row')[0]).getByTestId('revoke-key'));
    await waitFor(() => expect(sent('DELETE', '/api/distribution/storefront/keys/k0')).toHaveLength(1));
    await waitFor(() => expect(screen.getAllByTestId('key-row')[0].dataset.revoked).toBe('true'));
    cleanup();

    // Coming back to the page, the key is gone for good.
    renderAt('/distribution/storefront/keys');
    await screen.findAllByTestId('key-row');
    expect(screen.queryByTestId('new-key')).toBeNull();
  });

  it('creates a text card, pastes pool lines into a data card and runs a dry run', async () => {
    const dataCard = { id: 'cd', name: 'Accounts', type: 'data', enabled: true, delaySeconds: 0, specName: null, specValue: null, planId: null, template: null, imageUrl: null, api: null, lowStockThreshold: 5, stock: 2, createdAt: '2026-11-23T00:00:00Z', updatedAt: '2026-11-23T00:00:00Z' };
    stubGateway(admin, {
      '/api/distribution/storefront/cards': [dataCard],
      '/api/finance/plans': [plan30],
      'POST /api/distribution/storefront/cards': Response.json({ ...dataCard, id: 'ct', type: 'text' }, { status: 201 }),
      'POST /api/distribution/storefront/cards/cd/lines': { added: 2 },
      'POST /api/distribution/storefront/dry-run': { cardId: 'ct', cardName: 'Welcome', type: 'text', delaySeconds: 0, failureReason: null, available: null, items: ['Order X: VIP-1'] },
    });
    renderAt('/distribution/storefront');
    const editor = await screen.findByTestId('card-editor');
    fill(editor, 'input[name=name]', 'Welcome');
    fill(editor, 'select[name=type]', 'text');
    fill(editor, 'textarea[name=template]', 'Order {ORDER_ID}: {DELIVERY_CONTENT}');
    fill(editor, 'input[name=specName]', '时长');
    fill(editor, 'input[name=specValue]', '30天');
    fireEvent.submit(editor.querySelector('form')!);
    await waitFor(() => expect(sent('POST', '/api/distribution/storefront/cards')).toHaveLength(1));
    expect(sent('POST', '/api/distribution/storefront/cards')[0].body).toEqual({
      name: 'Welcome', type: 'text', enabled: true, delaySeconds: 0, specName: '时长', specValue: '30天', planId: null,
      template: 'Order {ORDER_ID}: {DELIVERY_CONTENT}', imageUrl: null, api: null, lowStockThreshold: 0,
    });

    const lines = screen.getByTestId('add-lines');
    fill(lines, 'textarea[name=lines]', 'a@x:1\r\n\n b@x:2 \n');
    fireEvent.submit(lines.querySelector('form')!);
    await waitFor(() => expect(sent('POST', '/api/distribution/storefront/cards/cd/lines')).toHaveLength(1));
    expect(sent('POST', '/api/distribution/storefront/cards/cd/lines')[0].body).toEqual({ lines: ['a@x:1', 'b@x:2'] });
    cleanup();

    renderAt('/distribution/storefront/dry-run');
    const page = await screen.findByTestId('storefront-dry-run');
    fill(page, 'input[name=itemTitle]', 'Derp 月卡');
    fill(page, 'input[name=quantity]', '2');
    fireEvent.submit(page.querySelector('form')!);
    expect((await screen.findByTestId('dry-run-result')).textContent).toContain('Order X: VIP-1');
    expect(sent('POST', '/api/distribution/storefront/dry-run')[0].body).toEqual({ itemTitle: 'Derp 月卡', quantity: 2 });
  });
});

describe('becoming a distributor', () => {
  it('applies with a payout QR code and then shows the pending application', async () => {
    let application: object | null = null;
    stubGateway(renter, {
      '/api/distribution/applications/mine': () => application ?? Response.json({ code: 'not_found', title: 'No application' }, { status: 404 }),
      'POST /api/distribution/applications': ({ body }: RequestInit) => {
        application = { id: 'ap1', userId: 'u-renter', email: 'r@derp.test', status: 'pending', ...JSON.parse(String(body)), rejectionReason: null, createdAt: '2026-11-23T04:00:00Z', decidedAt: null };
        return Response.json(application, { status: 201 });
      },
    });
    renderAt('/distribution/apply');
    const form = await screen.findByTestId('application-form');
    expect(screen.queryByRole('alert')).toBeNull();
    fill(form, 'input[name=contactName]', 'Ann');
    fill(form, 'input[name=contact]', 'wx: ann');
    fill(form, 'select[name=payoutChannel]', 'wechat');
    fill(form, 'input[name=payoutAccountName]', 'Ann Li');
    fill(form, 'input[name=payoutAccount]', 'ann-wx');
    fireEvent.change(form.querySelector('input[type=file]')!, { target: { files: [new File([new Uint8Array([137, 80, 78, 71])], 'qr.png', { type: 'image/png' })] } });
    await within(form).findByTestId('qr-preview');
    fireEvent.submit(form.querySelector('form')!);
    expect((await screen.findByTestId('application')).dataset.status).toBe('pending');
    expect(sent('POST', '/api/distribution/applications')[0].body).toEqual({
      contactName: 'Ann', contact: 'wx: ann', payoutChannel: 'wechat', payoutAccountName: 'Ann Li', payoutAccount: 'ann-wx', payoutQrBase64: 'iVBORw==', payoutQrContentType: 'image/png',
    });
    expect(screen.queryByTestId('application-form')).toBeNull();
  });
});

describe('admin', () => {
  it('approves an application with a tier', async () => {
    stubGateway(admin, {
      '/api/distribution/tiers': [whiteGold, gold],
      '/api/distribution/applications': paged([{ id: 'ap1', userId: 'u-renter', email: 'r@derp.test', status: 'pending', contactName: 'Ann', contact: 'wx', payoutChannel: 'alipay', payoutAccountName: 'Ann', payoutAccount: 'ann@pay', hasPayoutQr: false, remark: null, rejectionReason: null, createdAt: '2026-11-23T04:00:00Z', decidedAt: null }]),
      'POST /api/distribution/applications/ap1/approve': { id: 'ap1', status: 'approved' },
    });
    renderAt('/admin/distribution/applications');
    const card = await screen.findByTestId('application-card');
    const approve = within(card).getByTestId('approve-application');
    await within(approve).findByRole('option', { name: /White gold · 15%/ });
    fill(approve, 'select[name=tierCode]', 'white_gold');
    fireEvent.submit(approve.closest('form')!);
    await waitFor(() => expect(sent('POST', '/api/distribution/applications/ap1/approve')).toHaveLength(1));
    expect(sent('POST', '/api/distribution/applications/ap1/approve')[0].body).toEqual({ tierCode: 'white_gold' });
    expect(screen.getByTestId('nav-admin-distribution').getAttribute('href')).toBe('/admin/distribution');
  });

  it('pays a payout with a reference', async () => {
    stubGateway(admin, {
      '/api/distribution/payouts': paged([{ id: 'po1', distributorId: 'u-dist', amountCents: 12000, currency: 'CNY', status: 'requested', reference: null, rejectionReason: null, requestedAt: '2026-11-23T04:00:00Z', decidedAt: null, payoutChannel: 'alipay', payoutAccountName: 'Dee', payoutAccount: 'dee@pay' }]),
      'POST /api/distribution/payouts/po1/pay': { id: 'po1', status: 'paid' },
      '/api/distribution/distributors': paged([{ userId: 'u-dist', email: 'd@derp.test', tierCode: 'gold', tierPinned: false, status: 'active', contactName: 'Dee', contact: 'wx', payoutChannel: 'alipay', payoutAccountName: 'Dee', payoutAccount: 'dee@pay', hasPayoutQr: false, createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-01T00:00:00Z' }]),
    });
    renderAt('/admin/distribution/payouts');
    const card = await screen.findByTestId('payout-card');
    expect(within(card).getByText('¥120.00')).toBeTruthy();
    expect(await within(card).findByText('d@derp.test')).toBeTruthy();
    const pay = within(card).getByTestId('pay-payout');
    fill(pay, 'input[name=reference]', 'ALI-777');
    fireEvent.submit(pay.querySelector('form')!);
    await waitFor(() => expect(sent('POST', '/api/distribution/payouts/po1/pay')).toHaveLength(1));
    expect(sent('POST', '/api/distribution/payouts/po1/pay')[0].body).toEqual({ reference: 'ALI-777' });
  });

  it('shows every distributor finances with a chart', async () => {
    stubGateway(admin, {
      '/api/distribution/finances': paged([{ userId: 'u-dist', email: 'd@derp.test', contactName: 'Dee', tierCode: 'gold', status: 'active', figures }]),
    });
    renderAt('/admin/distribution');
    const row = await screen.findByTestId('finance-row');
    expect(within(row).getByText('¥1,250.00')).toBeTruthy();
    expect(within(row).getByText('¥120.00')).toBeTruthy();
    expect(screen.getByTestId('turnover-chart').querySelectorAll('rect.bar')).toHaveLength(1);
  });

  it('lets only a superadmin edit tiers, sending the typed percentage as exact basis points', async () => {
    stubGateway(admin, { '/api/distribution/tiers': [gold] });
    renderAt('/admin/distribution/tiers');
    await screen.findByTestId('tier-row');
    expect(screen.queryByTestId('tier-editor')).toBeNull();
    cleanup();

    stubGateway(superadmin, { '/api/distribution/tiers': [gold], 'PUT /api/distribution/tiers/gold': gold });
    renderAt('/admin/distribution/tiers');
    fireEvent.click(within(await screen.findByTestId('tier-row')).getByRole('button', { name: 'Edit' }));
    const editor = screen.getByTestId('tier-editor');
    expect((editor.querySelector('input[name=rate]') as HTMLInputElement).value).toBe('10');
    fill(editor, 'input[name=rate]', '12.345');
    fireEvent.submit(editor.querySelector('form')!);
    expect((await within(editor).findByRole('alert')).dataset.code).toBe('invalid_rate');
    fill(editor, 'input[name=rate]', '12.55');
    fill(editor, 'input[name=promotionTurnover]', '5000');
    fireEvent.submit(editor.querySelector('form')!);
    await waitFor(() => expect(sent('PUT', '/api/distribution/tiers/gold')).toHaveLength(1));
    expect(sent('PUT', '/api/distribution/tiers/gold')[0].body).toEqual({
      code: 'gold', nameZh: '黄金', nameEn: 'Gold', rateBasisPoints: 1255, holdingDays: 7, minimumPayoutCents: 10000, promotionTurnoverCents: 500000, sortOrder: 1,
    });
  });

  it.each(['/admin/distribution/distributors', '/admin/distribution/requests', '/distribution/storefront/rules', '/distribution/storefront/deliveries', '/distribution/storefront/alerts'])('%s renders its list', async (path) => {
    stubGateway(admin, {
      '/api/distribution/tiers': [gold], '/api/distribution/distributors': paged([]), '/api/distribution/requests': paged([]),
      '/api/distribution/storefront/cards': [], '/api/distribution/storefront/rules': [], '/api/distribution/storefront/deliveries': paged([]),
      '/api/distribution/storefront/alerts': [],
    });
    renderAt(path);
    await screen.findByRole('heading', { level: 1 });
    await waitFor(() => expect(calls.some((c) => c.path.startsWith('/api/distribution/'))).toBe(true));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keeps a renter out of the distributor portal', async () => {
    stubGateway(renter, { '/api/users/me/rental': Response.json({ code: 'no_rental', title: 'No rental' }, { status: 404 }) });
    renderAt('/distribution/requests');
    expect((await screen.findByTestId('dashboard')).dataset.role).toBe('renter');
  });
});
