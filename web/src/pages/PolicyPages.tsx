import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Pager, ProblemMessage } from '../components';
import { api, ApiError, download, type Paged } from '../lib/api';
import { useI18n, type MessageKey } from '../lib/i18n';
import { GenerationTriggers } from '../lib/vocabulary.generated';

type Format = 'tailscale' | 'headscale';
interface Relay { regionId: number; regionCode: string; regionName: string; hostName: string; iPv4: string; derpPort: number; stunPort: number }
interface Policy { version: number; format: Format; trigger: string; generatedAt: string; validUntil: string; current: boolean; content: string; relays: Relay[] }
interface VersionSummary { version: number; trigger: string; generatedAt: string; validUntil: string; current: boolean }
interface GenerationEntry { id: number; userId: string; version: number; trigger: string; requestedBy: string | null; requesterIp: string | null; location: string; generatedAt: string }
interface DownloadEntry { id: number; userId: string; version: number; format: Format; ip: string; location: string; machineCode: string | null; userAgent: string; downloadedAt: string }

const when = (value: string, language: string) => new Date(value).toLocaleString(language);

/** The renter's policy: view, copy, download, history, and how to apply it. */
export function MyPolicyPage() {
  const { t, language } = useI18n();
  const [format, setFormat] = useState<Format>('tailscale');
  const [version, setVersion] = useState<number | null>(null);
  const [policy, setPolicy] = useState<Policy | null | undefined>(undefined);
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [machineCode, setMachineCode] = useState('');
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const query = new URLSearchParams({ format });
    if (version !== null) query.set('version', String(version));
    api<Policy>(`/api/acl/me?${query}`).then(
      (p) => { setPolicy(p); setError(null); },
      (e) => { setPolicy(null); setError(e instanceof ApiError && e.problem.code === 'policy_not_found' ? null : e); },
    );
  }, [format, version]);
  useEffect(() => {
    api<VersionSummary[]>('/api/acl/me/versions').then(setVersions, () => setVersions([]));
  }, []);

  const copy = async () => {
    if (!policy) return;
    await navigator.clipboard.writeText(policy.content);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  const save = async () => {
    if (!policy) return;
    const query = new URLSearchParams({ format, version: String(policy.version) });
    if (machineCode.trim()) query.set('machineCode', machineCode.trim());
    try {
      await download(`/api/acl/me/download?${query}`, format === 'headscale' ? 'derp-headscale.yaml' : 'derp-tailscale-policy.hujson');
      setError(null);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <section className="card">
        <h1>{t('myPolicy')}</h1>
        <ProblemMessage error={error} />
        {policy === undefined && !error && <p>{t('loading')}</p>}
        {policy === null && !error && <p data-testid="policy-not-ready">{t('policyNotReady')}</p>}
        <div className="toolbar">
          <select aria-label={t('format')} value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            <option value="tailscale">Tailscale (HuJSON)</option>
            <option value="headscale">headscale (YAML)</option>
          </select>
        </div>
        {policy && (
          <div data-testid="policy" data-version={policy.version}>
            <p>
              <strong>{t('policyVersion', { n: policy.version })}</strong>
              {policy.current && <span className="badge state-ready">{t('current')}</span>}{' '}
              <span className="muted">{t('policyValidUntil')}: {when(policy.validUntil, language)}</span>
            </p>
            <table>
              <thead><tr><th>{t('region')}</th><th>{t('host')}</th><th>DERP</th><th>STUN</th></tr></thead>
              <tbody>
                {policy.relays.map((r) => (
                  <tr key={r.regionId}><td>{r.regionId} · {r.regionName} ({r.regionCode})</td><td>{r.hostName} <span className="muted">{r.iPv4}</span></td><td>{r.derpPort}</td><td>{r.stunPort}</td></tr>
                ))}
              </tbody>
            </table>
            <pre className="policy" data-testid="policy-content">{policy.content}</pre>
            <div className="toolbar">
              <button onClick={copy}>{copied ? t('copied') : t('copy')}</button>
              <input aria-label={t('machineCode')} placeholder={t('machineCodeOptional')} value={machineCode} onChange={(e) => setMachineCode(e.target.value)} />
              <button onClick={save}>{t('download')}</button>
            </div>
          </div>
        )}
      </section>
      {versions.length > 0 && (
        <section className="card">
          <h2>{t('versionHistory')}</h2>
          <table>
            <thead><tr><th>{t('policyVersionCol')}</th><th>{t('trigger')}</th><th>{t('time')}</th><th>{t('policyValidUntil')}</th><th /></tr></thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version}>
                  <td>{v.version}{v.current && <span className="badge state-ready">{t('current')}</span>}</td>
                  <td>{t(`trigger_${v.trigger}` as MessageKey)}</td>
                  <td>{when(v.generatedAt, language)}</td>
                  <td>{when(v.validUntil, language)}</td>
                  <td><button className="link" onClick={() => setVersion(v.current ? null : v.version)}>{t('view')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section className="card">
        <h2>{t('howToApply')}</h2>
        <h3>Tailscale</h3>
        <ol>
          <li>{t('applyTailscale1')}</li>
          <li>{t('applyTailscale2')}</li>
          <li>{t('applyTailscale3')}</li>
        </ol>
        <h3>headscale</h3>
        <ol>
          <li>{t('applyHeadscale1')}</li>
          <li><code>derp: {'{'} urls: [], paths: [/etc/headscale/derp-derp.yaml], auto_update_enabled: false {'}'}</code></li>
          <li>{t('applyHeadscale3')}</li>
        </ol>
        <p className="muted">{t('applyDevices')} <Link to="/devices">{t('devices')}</Link></p>
      </section>
    </>
  );
}

const pageSize = 20;

/** Generation and download logs (admins: everyone; distributors: their renters). */
export function PolicyLogsPage() {
  const { t, language } = useI18n();
  const [tab, setTab] = useState<'generations' | 'downloads'>('generations');
  const [userId, setUserId] = useState('');
  const [trigger, setTrigger] = useState('');
  const [page, setPage] = useState(1);
  const [generations, setGenerations] = useState<Paged<GenerationEntry> | null>(null);
  const [downloads, setDownloads] = useState<Paged<DownloadEntry> | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    const query = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    if (userId.trim()) query.set('userId', userId.trim());
    try {
      if (tab === 'generations') {
        if (trigger) query.set('trigger', trigger);
        setGenerations(await api<Paged<GenerationEntry>>(`/api/acl/logs/generations?${query}`));
      } else {
        setDownloads(await api<Paged<DownloadEntry>>(`/api/acl/logs/downloads?${query}`));
      }
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [tab, userId, trigger, page]);
  useEffect(() => {
    load();
  }, [load]);

  const regenerate = async (id: string) => {
    try {
      await api(`/api/acl/users/${id}/regenerate`, { method: 'POST' });
      await load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="card">
      <h1>{t('policyLogs')}</h1>
      <div className="toolbar">
        <button className={tab === 'generations' ? '' : 'link'} onClick={() => { setTab('generations'); setPage(1); }}>{t('generations')}</button>
        <button className={tab === 'downloads' ? '' : 'link'} onClick={() => { setTab('downloads'); setPage(1); }}>{t('downloads')}</button>
        <input aria-label={t('userId')} placeholder={t('userId')} value={userId} onChange={(e) => { setUserId(e.target.value); setPage(1); }} />
        {tab === 'generations' && (
          <select aria-label={t('trigger')} value={trigger} onChange={(e) => { setTrigger(e.target.value); setPage(1); }}>
            <option value="">{t('trigger')}</option>
            {GenerationTriggers.map((x) => <option key={x} value={x}>{t(`trigger_${x}` as MessageKey)}</option>)}
          </select>
        )}
      </div>
      <ProblemMessage error={error} />
      {tab === 'generations' && generations && (
        <>
          <table data-testid="generation-log">
            <thead><tr><th>{t('time')}</th><th>{t('userId')}</th><th>{t('policyVersionCol')}</th><th>{t('trigger')}</th><th>{t('ip')}</th><th>{t('location')}</th><th /></tr></thead>
            <tbody>
              {generations.items.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.generatedAt, language)}</td>
                  <td><Link to={`/admin/users/${e.userId}`}>{e.userId.slice(0, 8)}</Link></td>
                  <td>{e.version}</td>
                  <td><span className="badge">{t(`trigger_${e.trigger}` as MessageKey)}</span></td>
                  <td>{e.requesterIp ?? '—'}</td>
                  <td>{e.location}</td>
                  <td><button className="link" onClick={() => regenerate(e.userId)}>{t('regenerate')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pageSize={pageSize} total={generations.total} onPage={setPage} />
        </>
      )}
      {tab === 'downloads' && downloads && (
        <>
          <table data-testid="download-log">
            <thead><tr><th>{t('time')}</th><th>{t('userId')}</th><th>{t('policyVersionCol')}</th><th>{t('format')}</th><th>{t('ip')}</th><th>{t('location')}</th><th>{t('machineCode')}</th><th>{t('userAgent')}</th></tr></thead>
            <tbody>
              {downloads.items.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.downloadedAt, language)}</td>
                  <td><Link to={`/admin/users/${e.userId}`}>{e.userId.slice(0, 8)}</Link></td>
                  <td>{e.version}</td>
                  <td>{e.format}</td>
                  <td>{e.ip}</td>
                  <td>{e.location}</td>
                  <td>{e.machineCode ?? '—'}</td>
                  <td className="muted">{e.userAgent}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pageSize={pageSize} total={downloads.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
