// Serials through the gateway: an admin generates a batch in the portal, a renter redeems one of its serials in the
// portal, and the licence endpoint answers anonymous clients in the shape requirements §3.6 gives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { admin as adminAccount, apiCall, baseUrl, launch, loginInBrowser, newRenter, screenshots } from './support.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => browser?.close());

test('an admin generates serials in the portal, a renter redeems one and the rental appears on the dashboard', async () => {
  const prefix = `E${Math.floor(Math.random() * 90000) + 10000}`;
  const adminPage = await browser.newPage();
  await loginInBrowser(adminPage, adminAccount);
  await adminPage.goto(`${baseUrl}/admin/serials`);
  await adminPage.click('details summary');
  await adminPage.fill('input[name=prefix]', prefix);
  await adminPage.fill('input[name=count]', '3');
  await adminPage.locator('details button[type=submit]').click();
  await adminPage.getByText(/3 serials generated|已生成 3 个卡密/).waitFor();
  await adminPage.fill('.toolbar input[placeholder]', prefix);
  await adminPage.locator(`a:has-text("${prefix}-")`).first().waitFor();
  await adminPage.screenshot({ path: join(screenshots, 'e2e-admin-serials.png'), fullPage: true });
  const code = (await adminPage.locator(`a:has-text("${prefix}-")`).first().textContent()).trim();
  await adminPage.close();

  const renter = await newRenter();
  const page = await browser.newPage();
  await loginInBrowser(page, renter);
  await page.goto(`${baseUrl}/redeem`);
  await page.fill('input[name=code]', `  ${code.toLowerCase()} `);
  await page.click('button[type=submit]');
  await page.getByTestId('redeemed').waitFor();

  // The same code again shows the API's problem.
  await page.fill('input[name=code]', code);
  await page.click('button[type=submit]');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.equal(await alert.getAttribute('data-code'), 'serial_already_used');
  await page.screenshot({ path: join(screenshots, 'e2e-renter-redeem.png'), fullPage: true });

  // The redemption travels serials -> outbox -> RabbitMQ -> users, which starts the rental the dashboard shows.
  const deadline = Date.now() + 30000;
  while (true) {
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('dashboard').waitFor();
    if (await page.getByTestId('rental').count() > 0) break;
    if (Date.now() > deadline) throw new Error('the rental never appeared on the dashboard');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // The servers service may already have started the relays by now.
  assert.match(await page.getByTestId('rental').getAttribute('data-state'), /^(provisioning|ready)$/);
  await page.screenshot({ path: join(screenshots, 'e2e-renter-rental.png'), fullPage: true });
  await page.close();
});

test('licence validation is open to clients without a token and serial admin is not', async () => {
  const validate = await apiCall('POST', '/api/validate', { code: 'NOPE-NOTHING', machine_code: 'M' });
  assert.equal(validate.status, 404);
  assert.deepEqual([validate.json.status, validate.json.code], ['error', 'serial_not_found']);
  assert.equal((await apiCall('GET', '/api/validate/public-key')).status, 200);
  assert.equal((await apiCall('GET', '/api/serials')).status, 401);
  assert.equal((await apiCall('POST', '/api/serials/redeem', { code: 'X-Y' })).status, 401);
});
