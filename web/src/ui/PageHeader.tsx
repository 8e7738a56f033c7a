import { useEffect, type ReactNode } from 'react';
import { claimPageTitle } from './title';

/** Sets document.title to `${title} · Derp` while the component is shown. */
export function usePageTitle(title: string) {
  useEffect(() => claimPageTitle(title), [title]);
}

/** The page's heading, a line under it and its main actions (on the right; under the title on a phone). */
export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  usePageTitle(title);
  return (
    <div className="page-header">
      <div className="page-header-text">
        <h1>{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-header-actions">{actions}</div>}
    </div>
  );
}
