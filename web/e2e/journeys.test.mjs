// The two journeys of issue 14 as their users walk them, in a real browser on real parts:
// - a renter (Chinese, phone): registers, verifies with the mailed code, redeems a serial, watches the three relays
//   come up on the home page, registers a device and copies the policy;
// - an operator (English, laptop): sees a failing host on the overview, opens it, sees its relays, resolves the alert.
//   The host fails as a real one does: it was registered through an SSH forwarder that this test then closes, so the
//   servers service's health checks stop reaching it (the e2e copy checks hosts every 5 s: Servers__Jobs__Health).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { admin as adminAccount, apiCall, baseUrl, eventually, launch, loginInBrowser, newRenter, screenshots, waitForCode } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());

const phone = { width: 390, height: 844 };
const laptop = { width: 1440, height: 900 };
const shot = (page, name) => page.screenshot({ path: join(screenshots, `journey-${name}.png`), fullPage: true });
const login = async (account) => (await apiCall('POST', '/api/users/login', account)).json.accessToken;
const items = (json) => (Array.isArray(json) ? json : json?.items ?? []);

async function newPage(viewport, language) {
  const context = await browser.newContext({ viewport, locale: language, permissions: ['clipboard-read', 'clipboard-write'] });
  await context.addInitScript((lang) => { if (!localStorage.getItem('derp.language')) localStorage.setItem('derp.language', lang); }, language);
  return context.newPage();
}

async function rentalSerial(adminToken, prefix) {
  const batch = await apiCall('POST', '/api/serials/batches', { prefix, count: 1, kind: 'rental', durationDays: 30, trafficQuotaGb: 50 }, adminToken);
  assert.equal(batch.status, 201);
  return (await apiCall('GET', `/api/serials?batchId=${batch.json.batchId}`, null, adminToken)).json.items[0].fullCode;
}

test('a renter registers, verifies, redeems, watches the relays come up, registers a device and copies the policy', async () => {
  const adminToken = await login(adminAccount);
  const code = await rentalSerial(adminToken, `J${Math.floor(Math.random() * 90000) + 10000}`);
  const page = await newPage(phone, 'zh-CN');
  const email = `journey-${Date.now()}@derp.test`;
  const password = 'journey-password-42';

  // Register and verify with the code from the mail.
  await page.goto(`${baseUrl}/register`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=username]', `j${Date.now()}`);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/verify\?email=/);
  await page.fill('input[name=code]', await waitForCode(email));
  await page.locator('form').first().locator('button[type=submit]').click();
  await page.waitForURL(/\/login/);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.getByTestId('dashboard').waitFor();

  // Redeem.
  await page.goto(`${baseUrl}/redeem`);
  await page.fill('input[name=code]', code);
  await page.click('button[type=submit]');
  await page.getByTestId('redeemed').waitFor();

  // The home page shows the relays being set up and then all three running (it polls on its own: no reload here).
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('renter-home').waitFor();
  const relays = page.getByTestId('relay');
  await eventually('three relays on the home page', async () => (await relays.count()) === 3, 60000);
  await shot(page, 'renter-relays-coming-up');
  await eventually('the three relays running and answering', async () => {
    const states = await relays.evaluateAll((list) => list.map((r) => r.getAttribute('data-state')));
    return states.length === 3 && states.every((s) => s === 'running');
  }, 180000, 1000);
  await shot(page, 'renter-relays-up');

  // Register a device (relays refuse unknown node keys).
  await page.goto(`${baseUrl}/devices`);
  const key = `nodekey:${createHash('sha256').update(email).digest('hex')}`;
  const form = page.locator('form', { has: page.locator('input[name=nodeKey]') });
  await form.locator('input[name=name]').fill('手机');
  await form.locator('input[name=machineCode]').fill('journey-machine');
  await form.locator('input[name=nodeKey]').fill(key);
  await form.locator('button[type=submit]').click();
  await page.getByText('journey-machine').first().waitFor();

  // Copy the policy: what lands on the clipboard is the policy with the relays and the device.
  await page.goto(`${baseUrl}/policy`);
  const policy = page.getByTestId('policy');
  await eventually('the policy with the device', async () => {
    await page.reload();
    await policy.waitFor();
    return (await page.getByTestId('policy-content').textContent()).includes(key);
  }, 60000, 1000);
  await policy.getByRole('button', { name: /复制/ }).first().click();
  const copied = await eventually('the policy on the clipboard', async () => {
    const text = await page.evaluate(() => navigator.clipboard.readText());
    return text.includes('"derpMap"') ? text : null;
  }, 10000);
  assert.ok(copied.includes(key), 'the copied policy lists the device');
  await shot(page, 'renter-policy-copied');
  await page.context().close();
});

