// Every page of the portal in a real browser, as each role may open it, in Chinese and English, on a laptop
// (1440×900) and a phone (390×844): no sideways scrolling, no console or page errors, no failed API call, no
// untranslated text outside user data (`data-user`), axe-core's rules for labels, names, contrast, lang and title,
// every button visible. A screenshot of each page, language and size goes to $SCREENSHOT_DIR/screenshots/, and the
// findings of the whole walk to page-findings.md beside them. A failure names the role, page, language, size and
// what was found, so the page's owner can fix it.
//
// A ratchet while the portal is being finished (issue 14): page-findings.known.txt lists the findings (role, page,
// language, size, kind) the walk knew of when it arrived. A page fails on any finding NOT in that list — a new
// defect, or an old one on a page that had none — and the walk writes page-findings-gone.txt with the listed lines that
// no longer occur, to be deleted from the list. The list only shrinks; the portal is done when it is empty.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { admin as adminAccount, apiCall, baseUrl, eventually, launch, newRenter, screenshots } from './support.mjs';
import { allowedInChinese, axeFindings, inspectInPage } from './page-checks.mjs';

const shotDir = join(screenshots, 'screenshots');
const findingKey = (role, path, language, size, kind) => [role, path, language, size, kind].join(' ');
const known = new Set(readFileSync(new URL('./page-findings.known.txt', import.meta.url), 'utf8')
  .split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#')));
const languages = ['zh-CN', 'en'];
const sizes = [{ name: 'laptop', width: 1440, height: 900 }, { name: 'phone', width: 390, height: 844 }];

// Every route of web/src/App.tsx and who opens it here (the audience its RequireUser gives, narrowed to the roles the
// page is for: an admin is not walked through the renter's redeem page). `param` fills a `:name` from the fixtures.
// A route added to App.tsx without a line here fails the first test below.
const routes = [
  { path: '/', roles: ['visitor', 'renter', 'distributor', 'admin'] },
  { path: '/admin', roles: ['admin'] },
  { path: '/login', roles: ['visitor'] },
  { path: '/register', roles: ['visitor'] },
  { path: '/verify', roles: ['visitor'] },
  { path: '/forgot-password', roles: ['visitor'] },
  { path: '/reset-password', roles: ['visitor'] },
  { path: '/plans', roles: ['visitor', 'renter', 'distributor', 'admin'] },
  { path: '/thanks', roles: ['visitor', 'renter'] },
  { path: '/account', roles: ['renter', 'distributor', 'admin'] },
  { path: '/redeem', roles: ['renter'] },
  { path: '/policy', roles: ['renter'] },
  { path: '/devices', roles: ['renter'] },
  { path: '/orders', roles: ['renter'] },
  { path: '/orders/:id', roles: ['renter'], param: (f) => f.orderId },
  { path: '/wallet', roles: ['renter', 'distributor'] },
  { path: '/donate', roles: ['renter'] },
  { path: '/distribution/apply', roles: ['renter'] },
  { path: '/distribution', roles: ['distributor'] },
  { path: '/distribution/request', roles: ['distributor'] },
  { path: '/distribution/requests', roles: ['distributor'] },
  { path: '/distribution/serials', roles: ['distributor'] },
  { path: '/distribution/renters', roles: ['distributor'] },
  { path: '/distribution/commissions', roles: ['distributor'] },
  { path: '/distribution/storefront', roles: ['distributor', 'admin'] },
  { path: '/distribution/storefront/rules', roles: ['distributor', 'admin'] },
  { path: '/distribution/storefront/keys', roles: ['distributor', 'admin'] },
  { path: '/distribution/storefront/deliveries', roles: ['distributor', 'admin'] },
  { path: '/distribution/storefront/dry-run', roles: ['distributor', 'admin'] },
  { path: '/distribution/storefront/alerts', roles: ['distributor', 'admin'] },
  { path: '/admin/policy-logs', roles: ['distributor', 'admin'] },
  { path: '/admin/users', roles: ['admin'] },
  { path: '/admin/users/:id', roles: ['admin'], param: (f) => f.renterId },
  { path: '/admin/audit', roles: ['admin'] },
  { path: '/admin/rentals', roles: ['admin'] },
  { path: '/admin/servers', roles: ['admin'] },
  { path: '/admin/servers/:id', roles: ['admin'], param: (f) => f.serverId },
  { path: '/admin/containers', roles: ['admin'] },
  { path: '/admin/alerts', roles: ['admin'] },
  { path: '/admin/serials', roles: ['admin'] },
  { path: '/admin/serials/mismatches', roles: ['admin'] },
  { path: '/admin/serials/:id', roles: ['admin'], param: (f) => f.serialId },
  { path: '/admin/finance', roles: ['admin'] },
  { path: '/admin/finance/plans', roles: ['admin'] },
  { path: '/admin/finance/orders', roles: ['admin'] },
  { path: '/admin/finance/orders/:id', roles: ['admin'], param: (f) => f.orderId },
  { path: '/admin/finance/receipts', roles: ['admin'] },
  { path: '/admin/finance/wallets', roles: ['admin'] },
  { path: '/admin/finance/wallets/:userId', roles: ['admin'], param: (f) => f.renterId },
  { path: '/admin/finance/donations', roles: ['admin'] },
  { path: '/admin/finance/settings', roles: ['admin'] },
  { path: '/admin/finance/settlements', roles: ['admin'] },
  { path: '/admin/finance/audit', roles: ['admin'] },
  { path: '/admin/distribution', roles: ['admin'] },
  { path: '/admin/distribution/applications', roles: ['admin'] },
  { path: '/admin/distribution/distributors', roles: ['admin'] },
  { path: '/admin/distribution/distributors/:userId', roles: ['admin'], param: (f) => f.distributorId },
  { path: '/admin/distribution/requests', roles: ['admin'] },
  { path: '/admin/distribution/payouts', roles: ['admin'] },
  { path: '/admin/distribution/tiers', roles: ['admin'] },
];

// API answers that are a state, not a failure, and which pages show as such (e.g. "no rental yet").
const expectedProblems = [
  { role: 'any', method: 'GET', path: /^\/api\/users\/me\/rental$/, status: 404, why: 'no rental yet' },
  { role: 'any', method: 'GET', path: /^\/api\/distribution\/applications\/mine$/, status: 404, why: 'never applied to distribute' },
  { role: 'any', method: 'GET', path: /^\/api\/finance\/donations\/public$/, status: 404, why: 'public_donations_off: the thank-you list is not enabled' },
];
const expected = (role, request, status) => {
  const path = new URL(request.url()).pathname;
  return expectedProblems.some((e) => (e.role === 'any' || e.role === role) && e.method === request.method() && e.status === status && e.path.test(path));
};

// --- fixtures: a renter with a running rental, a device and an order; a distributor; a serial; a host ---------------
const fixtures = {};
const accounts = {};
let browser;
const findings = []; // every page's findings, for page-findings.md

const nodeKey = () => `nodekey:${[...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;

async function tokensOf(account) {
  const response = await apiCall('POST', '/api/users/login', { email: account.email, password: account.password });
  assert.equal(response.status, 200, `login ${account.email}: ${response.status}`);
  return response.json;
}

before(async () => {
  mkdirSync(shotDir, { recursive: true });
  browser = await launch();
  accounts.admin = adminAccount;
  const adminToken = (await tokensOf(adminAccount)).accessToken;

  // A renter who redeemed a rental serial, with its relays coming up (or up), a device and a pending order.
  const prefix = `P${Math.floor(Math.random() * 90000) + 10000}`;
  const batch = await apiCall('POST', '/api/serials/batches', { prefix, count: 2, kind: 'rental', durationDays: 30, trafficQuotaGb: 50 }, adminToken);
  assert.equal(batch.status, 201, `serial batch: ${JSON.stringify(batch.json)}`);
  const serials = (await apiCall('GET', `/api/serials?batchId=${batch.json.batchId}`, null, adminToken)).json.items;
  fixtures.serialId = serials[0].id;
  accounts.renter = await newRenter();
  const renterToken = (await tokensOf(accounts.renter)).accessToken;
  fixtures.renterId = (await apiCall('GET', '/api/users/me', null, renterToken)).json.id;
  assert.equal((await apiCall('POST', '/api/users/me/devices', { name: 'laptop', machineCode: 'pages-machine', nodeKey: nodeKey() }, renterToken)).status, 201);
  assert.equal((await apiCall('POST', '/api/serials/redeem', { code: serials[0].fullCode }, renterToken)).status, 200);
  const plan = (await apiCall('GET', '/api/finance/plans')).json.find((p) => p.durationDays === 30);
  const order = await apiCall('POST', '/api/finance/orders', { planId: plan.id }, renterToken);
  assert.equal(order.status, 201, `order: ${JSON.stringify(order.json)}`);
  fixtures.orderId = order.json.id;

  // A distributor, appointed by the admin (the role follows through users; it ends the account's sessions).
  accounts.distributor = await newRenter();
  const distributorToken = (await tokensOf(accounts.distributor)).accessToken;
  fixtures.distributorId = (await apiCall('GET', '/api/users/me', null, distributorToken)).json.id;
  const appointed = await apiCall('POST', '/api/distribution/distributors', {
    userId: fixtures.distributorId, tierCode: 'gold', contactName: 'Pages Shop', contact: 'wechat: pages-shop',
    payoutChannel: 'alipay', payoutAccountName: 'Pages Shop Owner', payoutAccount: 'pages@derp.example',
  }, adminToken);
  assert.ok([200, 201].includes(appointed.status), `appoint: ${appointed.status} ${JSON.stringify(appointed.json)}`);
  await eventually('the distributor role', async () => (await apiCall('GET', `/api/users/${fixtures.distributorId}`, null, adminToken)).json?.role === 'distributor');

  fixtures.serverId = (await apiCall('GET', '/api/servers', null, adminToken)).json[0].id;
  // The relays come up while the walk starts with the other roles; the renter's pages are walked last.
  fixtures.rentalReady = eventually('the renter\'s relays', async () =>
    (await apiCall('GET', '/api/users/me/rental', null, renterToken)).json?.serviceState === 'ready', 120000).then(() => true, () => false);
});

after(async () => {
  await browser?.close();
  writeFileSync(join(shotDir, 'page-findings.md'), report());
  if (!process.env.PAGES_ONLY) {
    const seen = new Set(findings.map((f) => findingKey(f.role, f.path, f.language, f.size, f.kind)));
    const gone = [...known].filter((k) => !seen.has(k));
    writeFileSync(join(shotDir, 'page-findings-gone.txt'), gone.join('\n') + (gone.length ? '\n' : ''));
    console.log(`# page findings: ${seen.size} (role, page, language, size, kind) seen, ${[...seen].filter((k) => known.has(k)).length} of them known; `
      + `${gone.length} known ones no longer occur (page-findings-gone.txt: delete them from page-findings.known.txt)`);
  }
});

