import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from './lib/api';
import { useI18n } from './lib/i18n';

/** Shows an API problem: its title, and each field error next to the form. */
export function ProblemMessage({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  if (error instanceof ApiError) {
    const { problem } = error;
    return (
      <div className="alert error" role="alert" data-code={problem.code}>
        <strong>{problem.title}</strong>
        {problem.detail && <div>{problem.detail}</div>}
        {problem.errors && (
          <ul>
            {Object.entries(problem.errors).map(([field, messages]) => (
              <li key={field}>
                {field}: {messages.join(' ')}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return <div className="alert error" role="alert">{t('error_generic')}</div>;
}

/** A form that disables itself while submitting and shows the problem that came back. */
export function Form({ onSubmit, children, submitLabel }: { onSubmit: () => Promise<void>; children: ReactNode; submitLabel: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="form">
      {children}
      <ProblemMessage error={error} />
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}

export function Field(props: { label: string; name: string; type?: string; value: string; onChange: (value: string) => void; autoComplete?: string }) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete}
        onChange={(e) => props.onChange(e.target.value)}
        required
      />
    </label>
  );
}

export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const { t } = useI18n();
  const last = Math.max(1, Math.ceil(total / pageSize));
  return (
    <div className="pager">
      <button disabled={page <= 1} onClick={() => onPage(page - 1)}>{t('previous')}</button>
      <span>
        {page} / {last} · {t('total', { n: total })}
      </span>
      <button disabled={page >= last} onClick={() => onPage(page + 1)}>{t('next')}</button>
    </div>
  );
}

/** Vertical bars in SVG (revenue per month): one bar per period, the value on hover and under each bar when few. */
export function BarChart({ bars, label, format, testId }: { bars: { label: string; value: number }[]; label: string; format: (v: number) => string; testId?: string }) {
  const width = 560, height = 180, pad = 28;
  if (bars.length === 0) return <figure className="chart"><figcaption>{label}</figcaption><p className="muted">—</p></figure>;
  const max = Math.max(...bars.map((b) => b.value), 0) || 1;
  const slot = (width - 2 * pad) / bars.length;
  const barWidth = Math.max(2, slot * 0.7);
  const y = (v: number) => height - pad - (Math.max(0, v) / max) * (height - 2 * pad);
  const labelEvery = Math.ceil(bars.length / 8);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{label} <span className="muted">max {format(max)}</span></figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
        <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} className="axis" />
        {bars.map((b, i) => {
          const x = pad + i * slot + (slot - barWidth) / 2;
          return (
            <g key={`${b.label}-${i}`}>
              <rect className="bar" x={x} y={y(b.value)} width={barWidth} height={height - pad - y(b.value)} data-value={b.value}>
                <title>{`${b.label}: ${format(b.value)}`}</title>
              </rect>
              {i % labelEvery === 0 && <text x={x + barWidth / 2} y={height - 10} className="tick" textAnchor="middle">{b.label}</text>}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** Horizontal bars (plan mix, orders by status): a label, a bar as long as the value's share of the largest, the value. */
export function HorizontalBars({ rows, label, testId }: { rows: { key: string; label: string; value: number; display: string }[]; label: string; testId?: string }) {
  const max = Math.max(...rows.map((r) => r.value), 0) || 1;
  return (
    <figure className="hbars" data-testid={testId}>
      <figcaption>{label}</figcaption>
      {rows.length === 0 && <p className="muted">—</p>}
      {rows.map((r) => (
        <div key={r.key} className="hbar" data-key={r.key}>
          <span className="hbar-label">{r.label}</span>
          <span className="hbar-track"><span style={{ width: `${(Math.max(0, r.value) / max) * 100}%` }} /></span>
          <span className="hbar-value">{r.display}</span>
        </div>
      ))}
    </figure>
  );
}

/** A headline number with what it is. */
export function Figure({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return <div className="stat figure" data-testid={testId}><strong>{value}</strong><span>{label}</span></div>;
}

/** Wide tables scroll sideways on a phone instead of squeezing their columns. */
export function ScrollTable({ children, testId }: { children: ReactNode; testId?: string }) {
  return <div className="table-scroll"><table data-testid={testId}>{children}</table></div>;
}
