// The finance pages rendered inside the real App (router, auth, i18n) against a stubbed gateway: what they ask the
// API for, what they send, and what they show.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { tokenStore } from '../lib/api';
import { calls, renderAt, sent, stubGateway } from './testGateway';

const renter = { id: 'u-renter', email: 'r@derp.test', username: 'renter', role: 'renter', emailVerified: true, language: 'en', createdAt: '2026-01-01T00:00:00Z', lastLoginAt: null, lockedUntil: null, status: 'active' };
const admin = { ...renter, id: 'u-admin', email: 'a@derp.test', username: 'admin', role: 'admin' };

const plan30 = { id: 'p30', nameZh: '月付', nameEn: 'Monthly', durationDays: 30, priceCents: 3000, currency: 'CNY', trafficQuotaGb: 300, sell: true, renew: true, sortOrder: 3, capacityLimit: null, activeRenters: 2, soldOut: false };
const plan3 = { ...plan30, id: 'p3', nameZh: '三天', nameEn: 'Three days', durationDays: 3, priceCents: 500, trafficQuotaGb: 50, renew: false, sortOrder: 1 };
const planFull = { ...plan30, id: 'p360', nameZh: '年付', nameEn: 'Yearly', durationDays: 360, priceCents: 28000, soldOut: true, sortOrder: 5 };

const order = {
  id: 'o1', number: 'D20261123001', userId: 'u-renter', userEmail: 'r@derp.test', planId: 'p30', planNameZh: '月付', planNameEn: 'Monthly', durationDays: 30,
  trafficQuotaGb: 300, type: 'renewal', status: 'pending_payment', priceCents: 3000, paidCents: 0, currency: 'CNY', memo: 'D7K2QX',
  createdAt: '2026-11-23T03:00:00Z', expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(), paidAt: null, fulfilledAt: null, cancelledAt: null,
  refundedAt: null, refundedCents: 0, marks: [], remark: null,
};
const instructions = { memo: 'D7K2QX', amountDueCents: 3000, expiresAt: order.expiresAt, accounts: [{ channel: 'alipay', accountName: 'Derp Ltd', account: 'pay@derp.test', qrUrl: '/api/finance/payment-accounts/alipay/qr' }] };

const stats = {
  currency: 'CNY', revenueCents: 123400, revenueThisMonthCents: 3000, revenueAllTimeCents: 500000,
  series: [{ period: '2026-10', revenueCents: 8000, orders: 2 }, { period: '2026-11', revenueCents: 3000, orders: 1 }],
  ordersByStatus: { pending_payment: 1, fulfilled: 3 }, plans: [{ planId: 'p30', nameZh: '月付', nameEn: 'Monthly', orders: 3, revenueCents: 9000 }],
  newOrders: 2, renewalOrders: 1, prepaidBalanceCents: 4200, donations: { count: 2, amountCents: 1000 }, awaitingSettlement: 1,
};

