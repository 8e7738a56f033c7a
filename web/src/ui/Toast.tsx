// Toasts live in a module-level store (not a context), so useToast works anywhere — also in a component rendered
// without the shell in a test — and <Toaster/> (mounted once in App) shows them.
import { useEffect, useState } from 'react';
import { ApiError } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { problemMessage } from '../lib/problems';

export interface ToastItem {
  id: number;
  kind: 'success' | 'error';
  message: string;
}

let toasts: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<(items: ToastItem[]) => void>();

function publish(next: ToastItem[]) {
  toasts = next;
  listeners.forEach((listener) => listener(toasts));
}

export function dismissToast(id: number) {
  publish(toasts.filter((toast) => toast.id !== id));
}

function push(kind: ToastItem['kind'], message: string) {
  const id = nextId++;
  publish([...toasts.slice(-3), { id, kind, message }]);
  // Errors stay longer: they are read, successes only glanced at.
  setTimeout(() => dismissToast(id), kind === 'error' ? 9000 : 4500);
}

/** `success(message)` and `error(errorOrMessage)`: an ApiError shows its problem message in the UI language. */
export function useToast() {
  const { language, t } = useI18n();
  return {
    success: (message: string) => push('success', message),
    error: (error: unknown) =>
      push('error', typeof error === 'string' ? error : error instanceof ApiError ? problemMessage(error.problem.code, language, error.problem) : t('error_generic')),
  };
}

export function Toaster() {
  const { t } = useI18n();
  const [items, setItems] = useState(toasts);
  useEffect(() => {
    listeners.add(setItems);
    return () => {
      listeners.delete(setItems);
    };
  }, []);
  return (
    <div className="toaster" aria-label={t('ui_notifications')}>
      {items.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'} data-testid={`toast-${toast.kind}`}>
          <span>{toast.message}</span>
          <button type="button" className="toast-close" aria-label={t('ui_close')} onClick={() => dismissToast(toast.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
