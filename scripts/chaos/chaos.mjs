// Fault cases run against a platform copy (started by scripts/chaos.sh), each measured and judged, printed as a table.
// Faults are applied to this copy only: its RabbitMQ virtual host, its PostgreSQL sessions, its own forwarders in front
// of Redis and SMTP, its processes and its relay containers — never the machine-wide servers other copies use.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { admin, apiCall, engine, eventually, login, newRenter, waitForCode } from '../../web/e2e/platform-api.mjs';

const env = process.env;
const stateDir = env.DERP_STATE_DIR;
const vhost = env.CHAOS_VHOST;
const dbSuffix = env.DERP_DB_SUFFIX;
const outageSeconds = Number(env.CHAOS_OUTAGE_SECONDS ?? 60);
const only = env.CHAOS_CASES ? env.CHAOS_CASES.split(',') : null;
const results = [];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sh = (file, ...args) => execFileSync(file, args, { encoding: 'utf8' });
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const items = (json) => (Array.isArray(json) ? json : (json?.items ?? []));

async function runCase(name, expectation, body) {
  if (only && !only.includes(name)) return;
  process.stdout.write(`[chaos] ${name}: ${expectation}\n`);
  const started = Date.now();
  try {
    const { measured, ok } = await body();
    results.push({ name, expectation, measured, result: ok ? 'held' : 'FAILED' });
  } catch (error) {
    results.push({ name, expectation, measured: `error after ${seconds(Date.now() - started)}: ${error.message}`, result: 'FAILED' });
  }
  process.stdout.write(`[chaos]   -> ${results.at(-1).result}: ${results.at(-1).measured}\n`);
}

const adminToken = await login(admin);

async function rentalSerials(count, prefix = `C${Math.floor(Math.random() * 90000) + 10000}`) {
  const batch = await apiCall('POST', '/api/serials/batches', { prefix, count, kind: 'rental', durationDays: 30 }, adminToken);
  if (batch.status !== 201) throw new Error(`batch: ${batch.status}`);
  const list = await apiCall('GET', `/api/serials?batchId=${batch.json.batchId}&pageSize=500`, null, adminToken);
  return list.json.items.map((s) => s.fullCode);
}

async function licenceSerial(prefix) {
  const batch = await apiCall('POST', '/api/serials/batches', { prefix, count: 1, kind: 'licence', durationDays: 30 }, adminToken);
  if (batch.status !== 201) throw new Error(`licence batch: ${batch.status}`);
  return (await apiCall('GET', `/api/serials?batchId=${batch.json.batchId}`, null, adminToken)).json.items[0].fullCode;
}

async function renters(count) {
  const made = [];
  for (let i = 0; i < count; i++) {
    const account = await newRenter();
    const token = await login(account);
    const me = (await apiCall('GET', '/api/users/me', null, token)).json;
    made.push({ ...account, token, id: me.id });
  }
  return made;
}

/** A renter is served when three relays run on the engine and policy version 1 exists. */
async function served(renter) {
  const relays = await engine(`/containers/json?filters=${encodeURIComponent(JSON.stringify({ label: [`derp.renter=${renter.id}`] }))}`);
  if (relays.length !== 3 || !relays.every((c) => c.State === 'running')) return false;
  const versions = await apiCall('GET', '/api/acl/me/versions', null, renter.token);
  return versions.status === 200 && items(versions.json).length >= 1;
}

