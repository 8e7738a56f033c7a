// Storefront auto-delivery for its owner (a distributor, or an admin as themselves): delivery cards per type, pool
// lines for data cards, keyword rules, API keys for the shop's bot (shown once), the delivery log, a dry run and
// low-stock alerts. Everything is under /api/distribution/storefront and only ever the caller's own.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { NavLink } from 'react-router-dom';
import { Form, Pager, ProblemMessage, ScrollTable } from '../components';
import { api, type Paged } from '../lib/api';
import { isAdmin, useAuth } from '../lib/auth';
import {
  headersText, parseHeaders, parseLines, type ApiKey, type Card, type CreatedApiKey, type Delivery, type DryRunResult, type LowStockAlert, type Rule,
} from '../lib/distribution';
import { itemsOf, planName, type Plan } from '../lib/finance';
import { useI18n, type MessageKey } from '../lib/i18n';
import { CardTypes, DeliveryStatuses, type CardType } from '../lib/vocabulary.generated';
import { Check, Select, TextInput } from './FinanceAdminShared';
import { CopyButton, when } from './FinancePages';
import { pagedPath, pageSize, useLoad } from '../lib/load';
import { AdminDistributionNav } from './DistributionAdminPages';
import { distributionApi, DistributorNav, localProblem, StatusBadge } from './DistributionPages';

const storefrontApi = `${distributionApi}/storefront`;

export function StorefrontNav() {
  const { t } = useI18n();
  const links: [string, MessageKey][] = [
    ['/distribution/storefront', 'cards'], ['/distribution/storefront/rules', 'rules'], ['/distribution/storefront/keys', 'apiKeys'],
    ['/distribution/storefront/deliveries', 'deliveries'], ['/distribution/storefront/dry-run', 'dryRun'], ['/distribution/storefront/alerts', 'lowStock'],
  ];
  return (
    <nav className="subnav" aria-label={t('storefront')}>
      {links.map(([to, key]) => <NavLink key={to} to={to} end>{t(key)}</NavLink>)}
    </nav>
  );
}