beforeEach(() => {
  localStorage.setItem('derp.language', 'en');
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('renter', () => {
  it('shows plan cards with price, renewal badge and sold-out state, and buying opens the pay page', async () => {
    stubGateway(renter, {
      '/api/finance/plans': [plan3, plan30, planFull],
      '/api/users/me/rental': { status: 'active' },
      'POST /api/finance/orders': order,
      '/api/finance/me/orders/o1': { ...order, payments: [], instructions },
      '/api/finance/me/wallet': { balanceCents: 1000, currency: 'CNY' },
      '/api/finance/payment-accounts/alipay/qr': () => new Response(new Uint8Array([137, 80, 78, 71]), { headers: { 'Content-Type': 'image/png' } }),
    });
    renderAt('/plans');
    const cards = await screen.findAllByTestId('plan-card');
    expect(cards).toHaveLength(3);
    const monthly = cards[1];
    expect(within(monthly).getByText('¥30.00')).toBeTruthy();
    // The renewal badge comes with the renter's rental, which may answer after the plans.
    expect(await within(monthly).findByText('Renewal')).toBeTruthy();
    expect(within(monthly).getByText('300 GB traffic')).toBeTruthy();
    // A renewal of a plan that is not renewable, and a sold-out plan, cannot be bought.
    expect(within(cards[0]).getByText('This plan is not offered for renewal')).toBeTruthy();
    expect((within(cards[0]).getByRole('button') as HTMLButtonElement).disabled).toBe(true);
    expect((within(cards[2]).getByRole('button') as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(within(monthly).getByRole('button', { name: 'Buy Monthly' }));
    const page = await screen.findByTestId('pay-page');
    expect(sent('POST', '/api/finance/orders')[0].body).toEqual({ planId: 'p30' });
    expect(page.dataset.status).toBe('pending_payment');
    expect(screen.getByTestId('memo').textContent).toBe('D7K2QX');
    expect(screen.getByTestId('amount-due').textContent).toBe('¥30.00');
    expect(screen.getByTestId('countdown').textContent).toMatch(/^(30:00|29:5\d)$/);
    expect(screen.getByText('pay@derp.test')).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('img', { name: 'Alipay QR code' }).getAttribute('src')).toBe('data:image/png;base64,iVBORw=='));
    // ¥10.00 in the wallet cannot pay ¥30.00.
    expect((screen.getByTestId('pay-from-wallet') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('wallet-short').textContent).toBe('Not enough balance: ¥20.00 short');
  });

  it('pays from the wallet and shows the paid state', async () => {
    let status = 'pending_payment';
    stubGateway(renter, {
      '/api/finance/me/orders/o1': () => ({ ...order, status, paidCents: status === 'paid' ? 3000 : 0, payments: [], instructions }),
      '/api/finance/me/wallet': () => ({ balanceCents: status === 'paid' ? 2000 : 5000, currency: 'CNY' }),
      'POST /api/finance/me/orders/o1/pay-from-wallet': () => {
        status = 'paid';
        return { ...order, status, paidCents: 3000 };
      },
    });
    renderAt('/orders/o1');
    const pay = await screen.findByTestId('pay-from-wallet');
    await waitFor(() => expect((pay as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(pay);
    await screen.findByTestId('order-paid');
    expect(screen.getByTestId('pay-page').dataset.status).toBe('paid');
    expect(sent('POST', '/api/finance/me/orders/o1/pay-from-wallet')).toHaveLength(1);
  });

  it('shows the problem the API answers, with its code', async () => {
    stubGateway(renter, {
      '/api/finance/plans': [plan30],
      '/api/users/me/rental': Response.json({ code: 'no_rental', title: 'No rental' }, { status: 404 }),
      'POST /api/finance/orders': Response.json({ code: 'too_many_open_orders', title: 'Too many open orders' }, { status: 409 }),
    });
    renderAt('/plans');
    fireEvent.click(await screen.findByRole('button', { name: 'Buy Monthly' }));
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.code).toBe('too_many_open_orders');
    expect(alert.textContent).toContain('Too many open orders');
  });

  it('donates with a card key, donor name, message and the anonymous flag', async () => {
    stubGateway(renter, {
      'POST /api/serials/redeem': { kind: 'donation', fullCode: 'GIFT-ABC' },
      '/api/finance/me/donations': { items: [{ id: 'd1', donorName: 'Ann', message: 'Thanks', anonymous: true, amountCents: 500, currency: 'CNY', createdAt: '2026-11-23T03:00:00Z' }], total: 1, page: 1, pageSize: 20 },
    });
    const { container } = renderAt('/donate');
    await screen.findByTestId('donate-page');
    fireEvent.change(container.querySelector('input[name=code]')!, { target: { value: 'gift-abc' } });
    fireEvent.change(container.querySelector('input[name=donorName]')!, { target: { value: 'Ann' } });
    fireEvent.change(container.querySelector('textarea[name=message]')!, { target: { value: 'Thanks' } });
    fireEvent.click(container.querySelector('input[name=anonymous]')!);
    fireEvent.submit(container.querySelector('form')!);
    expect((await screen.findByTestId('donated')).textContent).toContain('GIFT-ABC');
    expect(sent('POST', '/api/serials/redeem')[0].body).toEqual({ code: 'gift-abc', donorName: 'Ann', message: 'Thanks', anonymous: true });
    expect(within(screen.getByTestId('my-donations')).getByText('¥5.00')).toBeTruthy();
  });

  it('the dashboard rental card links to the plans to renew', async () => {
    stubGateway(renter, {
      '/api/users/me/rental': { id: 'r', status: 'active', startedAt: '2026-11-01T00:00:00Z', expiresAt: '2026-12-01T00:00:00Z', daysLeft: 8, trafficQuotaGb: 300, trafficUsedBytes: 0, serviceState: 'ready', policyVersion: 1, history: [] },
    });
    renderAt('/');
    expect((await screen.findByTestId('renew')).getAttribute('href')).toBe('/plans');
  });
});

describe('admin', () => {
  it('shows the overview figures and charts for the chosen range', async () => {
    stubGateway(admin, { '/api/finance/stats': stats });
    renderAt('/admin/finance');
    expect((await screen.findByTestId('figure-revenue-range')).textContent).toContain('¥1,234.00');
    expect(screen.getByTestId('figure-prepaid').textContent).toContain('¥42.00');
    expect(screen.getByTestId('revenue-chart').querySelectorAll('rect.bar')).toHaveLength(2);
    expect(within(screen.getByTestId('plan-mix')).getByText('Monthly')).toBeTruthy();
    expect(within(screen.getByTestId('orders-by-status')).getByText('Fulfilled')).toBeTruthy();
    const query = new URLSearchParams(calls.find((c) => c.path.startsWith('/api/finance/stats'))!.path.split('?')[1]);
    expect(query.get('groupBy')).toBe('month');
    expect(new Date(query.get('from')!).getDate()).toBe(1);

    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'day' } });
    await waitFor(() => expect(calls.some((c) => c.path.includes('groupBy=day'))).toBe(true));
  });

  it('creates a plan with the typed price converted to cents exactly, and refuses a third decimal', async () => {
    stubGateway(admin, { '/api/finance/plans/all': [{ ...plan30, retired: false }], 'POST /api/finance/plans': plan30 });
    const { container } = renderAt('/admin/finance/plans');
    const editor = await screen.findByTestId('plan-editor');
    const fill = (name: string, value: string) => fireEvent.change(editor.querySelector(`input[name=${name}]`)!, { target: { value } });
    fill('nameZh', '周付');
    fill('nameEn', 'Weekly');
    fill('durationDays', '7');
    fill('price', '1.005');
    fireEvent.submit(editor.querySelector('form')!);
    expect((await within(editor).findByRole('alert')).dataset.code).toBe('invalid_amount');
    expect(sent('POST', '/api/finance/plans')).toHaveLength(0);

    fill('price', '0.29');
    fill('capacityLimit', '10');
    fireEvent.submit(editor.querySelector('form')!);
    await waitFor(() => expect(sent('POST', '/api/finance/plans')).toHaveLength(1));
    expect(sent('POST', '/api/finance/plans')[0].body).toEqual({
      nameZh: '周付', nameEn: 'Weekly', durationDays: 7, priceCents: 29, currency: 'CNY', trafficQuotaGb: 0, sell: true, renew: true, sortOrder: 0, capacityLimit: 10,
    });
    expect(container.querySelector('[data-plan-id=p30]')).toBeTruthy();
  });

  it('confirms a transfer for an order with channel, amount, reference and time', async () => {
    stubGateway(admin, {
      '/api/finance/orders/o1': { ...order, payments: [], audit: [{ id: 1, actorId: 'u-admin', actorIp: '10.0.0.1', action: 'order_reopened', targetType: 'order', targetId: 'o1', detailsJson: '{"reason": "late", "remark": null, "amountCents": 3000}', createdAt: '2026-11-23T03:10:00Z' }] },
      'POST /api/finance/orders/o1/payments': { payment: { id: 'pm1', channel: 'wechat_transfer', reference: 'WX-1', amountCents: 1010, appliedCents: 1010, currency: 'CNY', receivedAt: '2026-11-23T03:05:00Z', status: 'matched', orderId: 'o1', creditedUserId: null, memo: null, payerName: null, remark: null, recordedBy: 'u-admin', createdAt: '2026-11-23T03:05:00Z' }, order: { ...order, paidCents: 1010 }, duplicate: false },
    });
    renderAt('/admin/finance/orders/o1');
    const panel = await screen.findByTestId('action-confirm');
    expect(screen.getByText('Order reopened')).toBeTruthy();
    const auditRow = screen.getByText('Order reopened').closest('tr')!;
    expect(within(auditRow).getByText('10.0.0.1')).toBeTruthy();
    expect(within(auditRow).getByText('reason: late · amountCents: 3000')).toBeTruthy();
    expect((panel.querySelector('input[name=amount]') as HTMLInputElement).value).toBe('30.00');
    fireEvent.change(panel.querySelector('select[name=channel]')!, { target: { value: 'wechat_transfer' } });
    fireEvent.change(panel.querySelector('input[name=amount]')!, { target: { value: '10.10' } });
    fireEvent.change(panel.querySelector('input[name=reference]')!, { target: { value: 'WX-1' } });
    fireEvent.change(panel.querySelector('input[name=receivedAt]')!, { target: { value: '2026-11-23T11:05' } });
    fireEvent.submit(panel.querySelector('form')!);
    await waitFor(() => expect(sent('POST', '/api/finance/orders/o1/payments')).toHaveLength(1));
    expect(sent('POST', '/api/finance/orders/o1/payments')[0].body).toEqual({
      channel: 'wechat_transfer', amountCents: 1010, reference: 'WX-1', receivedAt: new Date('2026-11-23T11:05').toISOString(),
    });
  });

  it('adjusts a wallet by a negative amount', async () => {
    stubGateway(admin, {
      '/api/finance/wallets': { items: [{ userId: 'u-renter', userEmail: 'r@derp.test', balanceCents: 5000, currency: 'CNY', updatedAt: '2026-11-23T03:00:00Z' }], total: 1, page: 1, pageSize: 20 },
      '/api/finance/wallets/u-renter/ledger': { items: [{ id: 'le1', type: 'serial_top_up', amountCents: 5000, balanceAfterCents: 5000, currency: 'CNY', orderId: null, serialId: 's', donationId: null, receiptId: null, operatorId: null, remark: null, createdAt: '2026-11-23T03:00:00Z' }], total: 1, page: 1, pageSize: 20 },
      'POST /api/finance/wallets/u-renter/adjustments': { id: 2 },
    });
    renderAt('/admin/finance/wallets/u-renter');
    await waitFor(() => expect(screen.getByTestId('wallet-balance').textContent).toBe('¥50.00'));
    expect(within(await screen.findByTestId('ledger')).getByText('Card key top-up')).toBeTruthy();
    const panel = screen.getByTestId('action-adjust');
    fireEvent.change(panel.querySelector('input[name=amount]')!, { target: { value: '-12.50' } });
    fireEvent.change(panel.querySelector('input[name=reason]')!, { target: { value: 'goodwill reversal' } });
    fireEvent.submit(panel.querySelector('form')!);
    await waitFor(() => expect(sent('POST', '/api/finance/wallets/u-renter/adjustments')).toHaveLength(1));
    expect(sent('POST', '/api/finance/wallets/u-renter/adjustments')[0].body).toEqual({ amountCents: -1250, reason: 'goodwill reversal' });
  });

  it('uploads a receiving QR code as base64 and refuses other image types', async () => {
    stubGateway(admin, {
      '/api/finance/settings': { orderTimeoutMinutes: 30, publicDonations: false, accounts: [{ channel: 'alipay', accountName: 'Derp Ltd', account: 'pay@derp.test', hasQr: false, enabled: true }] },
      'PUT /api/finance/payment-accounts/alipay': { ok: true },
    });
    renderAt('/admin/finance/settings');
    const alipay = await screen.findByTestId('account-alipay');
    const file = alipay.querySelector('input[type=file]')!;
    fireEvent.change(file, { target: { files: [new File(['GIF89a'], 'qr.gif', { type: 'image/gif' })] } });
    expect(within(alipay).getByRole('alert').dataset.code).toBe('qrWrongType');

    fireEvent.change(file, { target: { files: [new File([new Uint8Array([137, 80, 78, 71])], 'qr.png', { type: 'image/png' })] } });
    await within(alipay).findByTestId('qr-preview');
    await act(async () => {
      fireEvent.submit(alipay.querySelector('form')!);
    });
    await waitFor(() => expect(sent('PUT', '/api/finance/payment-accounts/alipay')).toHaveLength(1));
    expect(sent('PUT', '/api/finance/payment-accounts/alipay')[0].body).toEqual({
      accountName: 'Derp Ltd', account: 'pay@derp.test', enabled: true, qrImageBase64: 'iVBORw==', qrContentType: 'image/png',
    });
  });

  it('records a receipt and matches an unmatched one to an order found by memo', async () => {
    const receipt = { id: 'rc1', channel: 'alipay_transfer', amountCents: 3000, currency: 'CNY', reference: 'ALI-9', receivedAt: '2026-11-23T03:00:00Z', memo: 'D7K2QX', payerName: 'Bob', remark: null, status: 'unmatched', orderId: null, creditedUserId: null, appliedCents: 0, recordedBy: 'u-admin', createdAt: '2026-11-23T03:00:00Z' };
    stubGateway(admin, {
      '/api/finance/receipts': { items: [receipt], total: 1, page: 1, pageSize: 20 },
      'POST /api/finance/receipts': { payment: { ...receipt, id: 'rc2', status: 'unmatched' }, order: null, duplicate: false },
      '/api/finance/orders': { items: [order], total: 1, page: 1, pageSize: 20 },
      'POST /api/finance/receipts/rc1/match': { payment: { ...receipt, status: 'matched', orderId: 'o1' }, order: null, duplicate: false },
    });
    renderAt('/admin/finance/receipts');
    const record = await screen.findByTestId('record-receipt');
    fireEvent.change(record.querySelector('input[name=amount]')!, { target: { value: '30' } });
    fireEvent.change(record.querySelector('input[name=reference]')!, { target: { value: 'ALI-10' } });
    fireEvent.submit(record.querySelector('form')!);
    expect((await screen.findByTestId('receipt-recorded')).textContent).toBe('Receipt recorded: Unmatched');
    expect(sent('POST', '/api/finance/receipts')[0].body).toMatchObject({ channel: 'alipay_transfer', amountCents: 3000, reference: 'ALI-10' });

    fireEvent.click(within(screen.getByTestId('receipts')).getByRole('button'));
    const resolve = await screen.findByTestId('resolve-receipt');
    fireEvent.click(within(resolve).getByRole('button', { name: 'Find by memo' }));
    fireEvent.click(await within(resolve).findByRole('button', { name: 'D20261123001' }));
    fireEvent.submit(resolve.querySelector('input[name=orderId]')!.closest('form')!);
    await waitFor(() => expect(sent('POST', '/api/finance/receipts/rc1/match')).toHaveLength(1));
    expect(sent('POST', '/api/finance/receipts/rc1/match')[0].body).toEqual({ orderId: 'o1' });
    expect(calls.some((c) => c.path.startsWith('/api/finance/orders?') && c.path.includes('memo=D7K2QX'))).toBe(true);
  });

  it('settles an account with the chosen action and a remark', async () => {
    stubGateway(admin, {
      '/api/finance/settlements': { items: [{ userId: 'u-renter', userEmail: 'r@derp.test', open: true, blockers: ['balance', 'unpaid_order'], balanceCents: 700, firstAskedAt: '2026-11-23T02:00:00Z', lastAskedAt: '2026-11-23T03:00:00Z', settledAt: null, settledBy: null, action: null, remark: null }], total: 1, page: 1, pageSize: 20 },
      'POST /api/finance/settlements/u-renter': { userId: 'u-renter', settled: true, blockers: [], balanceCents: 0 },
    });
    renderAt('/admin/finance/settlements');
    const card = await screen.findByTestId('settlement');
    expect(within(card).getByText('Balance left')).toBeTruthy();
    expect(within(card).getByText(/^Waiting since /).textContent).not.toMatch(/—|Invalid/);
    fireEvent.change(card.querySelector('select[name=action]')!, { target: { value: 'forfeit' } });
    fireEvent.change(card.querySelector('input[name=remark]')!, { target: { value: 'closed account' } });
    fireEvent.submit(card.querySelector('form')!);
    await waitFor(() => expect(sent('POST', '/api/finance/settlements/u-renter')).toHaveLength(1));
    expect(sent('POST', '/api/finance/settlements/u-renter')[0].body).toEqual({ action: 'forfeit', remark: 'closed account' });
  });

  it.each(['/admin/finance/orders', '/admin/finance/wallets', '/admin/finance/donations', '/admin/finance/audit'])('%s renders its list', async (path) => {
    const empty = { items: [], total: 0, page: 1, pageSize: 20 };
    stubGateway(admin, {
      '/api/finance/orders': { ...empty, items: [order], total: 1 }, '/api/finance/wallets': empty, '/api/finance/donations': empty, '/api/finance/audit': empty,
      '/api/finance/settings': { orderTimeoutMinutes: 30, publicDonations: true, accounts: [] },
    });
    renderAt(path);
    await screen.findByRole('heading', { level: 1 });
    await waitFor(() => expect(calls.some((c) => c.path.startsWith(`/api/finance/${path.split('/').pop()}`))).toBe(true));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('public thank-you list', () => {
  it('lists donors without an account, and says so when the list is not public', async () => {
    tokenStore.set(null);
    vi.stubGlobal('fetch', vi.fn(async () => Response.json({ items: [{ id: 'd', donorName: null, message: 'Keep going', anonymous: true, amountCents: 800, currency: 'CNY', createdAt: '2026-11-23T03:00:00Z' }], total: 1, page: 1, pageSize: 20 })));
    renderAt('/thanks');
    expect(await screen.findByText('Anonymous supporter')).toBeTruthy();
    cleanup();
    vi.stubGlobal('fetch', vi.fn(async () => Response.json({ code: 'public_donations_disabled', title: 'Not public' }, { status: 404 })));
    renderAt('/thanks');
    expect(await screen.findByText('The thank-you list is not public.')).toBeTruthy();
  });
});
