// End to end through the gateway in a real Chromium: register, read the code from the SMTP sink's maildir,
// verify, log in, see the renter dashboard; then the admin finds the new user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

const baseUrl = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const mailDir = process.env.MAIL_DIR ?? '../.state/mail';
const screenshots = process.env.SCREENSHOT_DIR ?? tmpdir();

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true, // Playwright gives every launch a fresh temporary profile
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => browser?.close());

function decodeTextPart(raw) {
  const match = raw.match(/Content-Type:\s*text\/plain[^\n]*\n(?:[^\n]+\n)*?Content-Transfer-Encoding:\s*(\S+)\s*\n(?:[^\n]+\n)*\r?\n([\s\S]*?)(?:\r?\n--|$)/i);
  if (!match) return raw;
  return match[1].toLowerCase() === 'base64' ? Buffer.from(match[2].replace(/\s/g, ''), 'base64').toString('utf8') : match[2];
}

async function waitForCode(email, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const directory = join(mailDir, 'new');
    if (existsSync(directory)) {
      for (const file of readdirSync(directory)) {
        const raw = readFileSync(join(directory, file), 'utf8');
        if (new RegExp(`^To:.*${email.replace(/[.+]/g, '\\$&')}`, 'mi').test(raw)) {
          const code = decodeTextPart(raw).match(/\b\d{6}\b/);
          if (code) return code[0];
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no verification mail for ${email}`);
}

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
  await admin.goto(`${baseUrl}/login`);
  await admin.fill('input[name=email]', process.env.ADMIN_EMAIL);
  await admin.fill('input[name=password]', process.env.ADMIN_PASSWORD);
  await admin.click('button[type=submit]');
  await admin.getByTestId('dashboard').waitFor();
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
