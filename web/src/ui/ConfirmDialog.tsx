import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useI18n } from '../lib/i18n';
import { buttonClass, type ButtonSize, type ButtonVariant } from './Button';
import { ProblemMessage } from './Problem';

const focusable = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * The one confirmation: a modal that states what will happen, keeps the focus inside (Tab cycles), closes on Esc or
 * Cancel and gives the focus back to what opened it. onConfirm may be async: the dialog waits, and shows its problem.
 */
export function ConfirmDialog({ title, consequences, confirmLabel, variant = 'danger', onConfirm, onClose, children }: {
  title: string; consequences: ReactNode; confirmLabel?: string; variant?: ButtonVariant;
  onConfirm: () => void | Promise<void>; onClose: () => void; children?: ReactNode;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    // The safe choice has the focus first: Enter on an opened dialog cancels rather than destroys.
    dialog.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => opener?.focus?.();
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !busy) {
      event.stopPropagation();
      onClose();
    }
    if (event.key !== 'Tab' || !dialog.current) return;
    const items = [...dialog.current.querySelectorAll<HTMLElement>(focusable)];
    if (items.length === 0) return;
    const first = items[0], last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return createPortal(
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId} aria-describedby={bodyId} ref={dialog} onKeyDown={onKeyDown} data-testid="confirm-dialog">
        <h2 id={titleId}>{title}</h2>
        <div id={bodyId} className="modal-body">{consequences}</div>
        {children}
        <ProblemMessage error={error} />
        <div className="modal-actions">
          <button type="button" className={buttonClass('secondary')} onClick={onClose} disabled={busy} data-autofocus data-testid="confirm-dialog-cancel">{t('cancel')}</button>
          <button type="button" className={buttonClass(variant)} onClick={confirm} disabled={busy} data-testid="confirm-dialog-confirm">
            {busy ? t('ui_working') : confirmLabel ?? t('ui_confirm')}
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}

/** A button that asks first (ConfirmDialog) and then runs onConfirm. */
export function ConfirmButton({ label, title, consequences, confirmLabel, onConfirm, variant = 'danger', size = 'sm', testId, disabled, className }: {
  label: ReactNode; title: string; consequences: ReactNode; confirmLabel?: string; onConfirm: () => void | Promise<void>;
  variant?: ButtonVariant; size?: ButtonSize; testId?: string; disabled?: boolean; className?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={buttonClass(variant, size, className)} onClick={() => setOpen(true)} data-testid={testId} disabled={disabled}>
        {label}
      </button>
      {open && <ConfirmDialog title={title} consequences={consequences} confirmLabel={confirmLabel} variant={variant} onConfirm={onConfirm} onClose={() => setOpen(false)} />}
    </>
  );
}