/** Cuts this copy off RabbitMQ: its virtual host refuses the user, and its open connections are closed. */
function brokerCut() {
  sh('rabbitmqctl', '-q', 'clear_permissions', '-p', vhost, 'guest');
  for (const line of sh('rabbitmqctl', '-q', 'list_connections', 'pid', 'vhost').split('\n')) {
    const [pid, connectionVhost] = line.trim().split(/\s+/);
    if (connectionVhost === vhost) {
      try { sh('rabbitmqctl', '-q', 'close_connection', pid, 'chaos: broker outage'); } catch { /* already gone */ }
    }
  }
}
const brokerRestore = () => sh('rabbitmqctl', '-q', 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');

await runCase('broker-outage', `RabbitMQ away ${outageSeconds} s during 10 redemptions: all served exactly once after it returns`, async () => {
  const people = await renters(10);
  const codes = await rentalSerials(10);
  brokerCut();
  let statuses;
  try {
    statuses = await Promise.all(people.map((p, i) => apiCall('POST', '/api/serials/redeem', { code: codes[i] }, p.token).then((r) => r.status)));
    await sleep(outageSeconds * 1000);
  } finally {
    brokerRestore();
  }
  const back = Date.now();
  await eventually('every renter served', async () => (await Promise.all(people.map(served))).every(Boolean), 300000, 2000);
  const readyAfter = Date.now() - back;
  const periods = await Promise.all(people.map(async (p) => (await apiCall('GET', '/api/users/me/rental', null, p.token)).json.history.length));
  const versions = await Promise.all(people.map(async (p) => items((await apiCall('GET', '/api/acl/me/versions', null, p.token)).json).length));
  const ok = statuses.every((s) => s === 200) && periods.every((n) => n === 1) && versions.every((n) => n === 1);
  return { ok, measured: `redeems ${statuses.join(',')}; all served ${seconds(readyAfter)} after the broker returned; periods ${periods.join('')}, policy versions ${versions.join('')}` };
});

await runCase('relay-killed', 'a killed relay runs again (or is replaced) within 2 minutes; the API shows the engine state', async () => {
  const [renter] = await renters(1);
  const [code] = await rentalSerials(1);
  await apiCall('POST', '/api/serials/redeem', { code }, renter.token);
  await eventually('served', () => served(renter), 120000, 1000);
  const [victim] = await engine(`/containers/json?filters=${encodeURIComponent(JSON.stringify({ label: [`derp.renter=${renter.id}`] }))}`);
  await engine(`/containers/${victim.Id}/kill`, 'POST');
  const killed = Date.now();
  // One loop watches both: when the engine runs the relay again, and whether the API ever showed it not running.
  let shownDown = null;
  const back = await eventually('the killed relay running again', async () => {
    const shown = items((await apiCall('GET', `/api/servers/containers?userId=${renter.id}`, null, adminToken)).json);
    if (shownDown === null && shown.some((c) => c.state !== 'running')) shownDown = Date.now() - killed;
    const inspected = await engine(`/containers/${victim.Id}/json`);
    return inspected?.State?.Running ? Date.now() - killed : null;
  }, 300000, 1000);
  await eventually('three running relays', () => served(renter), 60000, 1000);
  const ok = back <= 120000;
  return { ok, measured: `running again ${seconds(back)} after the kill; the API showed it not running ${shownDown === null ? 'never (observed and restarted in one pass)' : `after ${seconds(shownDown)}`}` };
});

await runCase('redis-hung', 'Redis paused: validation, login, registration and redemption answer within 2 s, no 5xx; readiness stays green', async () => {
  const licence = await licenceSerial('CHL');
  const [renter] = await renters(1);
  const forwarder = Number(readFileSync(`${stateDir}/redis-forwarder.pid`, 'utf8'));
  process.kill(-forwarder, 'SIGSTOP'); // the whole group: the listener and its connection handlers
  const timings = [];
  try {
    const time = async (what, call) => {
      const started = Date.now();
      const status = (await call()).status;
      timings.push({ what, ms: Date.now() - started, status });
    };
    for (let i = 0; i < 3; i++) {
      await time('validate', () => apiCall('POST', '/api/validate', { code: licence, machine_code: 'CHAOS', nonce: `chaos-${Date.now()}-${i}` }));
      await time('login', () => apiCall('POST', '/api/users/login', { email: renter.email, password: renter.password }));
      await time('register', () => apiCall('POST', '/api/users/register', { email: `chaos-${Date.now()}-${i}@derp.test`, username: `ch${Date.now()}${i}`, password: 'chaos-password-42' }));
      await time('redeem', () => apiCall('POST', '/api/serials/redeem', { code: `NOPE-${Date.now()}` }, renter.token));
    }
    const ready = await fetch(`http://127.0.0.1:${env.DERP_SERIALS_PORT}/health/ready`);
    timings.push({ what: 'serials ready', ms: 0, status: ready.status });
  } finally {
    process.kill(-forwarder, 'SIGCONT');
  }
  const worst = Math.max(...timings.map((t) => t.ms));
  const ok = worst < 2000 && timings.every((t) => t.status < 500);
  const per = [...new Set(timings.map((t) => t.what))].map((w) => `${w} ${Math.max(...timings.filter((t) => t.what === w).map((t) => t.ms))} ms/${timings.find((t) => t.what === w).status}`);
  return { ok, measured: `slowest ${worst} ms: ${per.join(', ')}` };
});

await runCase('smtp-down', 'SMTP away 20 s: registration answers 201 and the code arrives once SMTP is back', async () => {
  const forwarder = Number(readFileSync(`${stateDir}/smtp-forwarder.pid`, 'utf8'));
  process.kill(-forwarder, 'SIGSTOP'); // the whole group: the listener and its connection handlers
  const email = `chaos-smtp-${Date.now()}@derp.test`;
  let status;
  try {
    status = (await apiCall('POST', '/api/users/register', { email, username: `cs${Date.now()}`, password: 'chaos-password-42' })).status;
    await sleep(20000);
  } finally {
    process.kill(-forwarder, 'SIGCONT');
  }
  const back = Date.now();
  const code = await waitForCode(email, 180000).catch(() => null);
  return { ok: status === 201 && code !== null, measured: `register ${status}; code ${code ? `arrived ${seconds(Date.now() - back)} after SMTP returned` : 'never arrived'}` };
});

await runCase('postgres-sessions-killed', 'the copy\'s PostgreSQL sessions killed 3 times under load: a few failures at most, none after, nothing lost', async () => {
  const licence = await licenceSerial('CHP');
  let stop = false;
  let total = 0;
  let failed = 0;
  let failedAfter = 0;
  let lastKill = Infinity;
  const worker = async () => {
    while (!stop) {
      const status = (await apiCall('POST', '/api/validate', { code: licence, machine_code: 'CHAOS-PG' }).catch(() => ({ status: 599 }))).status;
      total++;
      if (status !== 200) { failed++; if (Date.now() > lastKill + 5000) failedAfter++; }
    }
  };
  const workers = Array.from({ length: 8 }, worker);
  for (let i = 0; i < 3; i++) {
    await sleep(4000);
    sh('runuser', '-u', 'postgres', '--', 'psql', '-qAt', '-c',
      `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname LIKE 'derp\\_%${dbSuffix}' AND pid <> pg_backend_pid()`);
    lastKill = Date.now();
  }
  await sleep(10000);
  stop = true;
  await Promise.all(workers);
  return { ok: failedAfter === 0 && failed < total * 0.05, measured: `${failed} of ${total} requests failed, ${failedAfter} more than 5 s after the last kill` };
});

await runCase('serials-kill-9', 'serials killed (-9) during 20 concurrent redemptions: no serial used without a rental', async () => {
  const people = await renters(20);
  const codes = await rentalSerials(20);
  const burst = Promise.all(people.map((p, i) => apiCall('POST', '/api/serials/redeem', { code: codes[i] }, p.token).then((r) => r.status).catch(() => 'refused')));
  await sleep(150);
  const pid = Number(readFileSync(`${stateDir}/pids/serials.pid`, 'utf8'));
  process.kill(pid, 'SIGKILL');
  const statuses = await burst;
  sh('bash', '-c', 'DERP_NO_BUILD=1 scripts/platform.sh up >/dev/null');
  const used = items((await apiCall('GET', `/api/serials?status=used&pageSize=500&prefix=${codes[0].split('-')[0]}`, null, adminToken)).json);
  const usedCodes = new Set(used.map((s) => s.fullCode));
  const orphans = await eventually('each used serial to have a rental', async () => {
    const missing = [];
    for (const [i, p] of people.entries()) {
      if (!usedCodes.has(codes[i])) continue;
      const rental = await apiCall('GET', '/api/users/me/rental', null, p.token);
      if (rental.status !== 200) missing.push(codes[i]);
    }
    return missing.length === 0 ? [] : null;
  }, 120000, 2000).catch(() => ['(some)']);
  const ok200 = statuses.filter((s) => s === 200).length;
  return { ok: orphans.length === 0, measured: `${ok200} answered 200, ${usedCodes.size} serials used, ${orphans.length === 0 ? 'every used serial has a rental' : 'used serials without a rental'}` };
});

await runCase('soak', `${env.CHAOS_SOAK_SECONDS ?? 60} s at 50 validations/s: no failures, memory of each service before/after`, async () => {
  const licence = await licenceSerial('CHS');
  const rss = () => Object.fromEntries(['users', 'serials', 'acl', 'servers', 'gateway'].map((name) => {
    const pid = readFileSync(`${stateDir}/pids/${name}.pid`, 'utf8').trim();
    return [name, Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024)];
  }));
  const before = rss();
  const duration = Number(env.CHAOS_SOAK_SECONDS ?? 60) * 1000;
  const started = Date.now();
  let sent = 0;
  let failed = 0;
  const pending = [];
  while (Date.now() - started < duration) {
    pending.push(apiCall('POST', '/api/validate', { code: licence, machine_code: 'CHAOS-SOAK' }).then((r) => { if (r.status !== 200) failed++; }).catch(() => { failed++; }));
    sent++;
    await sleep(20);
  }
  await Promise.all(pending);
  const after = rss();
  const memory = Object.keys(before).map((k) => `${k} ${before[k]}→${after[k]} MiB`).join(', ');
  return { ok: failed === 0, measured: `${failed} of ${sent} failed; RSS ${memory}` };
});

const width = (key) => Math.max(key.length, ...results.map((r) => r[key].length));
const [n, e, m] = [width('name'), Math.min(width('expectation'), 70), Math.min(width('measured'), 110)];
console.log(`\n${'case'.padEnd(n)}  ${'expected'.padEnd(e)}  ${'result'.padEnd(6)}  measured`);
for (const r of results) console.log(`${r.name.padEnd(n)}  ${r.expectation.slice(0, e).padEnd(e)}  ${r.result.padEnd(6)}  ${r.measured}`);
const failures = results.filter((r) => r.result !== 'held').length;
console.log(`\nchaos: ${results.length - failures} held, ${failures} failed`);
process.exit(failures ? 1 : 0);
