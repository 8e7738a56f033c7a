// The work of bench-crowd.sh (see there): renters made through the API as the end-to-end tests make them, one rental
// serial each from one admin batch, redeemed at the same moment, polled until three relays and policy v1.
import { apiCall, waitForCode } from '../../web/e2e/platform-api.mjs';

const base = process.env.DERP_BENCH_BASE;
const adminToken = process.env.DERP_BENCH_ADMIN_TOKEN;
const crowd = Number(process.env.DERP_BENCH_RENTERS ?? 30);
const readyTimeoutMs = Number(process.env.DERP_BENCH_READY_TIMEOUT ?? 300) * 1000;
const loginBase = process.env.DERP_USERS_PORT ? `http://127.0.0.1:${process.env.DERP_USERS_PORT}` : base;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let addresses = 0;
async function newRenter() {
  const tag = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  const email = `crowd-${tag}@derp.test`;
  const password = 'crowd-password-42';
  const registered = await apiCall('POST', '/api/users/register', { email, username: `c${tag}`, password });
  if (registered.status !== 201) throw new Error(`register ${email}: ${registered.status}`);
  const verified = await apiCall('POST', '/api/users/verify-email', { email, code: await waitForCode(email, 60000) });
  if (verified.status >= 300) throw new Error(`verify ${email}: ${verified.status}`);
  const address = `198.51.100.${(addresses++ % 250) + 1}`;
  const response = await fetch(`${loginBase}/api/users/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login ${email}: ${response.status} ${await response.text()}`);
  return { email, token: (await response.json()).accessToken };
}

/** Three relays in the renter's current policy, and that policy is version 1. */
async function ready(token) {
  const policy = await apiCall('GET', '/api/acl/me', null, token);
  return policy.status === 200 && policy.json.version === 1 && policy.json.relays?.length === 3;
}

/** Redeems every renter's serial at once; resolves to each one's seconds to ready, or its error. */
async function redeemTogether(renters) {
  return Promise.all(renters.map(async ({ token, code }) => {
    const started = performance.now();
    try {
      const redeemed = await apiCall('POST', '/api/serials/redeem', { code }, token);
      if (redeemed.status !== 200) throw new Error(`redeem: ${redeemed.status} ${JSON.stringify(redeemed.json)}`);
      for (;;) {
        if (await ready(token)) return { seconds: (performance.now() - started) / 1000 };
        if (performance.now() - started > readyTimeoutMs) throw new Error(`not ready after ${readyTimeoutMs / 1000} s`);
        await sleep(500);
      }
    } catch (error) {
      return { error: error.message };
    }
  }));
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

const batch = await apiCall('POST', '/api/serials/batches',
  { prefix: `CRW${Math.floor(Math.random() * 90000) + 10000}`, count: crowd + 1, kind: 'rental', durationDays: 30, trafficQuotaGb: 50 }, adminToken);
if (batch.status !== 201) throw new Error(`batch: ${batch.status} ${JSON.stringify(batch.json)}`);
const codes = (await apiCall('GET', `/api/serials?batchId=${batch.json.batchId}&pageSize=500`, null, adminToken)).json.items.map((s) => s.fullCode);

const renters = [];
for (let i = 0; i <= crowd; i++) renters.push({ ...(await newRenter()), code: codes[i] });

const [alone] = await redeemTogether(renters.slice(0, 1));
if (alone.error) throw new Error(`the lone renter failed: ${alone.error}`);
const results = await redeemTogether(renters.slice(1));
const times = results.filter((r) => r.seconds !== undefined).map((r) => r.seconds).sort((a, b) => a - b);
const failures = results.filter((r) => r.error);
for (const failure of failures) console.error(`crowd renter failed: ${failure.error}`);

const s = (v) => (v === undefined ? '-' : `${v.toFixed(2)} s`);
console.log(`one renter alone: ready in ${s(alone.seconds)}`);
console.log(`${crowd} renters at once: p50 ${s(quantile(times, 0.5))}   p95 ${s(quantile(times, 0.95))}   max ${s(times.at(-1))}   failures ${failures.length}`);
if (times.length) console.log(`crowd p50 / lone renter ratio: ${(quantile(times, 0.5) / alone.seconds).toFixed(2)}; p95 / lone: ${(quantile(times, 0.95) / alone.seconds).toFixed(2)}`);
process.exitCode = failures.length ? 1 : 0;
