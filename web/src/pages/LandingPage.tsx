// The front door for visitors: what is rented (three relays in three regions and a tailnet policy), the plans on sale
// (GET /api/finance/plans answers anonymously), how to buy (here, or a card key from a distributor), sign in/register.
import { LinkButton, PageHeader, Skeleton } from '../components';
import type { Plan } from '../lib/finance';
import { useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import { formatCents } from '../lib/money';

function PlanList() {
  const { t, language } = useI18n();
  const { data, error } = useLoad<Plan[]>('/api/finance/plans');
  if (!data) return error ? <p className="muted-text">{t('landing_plansEmpty')}</p> : <Skeleton rows={2} />;
  const onSale = data.filter((plan) => plan.sell && !plan.retired).sort((a, b) => a.sortOrder - b.sortOrder);
  if (onSale.length === 0) return <p className="muted-text">{t('landing_plansEmpty')}</p>;
  return (
    <div className="plans">
      {onSale.map((plan) => (
        <div key={plan.id} className="plan-card" data-testid="landing-plan">
          <h3>{language === 'en' ? plan.nameEn : plan.nameZh}{plan.soldOut && <span className="badge tone-neutral">{t('landing_soldOut')}</span>}</h3>
          <span className="price">{formatCents(plan.priceCents, plan.currency)}</span>
          <span>{t('landing_days', { n: plan.durationDays })}</span>
          <span className="muted-text">{plan.trafficQuotaGb > 0 ? t('landing_traffic', { n: plan.trafficQuotaGb }) : t('landing_unlimited')}</span>
        </div>
      ))}
    </div>
  );
}

export function LandingPage() {
  const { t } = useI18n();
  return (
    <div className="landing" data-testid="landing">
      <section className="hero">
        <PageHeader title={t('landing_title')} subtitle={t('landing_lead')} />
        <div className="row-actions">
          <LinkButton to="/register" variant="primary">{t('landing_start')}</LinkButton>
          <LinkButton to="/login" variant="secondary">{t('landing_haveAccount')}</LinkButton>
        </div>
      </section>
      <section aria-labelledby="landing-what">
        <h2 id="landing-what">{t('landing_whatTitle')}</h2>
        <div className="features">
          <div className="feature card">
            <h3>{t('landing_relaysTitle')}</h3>
            <p>{t('landing_relaysText')}</p>
          </div>
          <div className="feature card">
            <h3>{t('landing_policyTitle')}</h3>
            <p>{t('landing_policyText')}</p>
          </div>
          <div className="feature card">
            <h3>{t('landing_devicesTitle')}</h3>
            <p>{t('landing_devicesText')}</p>
          </div>
        </div>
      </section>
      <section aria-labelledby="landing-plans">
        <h2 id="landing-plans">{t('landing_plansTitle')}</h2>
        <PlanList />
      </section>
      <section aria-labelledby="landing-buy" className="card">
        <h2 id="landing-buy">{t('landing_buyTitle')}</h2>
        <ol className="steps">
          <li>{t('landing_buyOnline')}</li>
          <li>{t('landing_buyCard')}</li>
        </ol>
        <p className="muted-text">{t('landing_buyDistributor')}</p>
      </section>
    </div>
  );
}
