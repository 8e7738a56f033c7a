// End to end through the gateway in a real Chromium: register, read the code from the SMTP sink's maildir,
// verify, log in, see the renter dashboard; then the admin finds the new user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { admin as adminAccount, baseUrl, launch, loginInBrowser, screenshots, waitForCode } from './support.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => browser?.close());

test('a renter registers, verifies by email, logs in and sees the dashboard', async () => {
  const page = await browser.newPage();
  const email = `e2e-${Date.now()}@derp.test`;
  const password = 'e2e-password-42';

  await page.goto(`${baseUrl}/register`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=username]', `e2e${Date.now()}`);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/verify\?email=/);

  const code = await waitForCode(email);
  await page.fill('input[name=code]', code);
  await page.locator('form').first().locator('button[type=submit]').click();
  await page.waitForURL(/\/login\?verified=1/);

  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  const dashboard = page.getByTestId('dashboard');
  await dashboard.waitFor();
  assert.equal(await dashboard.getAttribute('data-role'), 'renter');
  await page.screenshot({ path: join(screenshots, 'e2e-renter-dashboard.png'), fullPage: true });

  // A renter sent to an admin page lands back on the dashboard.
  await page.goto(`${baseUrl}/admin/users`);
  await page.getByTestId('dashboard').waitFor();
  await page.close();

  // The admin finds the new account in the users list.
  const admin = await browser.newPage();
  await loginInBrowser(admin, adminAccount);
  await admin.goto(`${baseUrl}/admin/users`);
  await admin.fill('.toolbar input', email);
  await admin.getByRole('cell', { name: email }).waitFor();
  await admin.screenshot({ path: join(screenshots, 'e2e-admin-users.png'), fullPage: true });
  await admin.close();
});

test('a wrong password shows the problem from the API', async () => {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=email]', 'nobody@derp.test');
  await page.fill('input[name=password]', 'wrong-password-1');
  await page.click('button[type=submit]');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.equal(await alert.getAttribute('data-code'), 'invalid_credentials');
  await page.close();
});
