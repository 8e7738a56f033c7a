// The operation log must record the client's address, not the gateway's: the client binds to its own loopback
// address, the gateway forwards it in X-Forwarded-For, and the users service trusts only the gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

const baseUrl = new URL(process.env.BASE_URL ?? 'http://127.0.0.1:8080');
const clientAddress = '127.0.0.77';

function request(method, path, body, { token, localAddress, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({
      host: baseUrl.hostname, port: baseUrl.port, path, method, localAddress,
      headers: { ...(payload ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, json: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

test('a failed login is logged with the real client address even when the client claims another', async () => {
  const failed = await request('POST', '/api/users/login', { email: process.env.ADMIN_EMAIL, password: 'not-the-password-1' },
    { localAddress: clientAddress, headers: { 'X-Forwarded-For': '203.0.113.9' } });
  assert.equal(failed.status, 401);

  const login = await request('POST', '/api/users/login', { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD });
  assert.equal(login.status, 200);
  const audit = await request('GET', '/api/audit?action=login_failed&pageSize=50', undefined, { token: login.json.accessToken });
  assert.equal(audit.status, 200);
  const addresses = audit.json.items.map((entry) => entry.ip);
  assert.ok(addresses.includes(clientAddress), `expected ${clientAddress} in ${addresses}`);
  assert.ok(!addresses.includes('203.0.113.9'));
});
