import { useEffect, useState } from 'react';
import { useI18n } from '../lib/i18n';

async function copyText(value: string) {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(value);
    return;
  }
  // Plain http (a LAN address) has no clipboard API: the old way still works there.
  const area = Object.assign(document.createElement('textarea'), { value });
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

/** Copies a code, key, order number, memo or host:port, and says so for two seconds. */
export function CopyButton({ value, label, testId }: { value: string; label?: string; testId?: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      className="btn btn-ghost btn-sm copy-button"
      data-testid={testId}
      aria-label={label ? t('ui_copyValue', { label }) : t('copy')}
      onClick={async () => {
        try {
          await copyText(value);
          setCopied(true);
        } catch {
          setCopied(false);
        }
      }}
    >
      <span aria-live="polite">{copied ? `✓ ${t('copied')}` : t('copy')}</span>
    </button>
  );
}