function StorefrontSection({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  const { user } = useAuth();
  return (
    <section className="card" data-testid={testId}>
      {user?.role === 'distributor' && <DistributorNav />}
      {isAdmin(user) && <AdminDistributionNav />}
      <StorefrontNav />
      <h1>{title}</h1>
      {children}
    </section>
  );
}

function useCards() {
  const loaded = useLoad<Card[] | Paged<Card>>(`${storefrontApi}/cards`);
  return { ...loaded, cards: loaded.data ? itemsOf(loaded.data) : null };
}

// ---------------------------------------------------------------- cards

const emptyCard = {
  name: '', type: 'text' as CardType, enabled: true, delaySeconds: '0', specName: '', specValue: '', planId: '', template: '', imageUrl: '',
  apiUrl: '', apiMethod: 'POST', apiHeaders: '', apiBody: '', apiTimeoutSeconds: '10', apiRetries: '0', apiResponseField: '', lowStockThreshold: '0',
};

function cardForm(card: Card): typeof emptyCard {
  return {
    name: card.name, type: card.type, enabled: card.enabled, delaySeconds: String(card.delaySeconds), specName: card.specName ?? '',
    specValue: card.specValue ?? '', planId: card.planId ?? '', template: card.template ?? '', imageUrl: card.imageUrl ?? '',
    apiUrl: card.api?.url ?? '', apiMethod: card.api?.method ?? 'POST', apiHeaders: headersText(card.api?.headers), apiBody: card.api?.body ?? '',
    apiTimeoutSeconds: String(card.api?.timeoutSeconds ?? 10), apiRetries: String(card.api?.retries ?? 0), apiResponseField: card.api?.responseField ?? '',
    lowStockThreshold: String(card.lowStockThreshold),
  };
}

/** The card as the API takes it: only the fields of its type. */
function cardBody(form: typeof emptyCard, invalidHeaders: string) {
  let headers: Record<string, string> | null = null;
  if (form.type === 'api') {
    try {
      headers = parseHeaders(form.apiHeaders);
    } catch {
      throw localProblem('invalid_headers', invalidHeaders);
    }
  }
  return {
    name: form.name.trim(), type: form.type, enabled: form.enabled, delaySeconds: Number(form.delaySeconds),
    specName: form.specName.trim() || null, specValue: form.specValue.trim() || null,
    planId: form.type === 'serial' ? form.planId || null : null,
    template: form.type === 'text' ? form.template : null,
    imageUrl: form.type === 'image' ? form.imageUrl.trim() : null,
    api: form.type === 'api'
      ? { url: form.apiUrl.trim(), method: form.apiMethod, headers, body: form.apiBody.trim() || null, timeoutSeconds: Number(form.apiTimeoutSeconds), retries: Number(form.apiRetries), responseField: form.apiResponseField.trim() }
      : null,
    lowStockThreshold: Number(form.lowStockThreshold),
  };
}

function CardEditor({ card, plans, onSaved, onCancel }: { card: Card | null; plans: Plan[]; onSaved: () => Promise<void>; onCancel: () => void }) {
  const { t, language, label } = useI18n();
  const [form, setForm] = useState(() => (card ? cardForm(card) : emptyCard));
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    setForm(card ? cardForm(card) : emptyCard);
    if (card) box.current?.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
  }, [card]);
  const set = <K extends keyof typeof emptyCard>(key: K) => (value: (typeof emptyCard)[K]) => setForm((f) => ({ ...f, [key]: value }));
  return (
    <div className="rental" data-testid="card-editor" ref={box}>
      <h2>{card ? `${t('editCard')}: ${card.name}` : t('newCard')}</h2>
      <Form submitLabel={card ? t('save') : t('create')} onSubmit={async () => {
        const body = cardBody(form, t('invalidHeaders'));
        await api(card ? `${storefrontApi}/cards/${card.id}` : `${storefrontApi}/cards`, { method: card ? 'PUT' : 'POST', body });
        if (!card) setForm(emptyCard);
        await onSaved();
      }}>
        <div className="form grid">
          <TextInput label={t('cardName')} name="name" value={form.name} onChange={set('name')} required />
          <Select label={t('cardType')} name="type" value={form.type} options={CardTypes} optionLabel={(c) => label('cardType', c)}
            onChange={(type) => set('type')(type as CardType)} />
          <TextInput label={t('delaySeconds')} name="delaySeconds" type="number" value={form.delaySeconds} onChange={set('delaySeconds')} required />
          <TextInput label={t('specName')} name="specName" value={form.specName} onChange={set('specName')} />
          <TextInput label={t('specValue')} name="specValue" value={form.specValue} onChange={set('specValue')} />
          <TextInput label={t('lowStockThreshold')} name="lowStockThreshold" type="number" value={form.lowStockThreshold} onChange={set('lowStockThreshold')} required />
          <Check label={t('enabledLabel')} name="enabled" checked={form.enabled} onChange={set('enabled')} />
          {form.type === 'serial' && (
            <label className="field"><span>{t('plan')}</span>
              <select name="planId" value={form.planId} required onChange={(e) => set('planId')(e.target.value)}>
                <option value="">—</option>
                {plans.map((p) => <option key={p.id} value={p.id}>{planName(p, language)}</option>)}
              </select>
            </label>
          )}
          {form.type === 'text' && (
            <label className="field wide"><span>{t('template')}</span>
              <textarea name="template" rows={4} required value={form.template} onChange={(e) => set('template')(e.target.value)} />
              <small className="muted-text">{t('templateHint')}</small>
            </label>
          )}
          {form.type === 'image' && <TextInput label={t('imageUrl')} name="imageUrl" type="url" value={form.imageUrl} onChange={set('imageUrl')} required />}
          {form.type === 'api' && (
            <>
              <TextInput label={t('apiUrl')} name="apiUrl" type="url" value={form.apiUrl} onChange={set('apiUrl')} required />
              <Select label={t('apiMethod')} name="apiMethod" value={form.apiMethod} options={['GET', 'POST'] as const} optionLabel={(m) => m} onChange={set('apiMethod')} />
              <TextInput label={t('timeoutSeconds')} name="apiTimeoutSeconds" type="number" value={form.apiTimeoutSeconds} onChange={set('apiTimeoutSeconds')} required />
              <TextInput label={t('retries')} name="apiRetries" type="number" value={form.apiRetries} onChange={set('apiRetries')} required />
              <TextInput label={t('responseField')} name="apiResponseField" value={form.apiResponseField} onChange={set('apiResponseField')} required />
              <label className="field wide"><span>{t('apiHeaders')}</span>
                <textarea name="apiHeaders" rows={3} value={form.apiHeaders} onChange={(e) => set('apiHeaders')(e.target.value)} />
              </label>
              <label className="field wide"><span>{t('apiBody')}</span>
                <textarea name="apiBody" rows={3} value={form.apiBody} onChange={(e) => set('apiBody')(e.target.value)} />
              </label>
            </>
          )}
        </div>
      </Form>
      {card && <button type="button" className="link" onClick={onCancel}>{t('cancel')}</button>}
    </div>
  );
}