function report() {
  const byPage = new Map();
  for (const f of findings) {
    const key = `${f.path} (${f.role})`;
    if (!byPage.has(key)) byPage.set(key, []);
    byPage.get(key).push(f);
  }
  const lines = [`# Page findings (${new Date().toISOString()})`, '', `${byPage.size} page(s) with findings.`, ''];
  for (const [page, list] of [...byPage].sort()) {
    lines.push(`## ${page}`, '');
    for (const f of list) lines.push(`- ${f.language} ${f.size}: **${f.kind}** ${f.detail}`);
    lines.push('');
  }
  return lines.join('\n');
}

const slug = (path) => (path === '/' ? 'home' : path.slice(1).replace(/[/:]+/g, '-'));

/** A browser context for one role, language and size, signed in through the API (tokens in localStorage). */
async function contextFor(role, language, size) {
  // bypassCSP: the gateway's Content-Security-Policy forbids the inline script axe-core is injected as.
  const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, locale: language, bypassCSP: true });
  const tokens = role === 'visitor' ? null : await tokensOf(accounts[role]);
  // Only when absent: the page refreshes its own tokens, and an old refresh token used again ends the session.
  await context.addInitScript(([lang, stored]) => {
    localStorage.setItem('derp.language', lang);
    if (stored && !localStorage.getItem('derp.tokens')) localStorage.setItem('derp.tokens', stored);
  }, [language, tokens ? JSON.stringify(tokens) : null]);
  return context;
}

