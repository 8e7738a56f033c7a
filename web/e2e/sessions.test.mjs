// Ended sessions end at every service, seen through the gateway as a client would (ADR-006): the access token of a
// logged-out session, and every token of a closed account, stop working within seconds, not after 15 minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, eventually, newRenter } from './platform-api.mjs';

const signIn = async ({ email, password }) => (await apiCall('POST', '/api/users/login', { email, password })).json;

test('a logged-out session\'s access token is refused by users, serials and acl; another session goes on', async () => {
  const renter = await newRenter();
  const ended = await signIn(renter);
  const other = await signIn(renter);
  assert.equal((await apiCall('GET', '/api/users/me', null, ended.accessToken)).status, 200);

  assert.equal((await apiCall('POST', '/api/users/logout', { refreshToken: ended.refreshToken }, ended.accessToken)).status, 204);

  for (const path of ['/api/users/me', '/api/acl/me']) {
    await eventually(`${path} refusing the ended session`, async () => {
      const answer = await apiCall('GET', path, null, ended.accessToken);
      return answer.status === 401 && answer.json?.code === 'session_ended';
    }, 15000, 250);
  }
  const redeem = await apiCall('POST', '/api/serials/redeem', { code: 'NO-SUCH-CODE' }, ended.accessToken);
  assert.equal(redeem.status, 401);
  assert.equal(redeem.json.code, 'session_ended');
  assert.equal((await apiCall('GET', '/api/users/me', null, other.accessToken)).status, 200);
});

test('a closed account is unauthenticated everywhere at once', async () => {
  const renter = await newRenter();
  const session = await signIn(renter);

  const closed = await apiCall('DELETE', '/api/users/me', { password: renter.password }, session.accessToken);
  assert.ok([200, 204].includes(closed.status), `closing answered ${closed.status}`);

  await eventually('serials refusing the closed account', async () => {
    const answer = await apiCall('POST', '/api/serials/redeem', { code: 'NO-SUCH-CODE' }, session.accessToken);
    return answer.status === 401 && answer.json?.code === 'session_ended';
  }, 15000, 250);
  const device = await apiCall('POST', '/api/users/me/devices', { name: 'late', machineCode: 'm', nodeKey: `nodekey:${'ab'.repeat(32)}` }, session.accessToken);
  assert.equal(device.status, 401);
});