/** A data card's pool: pasted lines, one item each. */
function AddLines({ card, onAdded }: { card: Card; onAdded: () => Promise<void> }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [added, setAdded] = useState<number | null>(null);
  return (
    <details className="rental" data-testid="add-lines">
      <summary><strong>{t('addLines')}: {card.name}</strong></summary>
      {added !== null && <p className="alert success">{t('linesAdded', { n: added })}</p>}
      <Form submitLabel={t('addLines')} onSubmit={async () => {
        const lines = parseLines(text);
        setAdded(null);
        await api(`${storefrontApi}/cards/${card.id}/lines`, { method: 'POST', body: { lines } });
        setText('');
        setAdded(lines.length);
        await onAdded();
      }}>
        <label className="field"><span>{t('pasteLines')}</span>
          <textarea name="lines" rows={6} required value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      </Form>
    </details>
  );
}

export function StorefrontCardsPage() {
  const { t, label } = useI18n();
  const { cards, error, reload } = useCards();
  const plans = useLoad<Plan[] | Paged<Plan>>('/api/finance/plans');
  const [editing, setEditing] = useState<Card | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const remove = async (card: Card) => {
    if (!window.confirm(t('confirmDeleteCard', { name: card.name }))) return;
    setActionError(null);
    try {
      await api(`${storefrontApi}/cards/${card.id}`, { method: 'DELETE' });
      if (editing?.id === card.id) setEditing(null);
      await reload();
    } catch (e) {
      setActionError(e);
    }
  };
  return (
    <StorefrontSection title={t('cards')} testId="storefront-cards">
      <ProblemMessage error={error ?? actionError} />
      {cards && (cards.length === 0 ? <p className="muted-text">{t('noEntries')}</p> : (
        <ScrollTable testId="cards">
          <thead><tr><th>{t('cardName')}</th><th>{t('cardType')}</th><th>{t('spec')}</th><th>{t('delaySeconds')}</th><th>{t('stock')}</th><th>{t('status')}</th><th /></tr></thead>
          <tbody>
            {cards.map((c) => (
              <tr key={c.id} data-testid="card-row" data-card-id={c.id} data-type={c.type}>
                <td>{c.name}</td>
                <td><span className="badge">{label('cardType', c.type)}</span></td>
                <td>{c.specName ? `${c.specName}: ${c.specValue ?? ''}` : '—'}</td>
                <td>{c.delaySeconds}</td>
                <td>{c.stock ?? '—'}</td>
                <td>{c.enabled ? <span className="badge status-active">{t('enabledLabel')}</span> : <span className="badge status-disabled">{t('disabledLabel')}</span>}</td>
                <td className="actions">
                  <button type="button" className="small" onClick={() => setEditing(c)}>{t('edit')}</button>
                  <button type="button" className="small danger" onClick={() => remove(c)}>{t('delete')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      ))}
      {cards?.filter((c) => c.type === 'data').map((c) => <AddLines key={c.id} card={c} onAdded={reload} />)}
      <CardEditor card={editing} plans={plans.data ? itemsOf(plans.data) : []} onSaved={async () => { setEditing(null); await reload(); }} onCancel={() => setEditing(null)} />
    </StorefrontSection>
  );
}

// ---------------------------------------------------------------- rules

export function StorefrontRulesPage() {
  const { t } = useI18n();
  const { cards } = useCards();
  const rules = useLoad<Rule[] | Paged<Rule>>(`${storefrontApi}/rules`);
  const [form, setForm] = useState({ keyword: '', cardId: '', priority: '0' });
  const [actionError, setActionError] = useState<unknown>(null);
  const cardName = (id: string) => cards?.find((c) => c.id === id)?.name ?? id.slice(0, 8);
  const list = rules.data ? [...itemsOf(rules.data)].sort((a, b) => b.priority - a.priority) : null;
  return (
    <StorefrontSection title={t('rules')} testId="storefront-rules">
      <ProblemMessage error={rules.error ?? actionError} />
      {list && (list.length === 0 ? <p className="muted-text">{t('noEntries')}</p> : (
        <ScrollTable testId="rules">
          <thead><tr><th>{t('keyword')}</th><th>{t('card')}</th><th>{t('priority')}</th><th /></tr></thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id} data-testid="rule-row">
                <td>{r.keyword}</td><td>{cardName(r.cardId)}</td><td>{r.priority}</td>
                <td><button type="button" className="small danger" onClick={async () => {
                  if (!window.confirm(t('confirmDelete'))) return;
                  setActionError(null);
                  try {
                    await api(`${storefrontApi}/rules/${r.id}`, { method: 'DELETE' });
                    await rules.reload();
                  } catch (e) {
                    setActionError(e);
                  }
                }}>{t('delete')}</button></td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      ))}
      <div className="rental" data-testid="rule-form">
        <h2>{t('newRule')}</h2>
        <Form submitLabel={t('create')} onSubmit={async () => {
          await api(`${storefrontApi}/rules`, { method: 'POST', body: { keyword: form.keyword.trim(), cardId: form.cardId, priority: Number(form.priority) } });
          setForm({ keyword: '', cardId: form.cardId, priority: '0' });
          await rules.reload();
        }}>
          <div className="form grid">
            <TextInput label={t('keyword')} name="keyword" value={form.keyword} onChange={(keyword) => setForm({ ...form, keyword })} required />
            <label className="field"><span>{t('card')}</span>
              <select name="cardId" value={form.cardId} required onChange={(e) => setForm({ ...form, cardId: e.target.value })}>
                <option value="">—</option>
                {(cards ?? []).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
            </label>
            <TextInput label={t('priority')} name="priority" type="number" value={form.priority} onChange={(priority) => setForm({ ...form, priority })} required />
          </div>
        </Form>
      </div>
    </StorefrontSection>
  );
}

// ---------------------------------------------------------------- API keys

export function StorefrontKeysPage() {
  const { t, language } = useI18n();
  const keys = useLoad<ApiKey[] | Paged<ApiKey>>(`${storefrontApi}/keys`);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const revoke = async (key: ApiKey) => {
    if (!window.confirm(t('confirmRevoke', { name: key.name }))) return;
    setActionError(null);
    try {
      await api(`${storefrontApi}/keys/${key.id}`, { method: 'DELETE' });
      await keys.reload();
    } catch (e) {
      setActionError(e);
    }
  };
  return (
    <StorefrontSection title={t('apiKeys')} testId="storefront-keys">
      {created && (
        <div className="alert info" data-testid="new-key">
          <p><strong>{t('keyShownOnce')}</strong></p>
          <p><span className="mono" data-testid="new-key-value">{created.key}</span> <CopyButton text={created.key} /></p>
          <button type="button" className="small" onClick={() => setCreated(null)}>{t('cancel')}</button>
        </div>
      )}
      <div data-testid="key-form">
        <Form submitLabel={t('createKey')} onSubmit={async () => {
          setCreated(null);
          setCreated(await api<CreatedApiKey>(`${storefrontApi}/keys`, { method: 'POST', body: { name: name.trim() } }));
          setName('');
          await keys.reload();
        }}>
          <TextInput label={t('keyName')} name="name" value={name} onChange={setName} required />
        </Form>
      </div>
      <ProblemMessage error={keys.error ?? actionError} />
      {keys.data && (itemsOf(keys.data).length === 0 ? <p className="muted-text">{t('noEntries')}</p> : (
        <ScrollTable testId="keys">
          <thead><tr><th>{t('keyName')}</th><th>{t('createdAt')}</th><th>{t('lastUsed')}</th><th>{t('status')}</th><th /></tr></thead>
          <tbody>
            {itemsOf(keys.data).map((k) => (
              <tr key={k.id} data-testid="key-row" data-revoked={Boolean(k.revokedAt)}>
                <td>{k.name}{k.prefix && <> <span className="mono muted">{k.prefix}…</span></>}</td>
                <td>{when(k.createdAt, language)}</td>
                <td>{when(k.lastUsedAt, language)}</td>
                <td>{k.revokedAt ? <span className="badge status-disabled">{t('revoked')} {when(k.revokedAt, language)}</span> : <span className="badge status-active">{t('enabledLabel')}</span>}</td>
                <td>{!k.revokedAt && <button type="button" className="small danger" data-testid="revoke-key" onClick={() => revoke(k)}>{t('revoke')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      ))}
    </StorefrontSection>
  );
}

// ---------------------------------------------------------------- deliveries, dry run, alerts

export function DeliveriesTable({ deliveries }: { deliveries: Delivery[] }) {
  const { t, language } = useI18n();
  if (deliveries.length === 0) return <p className="muted-text">{t('noEntries')}</p>;
  return (
    <ScrollTable testId="deliveries">
      <thead><tr><th>{t('createdAt')}</th><th>{t('channel')}</th><th>{t('externalOrderId')}</th><th>{t('itemTitle')}</th><th>{t('spec')}</th><th>{t('quantity')}</th><th>{t('status')}</th><th>{t('readyAt')}</th><th>{t('content')}</th></tr></thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id} data-testid="delivery-row" data-status={d.status}>
            <td>{when(d.createdAt, language)}</td>
            <td>{d.channel}</td>
            <td className="mono">{d.externalOrderId}</td>
            <td className="wrap">{d.itemTitle ?? d.itemId}{d.cardName && <div className="muted">{d.cardName}</div>}</td>
            <td>{d.spec ?? '—'}</td>
            <td>{d.quantity}</td>
            <td><StatusBadge group="deliveryStatus" status={d.status} /></td>
            <td>{when(d.readyAt, language)}</td>
            <td className="wrap mono pre-line">{d.failureReason ? <span className="amount-negative">{t('failureReason')}: {d.failureReason}</span> : d.items.join('\n')}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

export function StorefrontDeliveriesPage() {
  const { t, label } = useI18n();
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const { data, error } = useLoad<Paged<Delivery>>(pagedPath(`${storefrontApi}/deliveries`, page, { status }));
  return (
    <StorefrontSection title={t('deliveries')} testId="storefront-deliveries">
      <div className="toolbar">
        <select aria-label={t('status')} value={status} onChange={(e) => { setStatus(e.target.value); setPage(1); }}>
          <option value="">{t('allStatuses')}</option>
          {DeliveryStatuses.map((s) => <option key={s} value={s}>{label('deliveryStatus', s)}</option>)}
        </select>
      </div>
      <ProblemMessage error={error} />
      {data && (
        <>
          <DeliveriesTable deliveries={data.items} />
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </StorefrontSection>
  );
}

export function StorefrontDryRunPage() {
  const { t, label } = useI18n();
  const [form, setForm] = useState({ itemTitle: '', spec: '', quantity: '1' });
  const [result, setResult] = useState<DryRunResult | null>(null);
  return (
    <StorefrontSection title={t('dryRun')} testId="storefront-dry-run">
      <p className="muted-text">{t('dryRunHint')}</p>
      <Form submitLabel={t('runDry')} onSubmit={async () => {
        setResult(null);
        setResult(await api<DryRunResult>(`${storefrontApi}/dry-run`, {
          method: 'POST', body: { itemTitle: form.itemTitle.trim(), spec: form.spec.trim() || undefined, quantity: Number(form.quantity) },
        }));
      }}>
        <div className="form grid">
          <TextInput label={t('itemTitle')} name="itemTitle" value={form.itemTitle} onChange={(itemTitle) => setForm({ ...form, itemTitle })} required />
          <TextInput label={t('spec')} name="spec" value={form.spec} onChange={(spec) => setForm({ ...form, spec })} />
          <TextInput label={t('quantity')} name="quantity" type="number" value={form.quantity} onChange={(quantity) => setForm({ ...form, quantity })} required />
        </div>
      </Form>
      {result && (
        <div className="rental" data-testid="dry-run-result">
          <h2>{t('dryRunResult')}</h2>
          {!result.cardId ? <p data-code="no_match">{t('noMatch')}{result.failureReason && `: ${result.failureReason}`}</p> : (
            <>
              <p>{t('card')}: <strong>{result.cardName ?? result.cardId}</strong>{result.type && <> <span className="badge">{label('cardType', result.type)}</span></>}
                {result.delaySeconds ? <> · {t('delaySeconds')}: {result.delaySeconds}</> : null}</p>
              {result.available !== null && <p className="muted-text">{t('stock')}: {result.available}</p>}
              {result.failureReason && <p className="alert error">{t('failureReason')}: {result.failureReason}</p>}
              <pre className="policy">{result.items.join('\n')}</pre>
            </>
          )}
        </div>
      )}
    </StorefrontSection>
  );
}

export function StorefrontAlertsPage() {
  const { t, language } = useI18n();
  const { data, error } = useLoad<LowStockAlert[] | Paged<LowStockAlert>>(`${storefrontApi}/alerts`);
  const list = data ? itemsOf(data) : null;
  return (
    <StorefrontSection title={t('lowStock')} testId="storefront-alerts">
      <ProblemMessage error={error} />
      {list && (list.length === 0 ? <p className="alert success">{t('noAlerts')}</p> : (
        <ScrollTable testId="low-stock">
          <thead><tr><th>{t('card')}</th><th>{t('remaining')}</th><th>{t('threshold')}</th><th>{t('time')}</th></tr></thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.id} data-testid="low-stock-row"><td>{a.cardName ?? a.cardId.slice(0, 8)}</td><td className="amount-negative">{a.remaining}</td><td>{a.threshold}</td><td>{when(a.raisedAt, language)}</td></tr>
            ))}
          </tbody>
        </ScrollTable>
      ))}
    </StorefrontSection>
  );
}
