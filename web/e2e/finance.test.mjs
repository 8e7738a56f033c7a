// Finance through the gateway, driven in the portal: a renter buys a 30-day plan and pays by transfer, an admin confirms
// the transfer on the order, users starts the rental from the order and the finance dashboard counts the revenue; a
// renter donates with a card key an admin made, and the donation reaches the admin's donations list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { admin as adminAccount, apiCall, baseUrl, eventually, launch, loginInBrowser, newRenter, screenshots } from './support.mjs';

// Users limits sign-ins per address (30 in 5 minutes) and every browser test signs in from here: each account signs in
// once, in the browser, and the API calls use the token the portal keeps; other viewports copy the signed-in storage.
let browser;
let admin; // { page, token }
before(async () => {
  browser = await launch();
  admin = await signIn(adminAccount, laptop, 'en');
});
after(async () => browser?.close());

const day = 24 * 60 * 60 * 1000;
const laptop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };

/** A page in a browser context of its own (viewport, the portal in the given language), optionally with another's storage. */
async function newPage(viewport, language, storageState) {
  const context = await browser.newContext({ viewport, storageState });
  await context.addInitScript((lang) => localStorage.setItem('derp.language', lang), language);
  return context.newPage();
}

/** Signs `account` in on a new page; the API token is the one the portal got. */
async function signIn(account, viewport, language) {
  const page = await newPage(viewport, language);
  await loginInBrowser(page, account);
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('derp.tokens')).accessToken);
  return { page, token };
}

