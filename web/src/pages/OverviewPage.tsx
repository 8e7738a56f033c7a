// Placeholder for the operator overview (route /admin): the `overview` helper replaces this file's content.
import { LinkButton, PageHeader } from '../components';
import { useI18n } from '../lib/i18n';

export function OverviewPage() {
  const { t } = useI18n();
  return (
    <section className="card">
      <PageHeader title={t('nav_overview')} subtitle={t('adminIntro')} />
      <div className="row-actions">
        <LinkButton to="/admin/rentals">{t('rentals')}</LinkButton>
        <LinkButton to="/admin/servers">{t('servers')}</LinkButton>
        <LinkButton to="/admin/alerts">{t('alerts')}</LinkButton>
        <LinkButton to="/admin/finance">{t('finance')}</LinkButton>
      </div>
    </section>
  );
}
