// Problems (RFC 7807) as people read them: the message of the problem's code in the UI language, a countdown when the
// service says when to try again, and field errors under their fields (Field reads them from the Form around it).
import { createContext, useContext, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, type Problem } from '../lib/api';
import { useI18n, type Language } from '../lib/i18n';
import { isRetryLater, problemMessage } from '../lib/problems';

/** A field's errors in a problem, the field name matched without regard to case (the services write camelCase). */
export function fieldErrors(error: unknown, field: string): string[] | undefined {
  if (!(error instanceof ApiError) || !error.problem.errors) return undefined;
  const key = Object.keys(error.problem.errors).find((k) => k.toLowerCase() === field.toLowerCase());
  return key ? error.problem.errors[key] : undefined;
}

/** What a field error says: the service's own sentence in English; in Chinese a fixed line (the sentence is English). */
export const fieldErrorText = (messages: string[], language: Language, fallback: string) => (language === 'en' ? messages.join(' ') : fallback);

function Countdown({ seconds }: { seconds: number }) {
  const { t } = useI18n();
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    setLeft(seconds);
    const timer = setInterval(() => setLeft((s) => Math.max(0, s - 1)), 1000);
    return () => clearInterval(timer);
  }, [seconds]);
  return <div className="retry-countdown" data-testid="retry-countdown">{left > 0 ? t('ui_retryIn', { s: left }) : t('ui_retryNow')}</div>;
}

const FormFields = createContext<{ error: unknown; shown: Set<string> } | null>(null);

/** Shows an API problem by its code; field errors not shown under a Field of the surrounding Form are listed. */
export function ProblemMessage({ error }: { error: unknown }) {
  const { t, language } = useI18n();
  const form = useContext(FormFields);
  if (!error) return null;
  if (error instanceof ApiError) {
    const problem: Problem = error.problem;
    const unplaced = Object.entries(problem.errors ?? {}).filter(([field]) => !form?.shown.has(field.toLowerCase()));
    return (
      <div className="alert error" role="alert" data-code={problem.code}>
        <strong>{problemMessage(problem.code, language, problem)}</strong>
        {/* The detail is the service's English sentence: useful in English, noise in Chinese. */}
        {language === 'en' && problem.detail && !isRetryLater(problem) && <div>{problem.detail}</div>}
        {isRetryLater(problem) && <Countdown seconds={problem.retryAfter!} />}
        {unplaced.length > 0 && (
          <ul>
            {unplaced.map(([field, messages]) => (
              <li key={field}>
                <span className="mono">{field}</span>: {fieldErrorText(messages, language, t('ui_fieldInvalid'))}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return <div className="alert error" role="alert">{t('error_generic')}</div>;
}

/** A form that disables itself while submitting and shows the problem that came back (field errors under the fields). */
export function Form({ onSubmit, children, submitLabel, className, testId }: { onSubmit: () => Promise<void>; children: ReactNode; submitLabel: string; className?: string; testId?: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const shown = useRef(new Set<string>()).current;
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
    <FormFields.Provider value={{ error, shown }}>
      <form onSubmit={submit} className={className ?? 'form'} data-testid={testId} aria-busy={busy}>
        {children}
        <ProblemMessage error={error} />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {submitLabel}
        </button>
      </form>
    </FormFields.Provider>
  );
}

export function Field(props: {
  label: string; name: string; type?: string; value: string; onChange: (value: string) => void; autoComplete?: string;
  /** An error of its own; otherwise the surrounding Form's problem's errors for `name`. */
  error?: string; required?: boolean; hint?: ReactNode; placeholder?: string; className?: string;
}) {
  const { t, language } = useI18n();
  const form = useContext(FormFields);
  const key = props.name.toLowerCase();
  useEffect(() => {
    if (!form) return;
    form.shown.add(key);
    return () => {
      form.shown.delete(key);
    };
  }, [form, key]);
  const fromForm = fieldErrors(form?.error, props.name);
  const error = props.error ?? (fromForm ? fieldErrorText(fromForm, language, t('ui_fieldInvalid')) : undefined);
  const errorId = `field-error-${props.name}`;
  return (
    <label className={['field', error ? 'invalid' : '', props.className ?? ''].filter(Boolean).join(' ')}>
      <span>{props.label}</span>
      <input
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
        required={props.required ?? true}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {props.hint && <small className="field-hint">{props.hint}</small>}
      {error && <small className="field-error" id={errorId} data-testid="field-error">{error}</small>}
    </label>
  );
}
