// The whole chain on real parts: a redeemed serial becomes a rental (users), three relay containers on the demo
// hosts (servers: sshd + podman), a policy (acl) the renter reads and downloads in the portal, and relay admission
// through a relay's port that lets only the renter's own device through: the relay asks acl with its own token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
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

/** Connects to a relay's DERP port with a node key; resolves with the relay's first answer line ("ok" or "denied"). */
function connectThroughRelay(port, key) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(`${key}\n`));
    let received = '';
    socket.setTimeout(30000, () => socket.destroy(new Error(`no answer from the relay on ${port}`)));
    socket.on('data', (chunk) => {
      received += chunk;
      if (received.includes('\n')) {
        socket.destroy();
        resolve(received.split('\n')[0]);
      }
    });
    socket.on('error', reject);
    socket.on('end', () => resolve(received.split('\n')[0]));
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
    // "running" is the engine's word for the process having started; the relay listens a moment later (and the
    // port forwarder with it), so the probe is asked until it answers.
    const probe = await eventually(`relay on port ${port} answering its probe`, async () => {
      try {
        return (await (await fetch(`http://127.0.0.1:${port}/derp/probe`)).text()).trim();
      } catch {
        return null;
      }
    }, 30000);
    assert.equal(probe, 'ok');
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

  // Admission through a real connection to a relay: the relay asks acl (through the gateway) with its own token for
  // the node key the client sends first (the stand-in's handshake, deploy/relay-standin/derper).
  const relayPort = containers[0].Ports.find((p) => p.Type === 'tcp').PublicPort;
  assert.equal(await connectThroughRelay(relayPort, key), 'ok');
  assert.equal(await connectThroughRelay(relayPort, nodeKey()), 'denied');

  // Admins see the hosts, the renter's containers and the download in the logs.
  const adminPage = await browser.newPage();
  await loginInBrowser(adminPage, adminAccount);
  await adminPage.goto(`${baseUrl}/admin/servers`);
  await adminPage.getByTestId('hosts').waitFor();
  assert.ok((await adminPage.getByTestId('hosts').locator('tbody tr').count()) >= 3);
  await adminPage.screenshot({ path: join(screenshots, 'e2e-admin-servers.png'), fullPage: true });
  await adminPage.goto(`${baseUrl}/admin/containers`);
  await adminPage.fill('input[placeholder]', me.id);
  await eventually('the renter\'s containers', async () => (await adminPage.getByTestId('containers').locator('tbody tr').count()) === 3, 30000);
  await adminPage.goto(`${baseUrl}/admin/policy-logs`);
  await adminPage.getByRole('button', { name: /下载记录|Downloads/ }).click();
  await adminPage.getByTestId('download-log').getByText('e2e-machine').first().waitFor();
  await adminPage.screenshot({ path: join(screenshots, 'e2e-admin-policy-logs.png'), fullPage: true });
  await adminPage.close();
});
