// Shared by the browser tests (not itself a test file).
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { baseUrl } from './platform-api.mjs';

export * from './platform-api.mjs';
export const screenshots = process.env.SCREENSHOT_DIR ?? tmpdir();

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true, // Playwright gives every launch a fresh temporary profile
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export async function loginInBrowser(page, { email, password }) {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.getByTestId('dashboard').waitFor();
}
