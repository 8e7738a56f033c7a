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
