import { Link } from 'react-router-dom';
import { isAdmin, useAuth } from '../lib/auth';
import { MyRentalCard } from './RentalPages';
import { useI18n, type MessageKey } from '../lib/i18n';

export function DashboardPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  if (!user) return null;
  const intro: MessageKey = isAdmin(user) ? 'adminIntro' : user.role === 'distributor' ? 'distributorIntro' : 'renterIntro';
  return (
    <section className="card" data-testid="dashboard" data-role={user.role}>
      <h1>{t('welcome', { name: user.username })}</h1>
      <p>
        {t('role')}: <span className="badge">{t(`roles_${user.role}` as MessageKey)}</span>
      </p>
      <p>{t(intro)}</p>
      {user.role === 'renter' && <MyRentalCard />}
      {(user.role === 'renter' || user.role === 'distributor') && (
        <p><Link to="/wallet">{t('wallet')}</Link> · <Link to="/donate">{t('donate')}</Link>{user.role === 'renter' && <> · <Link to="/orders">{t('myOrders')}</Link></>}</p>
      )}
      {user.role === 'renter' && <p><Link to="/distribution/apply">{t('becomeDistributor')}</Link></p>}
      {user.role === 'distributor' && (
        <div className="tiles">
          <Link className="tile" to="/distribution">{t('distribution')}</Link>
          <Link className="tile" to="/distribution/request">{t('requestSerials')}</Link>
          <Link className="tile" to="/distribution/storefront">{t('storefront')}</Link>
        </div>
      )}
      {isAdmin(user) && (
        <div className="tiles">
          <Link className="tile" to="/admin/serials">{t('serials')}</Link>
          <Link className="tile" to="/admin/users">{t('users')}</Link>
          <Link className="tile" to="/admin/rentals">{t('rentals')}</Link>
          <Link className="tile" to="/admin/audit">{t('audit')}</Link>
          <Link className="tile" to="/admin/finance">{t('finance')}</Link>
          <Link className="tile" to="/admin/distribution">{t('distribution')}</Link>
        </div>
      )}
    </section>
  );
}
