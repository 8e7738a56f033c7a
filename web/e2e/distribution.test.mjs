// Distribution through the gateway, driven in the portal: a renter applies to become a distributor and an admin approves
// it; the distributor requests serials of the 30-day plan, the admin approves the request, the distributor pays the
// serial-purchase order from the wallet and downloads the issued codes; a new renter redeems one, the distributor sees
// that renter and, once the renter pays a renewal, a pending commission on it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { admin as adminAccount, apiCall, baseUrl, eventually, launch, login, loginInBrowser, newRenter, screenshots } from './support.mjs';

// Users limits sign-ins per address: the admin signs in once, the distributor twice (approval changes the role, which
// ends the sessions), the redeeming renter once through the API.
let browser;
let admin; // { page, token }
before(async () => {
  browser = await launch();
  admin = await signIn(adminAccount, laptop, 'en');
});
after(async () => browser?.close());

const laptop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };

async function newPage(viewport, language, storageState) {
  const context = await browser.newContext({ viewport, storageState, acceptDownloads: true });
  await context.addInitScript((lang) => localStorage.setItem('derp.language', lang), language);
  return context.newPage();
}

async function signIn(account, viewport, language) {
  const page = await newPage(viewport, language);
  await loginInBrowser(page, account);
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('derp.tokens')).accessToken);
  return { page, token };
}

const shot = (page, name) => page.screenshot({ path: join(screenshots, `e2e-distribution-${name}.png`), fullPage: true });

