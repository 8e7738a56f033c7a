// Talking to a running platform over HTTP, the mail sink and the container engine: shared by the browser tests and by
// scripts that drive a platform copy (scripts/chaos.mjs). No browser here, so scripts need no browser package.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';

export const baseUrl = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
export const mailDir = process.env.MAIL_DIR ?? '/var/tmp/derp/mail';
export const admin = { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD };

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

export async function login({ email, password }) {
  const response = await apiCall('POST', '/api/users/login', { email, password });
  if (response.status !== 200) throw new Error(`login ${email}: ${response.status}`);
  return response.json.accessToken;
}

/** Polls `check` until it returns something truthy; throws after `timeoutMs`. */
export async function eventually(what, check, timeoutMs = 60000, intervalMs = 500) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** This machine's container engine (podman's Docker API), the demo hosts' engine. */
export function engine(path, method = 'GET', socketPath = '/run/podman/podman.sock') {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: `/v1.41${path}`, method }, (res) => {
      let body = '';
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve(body ? JSON.parse(body) : null));
    });
    req.on('error', reject);
    req.end();
  });
}