/** A TCP forwarder to a demo host's sshd that the test can cut, taking its open connections with it. */
async function forwarder(targetPort) {
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    for (const s of [client, upstream]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => {}); }
    client.pipe(upstream).pipe(client);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    cut: () => new Promise((resolve) => { server.close(resolve); for (const s of sockets) s.destroy(); }),
  };
}

test('an operator sees a failing host on the overview, opens it and its relays, and resolves the alert', async () => {
  const adminToken = await login(adminAccount);
  const sshDir = process.env.DERP_SSH_DIR ?? '/var/tmp/derp/ssh';
  const hostKey = readFileSync(join(sshDir, 'host_ed25519_key.pub'), 'utf8').trim();
  const fingerprint = `SHA256:${createHash('sha256').update(Buffer.from(hostKey.split(' ')[1], 'base64')).digest('base64').replace(/=+$/, '')}`;
  const demo = (await apiCall('GET', '/api/servers', null, adminToken)).json;
  const demoDetail = (await apiCall('GET', `/api/servers/${demo[0].id}`, null, adminToken)).json;
  const relayPorts = Number(process.env.DERP_RELAY_FIRST_PORT ?? 34000) + 3000; // past the three demo hosts' blocks
  const link = await forwarder(demoDetail.sshPort);
  const name = `journey-${Date.now() % 100000}`;
  let hostId;
  try {
    const created = await apiCall('POST', '/api/servers', {
      name, publicIp: '127.0.0.1', hostName: null, regionCode: 'jr', regionName: 'Journey', location: null, cloudAccount: null,
      sshHost: '127.0.0.1', sshPort: link.port, sshUser: demoDetail.sshUser, sshPrivateKey: readFileSync(join(sshDir, 'platform_ed25519'), 'utf8'),
      hostKeyFingerprint: fingerprint, dockerSocket: demoDetail.dockerSocket, capacity: 5, portRangeStart: relayPorts, portRangeEnd: relayPorts + 99,
      monthlyTrafficGb: null,
    }, adminToken);
    assert.equal(created.status, 201, JSON.stringify(created.json));
    hostId = created.json.id;

    // A renter whose relays are placed now: the new, empty host is the least loaded, so one of them goes there.
    const renter = await newRenter();
    const renterToken = await login(renter);
    const renterId = (await apiCall('GET', '/api/users/me', null, renterToken)).json.id;
    assert.equal((await apiCall('POST', '/api/serials/redeem', { code: await rentalSerial(adminToken, `O${Math.floor(Math.random() * 90000) + 10000}`) }, renterToken)).status, 200);
    await eventually('a relay running on the new host', async () =>
      items((await apiCall('GET', `/api/servers/containers?serverId=${hostId}`, null, adminToken)).json).some((c) => c.userId === renterId && c.state === 'running'), 180000, 1000);

    // The host stops answering.
    await link.cut();
    await eventually('the host unhealthy', async () => (await apiCall('GET', `/api/servers/${hostId}`, null, adminToken)).json.status === 'unhealthy', 120000, 1000);

    const page = await newPage(laptop, 'en');
    await loginInBrowser(page, adminAccount);
    // Overview: the hosts tile says one is not healthy, and an open alert is counted in the navigation.
    await page.goto(`${baseUrl}/admin`);
    const hostsTile = page.getByTestId('stat-healthy-hosts');
    await hostsTile.waitFor();
    await shot(page, 'operator-overview');
    await page.getByTestId('nav-alert-count').waitFor();
    await hostsTile.click();
    // The hosts list: the failing host, then its page.
    const row = page.getByTestId('hosts').locator('tr', { hasText: name });
    await row.waitFor();
    await row.getByRole('link').first().click();
    await page.waitForURL(new RegExp(`/admin/servers/${hostId}`));
    // Its relays: the renter's relay on it.
    const relays = page.getByTestId('host-relays');
    await relays.waitFor();
    assert.ok((await relays.locator('tbody tr, [data-testid=relay-row]').count()) >= 1, 'the host\'s relays are listed');
    await shot(page, 'operator-failing-host');
    // The host's alert, resolved with its confirmation.
    const alert = page.locator('[data-testid=alert-row][data-type=host_unhealthy]').first();
    await alert.waitFor();
    await alert.getByTestId('resolve-alert').click();
    await page.getByTestId('confirm-dialog-confirm').click();
    await alert.waitFor({ state: 'detached' });
    const open = items((await apiCall('GET', '/api/alerts?resolved=false&pageSize=100', null, adminToken)).json);
    assert.ok(!open.some((a) => a.serverId === hostId && a.type === 'host_unhealthy'), 'the alert is resolved');
    await shot(page, 'operator-alert-resolved');
    await page.context().close();
  } finally {
    await link.cut().catch(() => {});
    if (hostId) await apiCall('DELETE', `/api/servers/${hostId}`, null, adminToken);
  }
});