test('a distributor buys serials from the wallet, a renter redeems one and a renewal earns a commission', async () => {
  const { page: adminPage, token: adminToken } = admin;
  const plan = (await apiCall('GET', '/api/finance/plans')).json.find((p) => p.durationDays === 30);
  assert.ok(plan, 'the seeded 30-day plan is on sale');

  // A renter applies in the portal.
  const account = await newRenter();
  let { page, token } = await signIn(account, laptop, 'en');
  const userId = (await apiCall('GET', '/api/users/me', null, token)).json.id;
  await page.goto(`${baseUrl}/distribution/apply`);
  const form = page.getByTestId('application-form');
  await form.waitFor();
  await form.locator('input[name=contactName]').fill('E2E Shop');
  await form.locator('input[name=contact]').fill('wechat: e2e-shop');
  await form.locator('select[name=payoutChannel]').selectOption('alipay');
  await form.locator('input[name=payoutAccountName]').fill('E2E Shop Owner');
  await form.locator('input[name=payoutAccount]').fill('shop@derp.example');
  await form.locator('button[type=submit]').click();
  await page.locator('[data-testid=application][data-status=pending]').waitFor();

  // The admin approves it in the portal (tier left to the default, gold).
  await adminPage.goto(`${baseUrl}/admin/distribution/applications`);
  const card = adminPage.locator('[data-testid=application-card]', { hasText: account.email });
  await card.waitFor();
  await shot(adminPage, 'admin-applications');
  await card.locator('form button[type=submit]').first().click();
  await card.waitFor({ state: 'detached', timeout: 15000 });
  await eventually('users made the applicant a distributor', async () =>
    (await apiCall('GET', `/api/users/${userId}`, null, adminToken)).json?.role === 'distributor');
  const applied = (await apiCall('GET', `/api/distribution/distributors/${userId}`, null, adminToken)).json;
  assert.equal(applied.status, 'active');

  // The role change ended the distributor's sessions: sign in again.
  await page.context().close();
  ({ page, token } = await signIn(account, laptop, 'en'));
  await page.getByTestId('nav-distribution').waitFor();

  // The distributor requests three serials of the 30-day plan; the estimate shows the tier's discount.
  const dashboard = (await apiCall('GET', '/api/distribution/me/dashboard', null, token)).json;
  const quantity = 3;
  const expectedPrice = Math.floor((plan.priceCents * quantity * (10000 - dashboard.rateBasisPoints) * 2 + 10000) / 20000);
  await page.goto(`${baseUrl}/distribution/request`);
  const requestForm = page.getByTestId('request-form');
  await requestForm.locator(`select[name=planId] option[value="${plan.id}"]`).waitFor({ state: 'attached' });
  await requestForm.locator('select[name=planId]').selectOption(plan.id);
  await requestForm.locator('input[name=quantity]').fill(String(quantity));
  await requestForm.locator('input[name=remark]').fill('e2e batch');
  await page.getByTestId('price-estimate').getByText(`¥${(expectedPrice / 100).toFixed(2)}`).waitFor();
  await shot(page, 'request');
  await requestForm.locator('button[type=submit]').click();
  await page.getByTestId('request-submitted').waitFor();
  const mine = (await apiCall('GET', '/api/distribution/requests/mine', null, token)).json.items;
  assert.equal(mine.length, 1);
  const requestId = mine[0].id;
  assert.deepEqual([mine[0].status, mine[0].quantity, mine[0].planId], ['requested', quantity, plan.id]);

  // The admin approves the request in the portal: the price is fixed at the tier's discount.
  await adminPage.goto(`${baseUrl}/admin/distribution/requests`);
  const row = adminPage.locator(`[data-testid=admin-request-row][data-request-id="${requestId}"]`);
  await row.waitFor();
  await shot(adminPage, 'admin-requests');
  await row.getByTestId('approve-request').click();
  await row.waitFor({ state: 'detached', timeout: 15000 });
  const approved = (await apiCall('GET', `/api/distribution/requests/mine/${requestId}`, null, token)).json;
  assert.deepEqual([approved.status, approved.priceCents], ['approved', expectedPrice]);

  // The admin funds the distributor's wallet; the distributor pays the serial-purchase order from it.
  const funded = await apiCall('POST', `/api/finance/wallets/${userId}/adjustments`, { amountCents: expectedPrice, reason: 'e2e distributor funds' }, adminToken);
  assert.ok(funded.status < 300, JSON.stringify(funded.json));
  const order = await eventually('finance made the serial-purchase order', async () => {
    const response = await apiCall('GET', `/api/finance/me/orders/${approved.orderId}`, null, token);
    return response.status === 200 && response.json;
  });
  assert.deepEqual([order.type, order.status, order.priceCents], ['serial_purchase', 'pending_payment', expectedPrice]);
  await page.goto(`${baseUrl}/distribution/requests`);
  await page.locator(`[data-testid=request-row][data-request-id="${requestId}"] [data-testid=pay-link]`).click();
  await page.waitForURL(new RegExp(`/orders/${approved.orderId}$`));
  const payFromWallet = page.getByTestId('pay-from-wallet');
  await eventually('the wallet covers the order', async () => payFromWallet.isEnabled(), 15000, 300);
  await payFromWallet.click();
  await eventually('the request issued', async () =>
    (await apiCall('GET', `/api/distribution/requests/mine/${requestId}`, null, token)).json.status === 'issued');

  // The distributor downloads the codes as text.
  await page.goto(`${baseUrl}/distribution/serials`);
  await eventually('the serials listed', async () => {
    await page.reload();
    await page.getByTestId('my-serials').waitFor();
    return (await page.getByTestId('own-serial').count()) === quantity;
  }, 30000, 1000);
  await shot(page, 'serials');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-txt').click()]);
  const codes = (await readFile(await download.path(), 'utf8')).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  assert.equal(codes.length, quantity, `three codes in the file: ${codes.join(', ')}`);
  const listed = (await apiCall('GET', '/api/serials/mine', null, token)).json.items.map((s) => s.fullCode).sort();
  assert.deepEqual([...codes].sort(), listed);

  // A new renter redeems one; the distributor sees the renter.
  const renter = await newRenter();
  const renterToken = await login(renter);
  const renterId = (await apiCall('GET', '/api/users/me', null, renterToken)).json.id;
  const redeemed = await apiCall('POST', '/api/serials/redeem', { code: codes[0] }, renterToken);
  assert.equal(redeemed.status, 200, JSON.stringify(redeemed.json));
  await page.goto(`${baseUrl}/distribution/renters`);
  await eventually('the renter attributed to the distributor', async () => {
    await page.reload();
    await page.getByTestId('my-renters').waitFor();
    return (await page.locator(`[data-testid=renter-row][data-renter-id="${renterId}"]`).count()) === 1;
  }, 30000, 1000);
  await shot(page, 'renters');

  // The renter renews once the redeemed rental runs (users starts it from SerialRedeemed): the admin funds the renter's
  // wallet, the renter buys the plan and pays from the wallet.
  await eventually('the rental started from the redeemed serial', async () =>
    (await apiCall('GET', '/api/users/me/rental', null, renterToken)).status === 200);
  const renterFunded = await apiCall('POST', `/api/finance/wallets/${renterId}/adjustments`, { amountCents: plan.priceCents, reason: 'e2e renter funds' }, adminToken);
  assert.ok(renterFunded.status < 300, JSON.stringify(renterFunded.json));
  // finance learns of the rental from users' event a moment later: until then the order would be a new one, so such an
  // order is cancelled and the renter tries again.
  const renewal = await eventually('finance sells the renter a renewal', async () => {
    const order = await apiCall('POST', '/api/finance/orders', { planId: plan.id }, renterToken);
    assert.equal(order.status, 201, JSON.stringify(order.json));
    if (order.json.type === 'renewal') return order;
    assert.equal(order.json.type, 'new');
    assert.equal((await apiCall('POST', `/api/finance/me/orders/${order.json.id}/cancel`, null, renterToken)).status, 200);
    return null;
  }, 30000, 1000);
  assert.equal(renewal.json.type, 'renewal');
  const paid = await apiCall('POST', `/api/finance/me/orders/${renewal.json.id}/pay-from-wallet`, null, renterToken);
  assert.ok(paid.status < 300, JSON.stringify(paid.json));

  // The distributor sees a pending commission on that renewal at the tier's rate.
  const expectedCommission = Math.floor((plan.priceCents * dashboard.rateBasisPoints * 2 + 10000) / 20000);
  await page.goto(`${baseUrl}/distribution/commissions`);
  await eventually('the pending commission', async () => {
    await page.reload();
    await page.getByTestId('commissions-page').waitFor();
    return (await page.locator('[data-testid=commission-row][data-status=pending]').count()) === 1;
  }, 30000, 1000);
  const commission = (await apiCall('GET', '/api/distribution/me/commissions', null, token)).json.items;
  assert.deepEqual(commission.map((c) => [c.orderId, c.renterId, c.status, c.baseCents, c.amountCents]),
    [[renewal.json.id, renterId, 'pending', plan.priceCents, expectedCommission]]);
  await shot(page, 'commissions');

  // The dashboard: bought, redeemed, the renter and the pending commission; then on a phone in Chinese.
  await page.goto(`${baseUrl}/distribution`);
  const figure = async (testId) => (await page.getByTestId(testId).locator('strong').textContent()).trim();
  await eventually('the dashboard counts the purchase, the redemption and the renter', async () => {
    await page.reload();
    await page.getByTestId('figure-redeemed').waitFor();
    return await figure('figure-bought') === String(quantity) && await figure('figure-redeemed') === '1' && await figure('figure-renters') === '1';
  }, 30000, 1000);
  await shot(page, 'dashboard');
  const phonePage = await newPage(phone, 'zh-CN', await page.context().storageState());
  await phonePage.goto(`${baseUrl}/distribution`);
  await phonePage.getByTestId('figure-bought').waitFor();
  await phonePage.getByRole('heading', { level: 1 }).waitFor();
  await shot(phonePage, 'dashboard-phone-zh');
  const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the dashboard fits a phone's width (overflows by ${overflow}px)`);
  await phonePage.context().close();
  await page.context().close();
});
