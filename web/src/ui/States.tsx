import type { ReactNode } from 'react';
import { useI18n } from '../lib/i18n';
import { ProblemMessage } from './Problem';

/** Grey bars where a list or card will be, while it loads. */
export function Skeleton({ rows = 3 }: { rows?: number }) {
  const { t } = useI18n();
  return (
    <div className="skeleton" aria-busy="true" role="status" aria-label={t('ui_loadingTable')} data-testid="skeleton">
      {Array.from({ length: rows }, (_, i) => <div key={i} className="skeleton-row" style={{ width: `${92 - (i % 3) * 14}%` }} />)}
    </div>
  );
}

/** Nothing to show yet, why, and what to do about it. */
export function EmptyState({ title, hint, action }: { title: string; hint?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state" data-testid="empty-state">
      <p className="empty-title">{title}</p>
      {hint && <p className="empty-hint">{hint}</p>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}

/** Whether loaded data is an empty list or an empty page of a list. */
export function isEmpty(data: unknown): boolean {
  if (Array.isArray(data)) return data.length === 0;
  if (data && typeof data === 'object' && 'items' in data && Array.isArray((data as { items: unknown }).items)) return (data as { items: unknown[] }).items.length === 0;
  return false;
}

/**
 * What a useLoad result shows: a skeleton while loading, the problem when loading failed, the empty state when the
 * answer is an empty list or page, else the children (a function of the data, or plain nodes).
 */
export function Loading<T>({ state, skeletonRows, empty, children }: {
  state: { data: T | null; error: unknown }; skeletonRows?: number; empty?: ReactNode; children: ReactNode | ((data: T) => ReactNode);
}) {
  const { t } = useI18n();
  const { data, error } = state;
  if (data === null || data === undefined) return error ? <ProblemMessage error={error} /> : <Skeleton rows={skeletonRows} />;
  const body = typeof children === 'function' ? (children as (data: T) => ReactNode)(data) : children;
  return (
    <>
      {error ? <ProblemMessage error={error} /> : null}
      {isEmpty(data) ? empty ?? <EmptyState title={t('ui_emptyList')} /> : body}
    </>
  );
}