/** Opens one page and returns what is wrong with it. */
async function visit(page, role, route, language, size) {
  const problems = [];
  let inFlight = 0;
  let lastActivity = Date.now();
  const onRequest = (request) => { if (['fetch', 'xhr'].includes(request.resourceType())) { inFlight++; lastActivity = Date.now(); } };
  const onDone = (request) => { if (['fetch', 'xhr'].includes(request.resourceType())) { inFlight = Math.max(0, inFlight - 1); lastActivity = Date.now(); } };
  const onConsole = (message) => {
    // A failed resource is reported below with its status, once.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push({ kind: 'console-error', detail: message.text().slice(0, 300) });
  };
  const onPageError = (error) => problems.push({ kind: 'page-error', detail: String(error.message ?? error).slice(0, 300) });
  const onResponse = (response) => {
    const request = response.request();
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/api/') || response.status() < 400 || expected(role, request, response.status())) return;
    problems.push({ kind: 'api-error', detail: `${request.method()} ${url.pathname}${url.search} -> ${response.status()}` });
  };
  const onFailed = (request) => {
    const failure = request.failure()?.errorText ?? '';
    if (!failure.includes('ERR_ABORTED')) problems.push({ kind: 'request-failed', detail: `${request.method()} ${request.url()} (${failure})` });
  };
  page.on('request', onRequest); page.on('requestfinished', onDone); page.on('requestfailed', onDone);
  page.on('console', onConsole); page.on('pageerror', onPageError); page.on('response', onResponse); page.on('requestfailed', onFailed);
  try {
    const target = route.param ? route.path.replace(/:[A-Za-z]+/, route.param(fixtures)) : route.path;
    await page.goto(`${baseUrl}${target}`, { waitUntil: 'load' });
    // Settled: no API call in flight for 400 ms (pages that poll are cut off after 8 s).
    const deadline = Date.now() + 8000;
    while (Date.now() < deadline && (inFlight > 0 || Date.now() - lastActivity < 400)) await page.waitForTimeout(100);
    const landed = new URL(page.url()).pathname;
    if (landed !== target && !(route.path === '/' && role === 'visitor')) {
      problems.push({ kind: 'redirected', detail: `opened ${target}, landed on ${landed}` });
    }
    // Each check on its own: one that cannot run is a finding, and the others and the screenshot still happen.
    const attempt = async (what, check) => {
      try { problems.push(...await check()); } catch (error) { problems.push({ kind: 'check-failed', detail: `${what}: ${String(error.message ?? error).split('\n')[0]}` }); }
    };
    await attempt('page checks', () => page.evaluate(inspectInPage, { language, allowed: allowedInChinese }));
    await attempt('axe-core', () => axeFindings(page));
    await page.screenshot({ path: join(shotDir, `${role}-${slug(route.path)}.${language}.${size.name}.png`), fullPage: true });
  } finally {
    page.off('request', onRequest); page.off('requestfinished', onDone); page.off('requestfailed', onDone);
    page.off('console', onConsole); page.off('pageerror', onPageError); page.off('response', onResponse); page.off('requestfailed', onFailed);
  }
  return problems;
}

