// Shared by the browser tests (not itself a test file).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

export const baseUrl = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
export const mailDir = process.env.MAIL_DIR ?? '/var/tmp/derp/mail';
export const screenshots = process.env.SCREENSHOT_DIR ?? tmpdir();
export const admin = { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD };

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true, // Playwright gives every launch a fresh temporary profile
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

function decodeTextPart(raw) {
  const match = raw.match(/Content-Type:\s*text\/plain[^\n]*\n(?:[^\n]+\n)*?Content-Transfer-Encoding:\s*(\S+)\s*\n(?:[^\n]+\n)*\r?\n([\s\S]*?)(?:\r?\n--|$)/i);
  if (!match) return raw;
  return match[1].toLowerCase() === 'base64' ? Buffer.from(match[2].replace(/\s/g, ''), 'base64').toString('utf8') : match[2];
}

/** The verification code mailed to `email`, read from the SMTP sink's maildir. */
export async function waitForCode(email, timeoutMs = 15000) {
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

export async function apiCall(method, path, body, token) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** A verified renter made through the API; returns its credentials. */
export async function newRenter() {
  const email = `e2e-${Date.now()}-${Math.floor(Math.random() * 1e6)}@derp.test`;
  const password = 'e2e-password-42';
  await apiCall('POST', '/api/users/register', { email, username: `r${Date.now()}${Math.floor(Math.random() * 1e4)}`, password });
  await apiCall('POST', '/api/users/verify-email', { email, code: await waitForCode(email) });
  return { email, password };
}

export async function loginInBrowser(page, { email, password }) {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.getByTestId('dashboard').waitFor();
}