/** The same signed-in user in another viewport and language. */
async function samePerson(page, viewport, language) {
  return newPage(viewport, language, await page.context().storageState());
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A small black-and-white PNG that looks like a QR code (finder squares and noise): the receiving code an admin uploads. */
function qrLikePng(size = 29, scale = 4) {
  const dark = (x, y) => {
    for (const [fx, fy] of [[0, 0], [size - 7, 0], [0, size - 7]]) {
      if (x >= fx && x < fx + 7 && y >= fy && y < fy + 7) {
        const dx = x - fx, dy = y - fy;
        return dx === 0 || dx === 6 || dy === 0 || dy === 6 || (dx >= 2 && dx <= 4 && dy >= 2 && dy <= 4);
      }
    }
    return ((x * 7 + y * 13 + x * y) % 5) < 2;
  };
  const side = size * scale;
  const rows = [];
  for (let py = 0; py < side; py++) {
    const row = Buffer.alloc(side + 1); // filter byte 0, then one grey byte per pixel
    for (let px = 0; px < side; px++) row[px + 1] = dark(Math.floor(px / scale), Math.floor(py / scale)) ? 0 : 255;
    rows.push(row);
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4); length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0); header.writeUInt32BE(side, 4); header[8] = 8; header[9] = 0; // 8-bit greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** "¥1,234.56" (a dashboard figure) -> 123456. */
const centsOf = (text) => Number(text.replace(/[^\d-]/g, ''));

async function revenueInRange(page) {
  await page.goto(`${baseUrl}/admin/finance`);
  const figure = page.getByTestId('figure-revenue-range').locator('strong');
  await figure.waitFor();
  return centsOf(await figure.textContent());
}

test('a renter buys a 30-day plan, pays by transfer, an admin confirms it, the rental starts and revenue counts it', async () => {
  const { page: adminPage, token: adminToken } = admin;
  const plans = (await apiCall('GET', '/api/finance/plans')).json;
  const plan = plans.find((p) => p.durationDays === 30);
  assert.ok(plan, 'the seeded 30-day plan is on sale');

  // The admin sets up the receiving Alipay account with its QR code in the portal's payment settings.
  await adminPage.goto(`${baseUrl}/admin/finance/settings`);
  const alipay = adminPage.getByTestId('account-alipay');
  await alipay.waitFor();
  await alipay.locator('input[name=accountName]').fill('Derp Relay Studio');
  await alipay.locator('input[name=account]').fill('pay@derp.example');
  await alipay.locator('input[name=enabled]').check();
  await alipay.locator('input[name=qr]').setInputFiles({ name: 'alipay-qr.png', mimeType: 'image/png', buffer: qrLikePng() });
  await alipay.getByTestId('qr-preview').waitFor();
  await alipay.locator('button[type=submit]').click();
  await eventually('the Alipay account saved with its QR code', async () => {
    const settings = (await apiCall('GET', '/api/finance/settings', null, adminToken)).json;
    return settings.accounts.some((a) => a.channel === 'alipay' && a.enabled && a.hasQr && a.account === 'pay@derp.example');
  }, 15000);
  const revenueBefore = await revenueInRange(adminPage);

  // The renter (no rental yet) picks the 30-day plan: a new order, and the pay page with the memo, countdown and QR.
  const { page, token: renterToken } = await signIn(await newRenter(), laptop, 'en');
  assert.equal((await apiCall('GET', '/api/users/me/rental', null, renterToken)).status, 404);
  await page.goto(`${baseUrl}/plans`);
  const card = page.locator(`[data-testid=plan-card][data-plan-id="${plan.id}"]`);
  await card.waitFor();
  await page.screenshot({ path: join(screenshots, 'e2e-finance-plans.png'), fullPage: true });
  await card.getByRole('button').click();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
  const orderId = page.url().split('/').pop();
  const payPage = page.getByTestId('pay-page');
  await payPage.waitFor();
  assert.equal(await payPage.getAttribute('data-status'), 'pending_payment');
  const memo = (await page.getByTestId('memo').textContent()).trim();
  assert.match(memo, /^[A-Z0-9]{4,10}$/);
  assert.equal(centsOf(await page.getByTestId('amount-due').textContent()), plan.priceCents);
  const countdown = page.getByTestId('countdown');
  assert.equal(await countdown.getAttribute('data-expired'), 'false');
  const firstTick = await countdown.textContent();
  assert.match(firstTick, /\d+:\d\d/);
  await eventually('the countdown ticking', async () => (await countdown.textContent()) !== firstTick, 5000, 200);
  const receiving = page.locator('.receiving[data-channel=alipay]');
  await receiving.getByText('pay@derp.example').waitFor();
  await receiving.locator('img').waitFor();
  assert.ok(await receiving.locator('img').evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code is shown');
  await page.screenshot({ path: join(screenshots, 'e2e-finance-pay.png'), fullPage: true });

  const order = (await apiCall('GET', `/api/finance/me/orders/${orderId}`, null, renterToken)).json;
  assert.deepEqual([order.type, order.status, order.memo, order.priceCents, order.durationDays], ['new', 'pending_payment', memo, plan.priceCents, 30]);

  // The same two pages on a phone, in Chinese.
  const phonePage = await samePerson(page, phone, 'zh-CN');
  await phonePage.goto(`${baseUrl}/plans`);
  await phonePage.locator('[data-testid=plan-card]').first().waitFor();
  await phonePage.getByRole('heading', { name: '套餐' }).waitFor();
  await phonePage.screenshot({ path: join(screenshots, 'e2e-finance-plans-phone-zh.png'), fullPage: true });
  await phonePage.goto(`${baseUrl}/orders/${orderId}`);
  await phonePage.getByTestId('memo').waitFor();
  await phonePage.locator('.receiving[data-channel=alipay] img').waitFor();
  await phonePage.screenshot({ path: join(screenshots, 'e2e-finance-pay-phone-zh.png'), fullPage: true });
  const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the pay page fits a phone's width (overflows by ${overflow}px)`);
  await phonePage.context().close();

  // The admin finds the order and confirms the transfer: channel, amount, reference and time.
  const reference = `ALI-E2E-${Date.now()}`;
  await adminPage.goto(`${baseUrl}/admin/finance/orders?memo=${memo}`);
  await adminPage.locator(`[data-order-id="${orderId}"] a.mono`).click();
  const adminOrder = adminPage.getByTestId('admin-order');
  await adminOrder.waitFor();
  const confirm = adminPage.getByTestId('action-confirm');
  await confirm.locator('summary').click();
  await confirm.locator('select[name=channel]').selectOption('alipay_transfer');
  assert.equal(await confirm.locator('input[name=amount]').inputValue(), (plan.priceCents / 100).toFixed(2));
  await confirm.locator('input[name=reference]').fill(reference);
  await confirm.locator('input[name=receivedAt]').fill(new Date(Date.now() - 2 * 60000 - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16));
  await adminPage.screenshot({ path: join(screenshots, 'e2e-finance-admin-confirm.png'), fullPage: true });
  await confirm.locator('button[type=submit]').click();
  await adminPage.locator('[data-testid=admin-order][data-status=paid], [data-testid=admin-order][data-status=fulfilled]').waitFor({ timeout: 15000 });
  await adminPage.getByTestId('payments').getByText(reference).waitFor();

  // users starts the rental from OrderPaid; finance marks the order fulfilled when the rental event comes back.
  const rental = await eventually('the rental started from the order', async () => {
    const response = await apiCall('GET', '/api/users/me/rental', null, renterToken);
    return response.status === 200 && response.json;
  });
  const daysLeft = (new Date(rental.expiresAt).getTime() - Date.now()) / day;
  assert.ok(daysLeft > 29.9 && daysLeft <= 30.01, `the rental runs 30 days (${daysLeft.toFixed(3)} left)`);
  await eventually('the order fulfilled', async () =>
    (await apiCall('GET', `/api/finance/me/orders/${orderId}`, null, renterToken)).json.status === 'fulfilled');
  await adminPage.reload();
  await adminPage.locator('[data-testid=admin-order][data-status=fulfilled]').waitFor();
  await adminPage.getByTestId('payments').getByText(reference).waitFor();
  await adminPage.screenshot({ path: join(screenshots, 'e2e-finance-admin-order.png'), fullPage: true });

  const detail = (await apiCall('GET', `/api/finance/orders/${orderId}`, null, adminToken)).json;
  assert.deepEqual(detail.payments.map((p) => [p.channel, p.amountCents, p.reference]), [['alipay_transfer', plan.priceCents, reference]]);
  assert.equal(detail.paidCents, plan.priceCents);
  assert.ok(detail.audit.some((a) => a.action === 'payment_confirmed' && a.actorIp), 'the confirmation is audited with the address');

  // The renter sees it settle on the pay page and the rental on the dashboard.
  await page.getByTestId('order-fulfilled').waitFor({ timeout: 15000 });
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('rental').waitFor();
  await page.getByTestId('renew').waitFor();
  await page.context().close();

  // The finance dashboard counts the order's price (other tests may add revenue of their own meanwhile).
  const revenueAfter = await revenueInRange(adminPage);
  assert.ok(revenueAfter - revenueBefore >= plan.priceCents, `revenue grew by ${revenueAfter - revenueBefore}, at least ${plan.priceCents}`);
  await adminPage.getByTestId('revenue-chart').waitFor();
  await adminPage.getByTestId('plan-mix').getByText(plan.nameEn).waitFor();
  await adminPage.screenshot({ path: join(screenshots, 'e2e-finance-dashboard.png'), fullPage: true });
});

test('a renter donates with a card key and the donation reaches the admin donations list', async () => {
  const { page: adminPage, token: adminToken } = admin;
  const prefix = `DN${Math.floor(Math.random() * 9000) + 1000}`;
  const batch = await apiCall('POST', '/api/serials/batches', { prefix, count: 1, kind: 'donation', valueCents: 1000, remark: 'e2e donation' }, adminToken);
  assert.equal(batch.status, 201, JSON.stringify(batch.json));
  const serials = (await apiCall('GET', `/api/serials?batchId=${batch.json.batchId}`, null, adminToken)).json;
  const code = serials.items[0].fullCode;
  assert.ok(code?.startsWith(`${prefix}-`), `a card key with the prefix (${code})`);

  const renter = await newRenter();
  const { page, token: renterToken } = await signIn(renter, laptop, 'en');
  const donor = `Donor ${prefix}`;
  const message = `Thanks for the relays (${prefix})`;
  await page.goto(`${baseUrl}/donate`);
  await page.getByTestId('donate-page').waitFor();
  await page.fill('input[name=code]', code);
  await page.fill('input[name=donorName]', donor);
  await page.fill('textarea[name=message]', message);
  await page.click('button[type=submit]');
  await page.getByTestId('donated').waitFor();

  // finance records the donation when it consumes the redemption; the renter's own list shows it.
  const mine = await eventually('the donation recorded', async () => {
    const items = (await apiCall('GET', '/api/finance/me/donations', null, renterToken)).json.items;
    return items.length === 1 && items[0];
  });
  assert.deepEqual([mine.donorName, mine.message, mine.amountCents, mine.anonymous, mine.fullCode], [donor, message, 1000, false, code]);
  await page.reload();
  await page.getByTestId('my-donations').getByText(message).waitFor();
  await page.screenshot({ path: join(screenshots, 'e2e-finance-donate.png'), fullPage: true });
  await page.context().close();

  await adminPage.goto(`${baseUrl}/admin/finance/donations`);
  const row = adminPage.getByTestId('donations').locator('tr', { hasText: code });
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(`${donor}.*¥10\\.00.*${message.replace(/[()]/g, '\\$&')}`));
  await adminPage.screenshot({ path: join(screenshots, 'e2e-finance-admin-donations.png'), fullPage: true });

  const listed = (await apiCall('GET', '/api/finance/donations?pageSize=100', null, adminToken)).json.items.find((d) => d.fullCode === code);
  assert.deepEqual([listed?.donorName, listed?.amountCents, listed?.userEmail], [donor, 1000, renter.email]);
});