test('every route of App.tsx is walked by this file', () => {
  const source = readFileSync(new URL('../src/App.tsx', import.meta.url), 'utf8');
  const declared = [...source.matchAll(/\bpath(?:=|:\s*)["'`]([^"'`]+)["'`]/g)].map((m) => m[1]).filter((p) => p !== '*');
  const walked = new Set(routes.map((r) => r.path));
  assert.deepEqual(declared.filter((p) => !walked.has(p)), [], 'routes in App.tsx this file does not visit: add them to `routes`');
});

// One test per role, language and size (a context each), the roles' pages one after another inside it; three at a
// time, so the walk takes minutes on two cores.
describe('every page', { concurrency: 3 }, () => {
  for (const role of ['admin', 'distributor', 'visitor', 'renter']) {
    for (const language of languages) {
      for (const size of sizes) {
        const name = `${role} ${language} ${size.width}×${size.height}`;
        // PAGES_ONLY (a regular expression on "role language size", e.g. "renter zh-CN 390") walks a part while fixing.
        if (process.env.PAGES_ONLY && !new RegExp(process.env.PAGES_ONLY).test(name)) continue;
        test(name, async (t) => {
          if (role === 'renter') await fixtures.rentalReady;
          const context = await contextFor(role, language, size);
          const page = await context.newPage();
          try {
            for (const route of routes.filter((r) => r.roles.includes(role))) {
              await t.test(route.path, async () => {
                const problems = await visit(page, role, route, language, size);
                for (const p of problems) findings.push({ role, path: route.path, language, size: `${size.width}×${size.height}`, ...p });
                const sizeName = `${size.width}×${size.height}`;
                const fresh = problems.filter((p) => !known.has(findingKey(role, route.path, language, sizeName, p.kind)));
                assert.ok(fresh.length === 0,
                  `${role} ${route.path} ${language} ${sizeName} (not in page-findings.known.txt):\n${fresh.map((p) => `  - ${p.kind}: ${p.detail}`).join('\n')}`);
              });
            }
          } finally {
            await context.close();
          }
        });
      }
    }
  }
});
