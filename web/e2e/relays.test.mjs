// The whole chain on real parts: a redeemed serial becomes a rental (users), three relay containers on the demo
// hosts (servers: sshd + podman), a policy (acl) the renter reads and downloads in the portal, and relay admission
// that lets only the renter's own device through, with the servers service's token checked by acl.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { admin as adminAccount, apiCall, baseUrl, launch, loginInBrowser, newRenter, screenshots } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());

const login = async ({ email, password }) => (await apiCall('POST', '/api/users/login', { email, password })).json.accessToken;
const nodeKey = () => `nodekey:${[...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;

/** The engine's view (what runs on the demo hosts), over its unix socket. */
function engine(path) {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: '/run/podman/podman.sock', path: `/v1.41${path}` }, (res) => {
      let body = '';
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
    req.end();
  });
}

async function eventually(what, check, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test('a redeemed serial becomes three running relays, a policy in the portal, and admission for the renter\'s device only', async () => {
  const adminToken = await login(adminAccount);
  const prefix = `R${Math.floor(Math.random() * 90000) + 10000}`;
  const batch = await apiCall('POST', '/api/serials/batches', { prefix, count: 1, kind: 'rental', durationDays: 30, trafficQuotaGb: 50 }, adminToken);
  assert.equal(batch.status, 201);
  const serials = await apiCall('GET', `/api/serials?batchId=${batch.json.batchId}`, null, adminToken);
  const code = serials.json.items[0].fullCode;

  const renter = await newRenter();
  const renterToken = await login(renter);
  const key = nodeKey();
  assert.equal((await apiCall('POST', '/api/users/me/devices', { name: 'laptop', machineCode: 'e2e-machine', nodeKey: key }, renterToken)).status, 201);
  assert.equal((await apiCall('POST', '/api/serials/redeem', { code }, renterToken)).status, 200);
  const me = (await apiCall('GET', '/api/users/me', null, renterToken)).json;

  // serials -> users (rental) -> servers (containers over SSH) -> acl (policy) -> users (ready).
  const containers = await eventually('three running relays', async () => {
    const list = await engine(`/containers/json?filters=${encodeURIComponent(JSON.stringify({ label: [`derp.renter=${me.id}`] }))}`);
    return list.length === 3 && list.every((c) => c.State === 'running') ? list : null;
  });
  for (const container of containers) {
    const port = container.Ports.find((p) => p.Type === 'tcp').PublicPort;
    assert.equal((await (await fetch(`http://127.0.0.1:${port}/derp/probe`)).text()).trim(), 'ok');
  }

  const page = await browser.newPage();
  await loginInBrowser(page, renter);
  await eventually('the policy page', async () => {
    await page.goto(`${baseUrl}/policy`);
    await page.waitForLoadState('networkidle');
    return (await page.getByTestId('policy').count()) > 0;
  });
  const content = await page.getByTestId('policy-content').textContent();
  assert.match(content, /"derpMap"/);
  assert.match(content, /"OmitDefaultRegions": true/);
  for (const region of ['"900"', '"901"', '"902"']) assert.ok(content.includes(region), region);
  assert.ok(content.includes(key), 'the registered device is listed');
  await page.fill('input[placeholder]', 'e2e-machine');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载|Download/ }).click()]);
  assert.match(download.suggestedFilename(), /^derp-tailscale-policy-v1\.hujson$/);
  await page.screenshot({ path: join(screenshots, 'e2e-renter-policy.png'), fullPage: true });
  await page.close();

  // Admission as derper asks it, with the token the servers service gave the relay.
  const args = (await engine(`/containers/${containers[0].Id}/json`)).Args;
  const verifyUrl = new URL(args.find((a) => a.startsWith('-verify-client-url=')).slice('-verify-client-url='.length));
  const admit = async (nodePublic) => (await (await fetch(`${baseUrl}/api/acl/derp/admit${verifyUrl.search}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ NodePublic: nodePublic, Source: '203.0.113.9' }),
  })).json()).Allow;
  assert.equal(await admit(key), true);
  assert.equal(await admit(nodeKey()), false);

  // Admins see the hosts, the renter's containers and the download in the logs.
  const adminPage = await browser.newPage();
  await loginInBrowser(adminPage, adminAccount);
  await adminPage.goto(`${baseUrl}/admin/servers`);
  await adminPage.getByTestId('hosts').waitFor();
  assert.ok((await adminPage.getByTestId('hosts').locator('tbody tr').count()) >= 3);
  await adminPage.screenshot({ path: join(screenshots, 'e2e-admin-servers.png'), fullPage: true });
  await adminPage.goto(`${baseUrl}/admin/containers`);
  await adminPage.fill('input[placeholder]', me.id);
  await eventually('the renter\'s containers', async () => (await adminPage.getByTestId('containers').locator('tbody tr').count()) === 3, 10000);
  await adminPage.goto(`${baseUrl}/admin/policy-logs`);
  await adminPage.getByRole('button', { name: /下载记录|Downloads/ }).click();
  await adminPage.getByTestId('download-log').getByText('e2e-machine').first().waitFor();
  await adminPage.screenshot({ path: join(screenshots, 'e2e-admin-policy-logs.png'), fullPage: true });
  await adminPage.close();
});
