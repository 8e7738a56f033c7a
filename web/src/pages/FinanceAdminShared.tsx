// Pieces the admin finance pages share: the finance sub-navigation, small labelled inputs, action panels, typed
// amounts, and the audit table.
import { useState, type ReactNode } from 'react';
import { NavLink } from 'react-router-dom';
import { Form, ScrollTable } from '../components';
import { ApiError } from '../lib/api';
import { dayOf, type FinanceAuditEntry } from '../lib/finance';
import { useI18n, type MessageKey } from '../lib/i18n';
import { parseYuan } from '../lib/money';
import { type PaymentChannel } from '../lib/vocabulary.generated';
import { when } from './FinancePages';

/** The channels an admin confirms by hand (the provider ones arrive as notifications, the wallet one from renters). */
export const manualChannels: PaymentChannel[] = ['alipay_transfer', 'wechat_transfer', 'other'];

/** A typed amount as cents, or a problem shown like the API's own (role=alert, with a code). */
export function requireYuan(text: string, message: string, options: { allowNegative?: boolean } = {}): number {
  const cents = parseYuan(text, options);
  if (cents === null) throw new ApiError({ status: 400, code: 'invalid_amount', title: message });
  return cents;
}

/** Now, as the value of an <input type=datetime-local>. */
export function localNow(): string {
  const now = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${dayOf(now)}T${two(now.getHours())}:${two(now.getMinutes())}`;
}

export const isoOfLocal = (value: string) => new Date(value).toISOString();

export function AdminFinanceNav() {
  const { t } = useI18n();
  const links: [string, MessageKey][] = [
    ['/admin/finance', 'financeDashboard'], ['/admin/finance/plans', 'plans'], ['/admin/finance/orders', 'orders'],
    ['/admin/finance/receipts', 'receipts'], ['/admin/finance/wallets', 'wallets'], ['/admin/finance/donations', 'donations'],
    ['/admin/finance/settlements', 'settlements'], ['/admin/finance/settings', 'paymentSettings'], ['/admin/finance/audit', 'audit'],
  ];
  return (
    <nav className="subnav" aria-label={t('finance')}>
      {links.map(([to, key]) => <NavLink key={to} to={to} end={to === '/admin/finance'}>{t(key)}</NavLink>)}
    </nav>
  );
}

export function AdminFinanceSection({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="card" data-testid={testId}>
      <AdminFinanceNav />
      <h1>{title}</h1>
      {children}
    </section>
  );
}

/** An action that opens to a small form; after it succeeds the page reloads. */
export function ActionPanel({ title, testId, submitLabel, onSubmit, children }: { title: string; testId: string; submitLabel: string; onSubmit: () => Promise<void>; children: ReactNode }) {
  const [done, setDone] = useState(false);
  const { t } = useI18n();
  return (
    <details className="rental" data-testid={testId}>
      <summary><strong>{title}</strong></summary>
      {done && <p className="alert success">{t('saved')}</p>}
      <Form submitLabel={submitLabel} onSubmit={async () => { setDone(false); await onSubmit(); setDone(true); }}>{children}</Form>
    </details>
  );
}

export function TextInput({ label, name, value, onChange, required, type }: { label: string; name: string; value: string; onChange: (v: string) => void; required?: boolean; type?: string }) {
  return (
    <label className="field"><span>{label}</span>
      <input name={name} type={type ?? 'text'} value={value} required={required} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

export function Select<T extends string>({ label, name, value, options, optionLabel, onChange, empty }: {
  label: string; name: string; value: string; options: readonly T[]; optionLabel: (v: T) => string; onChange: (v: string) => void; empty?: string;
}) {
  return (
    <label className="field"><span>{label}</span>
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        {empty !== undefined && <option value="">{empty}</option>}
        {options.map((o) => <option key={o} value={o}>{optionLabel(o)}</option>)}
      </select>
    </label>
  );
}

export function Check({ label, name, checked, onChange }: { label: string; name: string; checked: boolean; onChange: (v: boolean) => void }) {
  return <label className="check"><input type="checkbox" name={name} checked={checked} onChange={(e) => onChange(e.target.checked)} />{label}</label>;
}

/** An audit entry's details (the JSON text the service stored) as "key: value · key: value"; anything else as it is. */
export function auditDetails(detailsJson: string | null): string {
  if (!detailsJson) return '';
  try {
    const details: unknown = JSON.parse(detailsJson);
    if (details === null || typeof details !== 'object' || Array.isArray(details)) return String(details);
    return Object.entries(details)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
      .join(' · ');
  } catch {
    return detailsJson;
  }
}

export function AuditTable({ entries }: { entries: FinanceAuditEntry[] }) {
  const { t, language, label } = useI18n();
  if (entries.length === 0) return <p className="muted-text">{t('noEntries')}</p>;
  return (
    <ScrollTable testId="finance-audit">
      <thead><tr><th>{t('time')}</th><th>{t('action')}</th><th>{t('actor')}</th><th>{t('ip')}</th><th>{t('detail')}</th></tr></thead>
      <tbody>
        {entries.map((a) => (
          <tr key={a.id}>
            <td>{when(a.createdAt, language)}</td>
            <td><span className="badge">{label('financeAudit', a.action)}</span></td>
            <td className="mono">{a.actorId?.slice(0, 8)}</td>
            <td>{a.actorIp}</td>
            <td className="muted wrap" title={a.detailsJson ?? undefined}>{auditDetails(a.detailsJson)}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}
