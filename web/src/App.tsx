import type { ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useNavigate } from 'react-router-dom';
import type { User } from './lib/api';
import { isAdmin, useAuth } from './lib/auth';
import { useI18n } from './lib/i18n';
import { AdminUsersPage, AuditPage } from './pages/AdminPages';
import { LoginPage, RegisterPage, VerifyPage } from './pages/AuthPages';
import { DashboardPage } from './pages/DashboardPage';
import {
  AdminPayoutsPage, AdminRequestsPage, ApplicationsPage, DistributorDetailPage, DistributorFinancesPage, DistributorsPage, TiersPage,
} from './pages/DistributionAdminPages';
import {
  BecomeDistributorPage, CommissionsPage, DistributorDashboardPage, MyRentersPage, MyRequestsPage, MySerialsPage, RequestSerialsPage,
} from './pages/DistributionPages';
import { AdminDonationsPage, PaymentSettingsPage, ReceiptsPage, SettlementsPage, WalletDetailPage, WalletsPage } from './pages/FinanceAdminMoneyPages';
import { AdminOrderDetailPage, AdminOrdersPage, AdminPlansPage, FinanceAuditPage, FinanceDashboardPage } from './pages/FinanceAdminPages';
import { DonatePage, MyOrdersPage, PayOrderPage, PlansPage, ThanksPage, WalletPage } from './pages/FinancePages';
import { MyPolicyPage, PolicyLogsPage } from './pages/PolicyPages';
import { AdminContainersPage, AdminServersPage, AlertsPage, ServerDetailPage } from './pages/ServersPages';
import { AccountPage, AdminRentalsPage, AdminUserDetailPage, DevicesPage } from './pages/RentalPages';
import { AdminSerialsPage, MismatchesPage, RedeemPage, SerialDetailPage } from './pages/SerialsPages';
import {
  StorefrontAlertsPage, StorefrontCardsPage, StorefrontDeliveriesPage, StorefrontDryRunPage, StorefrontKeysPage, StorefrontRulesPage,
} from './pages/StorefrontPages';

/** Who may open a page beyond being signed in: admins, distributors, or storefront owners (a distributor or an admin). */
type Audience = 'admin' | 'distributor' | 'owner';

const allowed = (user: User, audience: Audience) =>
  audience === 'admin' ? isAdmin(user) : audience === 'distributor' ? user.role === 'distributor' : user.role === 'distributor' || isAdmin(user);

function RequireUser({ admin, only, children }: { admin?: boolean; only?: Audience; children: ReactNode }) {
  const { user, loading } = useAuth();
  const { t } = useI18n();
  if (loading) return <p>{t('loading')}</p>;
  if (!user) return <Navigate to="/login" replace />;
  if (admin && !isAdmin(user)) return <Navigate to="/" replace />;
  if (only && !allowed(user, only)) return <Navigate to="/" replace />;
  return <>{children}</>;
}

function Header() {
  const { t, language, setLanguage } = useI18n();
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  return (
    <header className="topbar">
      <Link to="/" className="brand">{t('appName')}</Link>
      <nav>
        {user && <Link to="/">{t('dashboard')}</Link>}
        {user?.role === 'renter' && <Link to="/redeem">{t('redeem')}</Link>}
        {user?.role === 'renter' && <Link to="/policy">{t('myPolicy')}</Link>}
        {user?.role === 'renter' && <Link to="/devices">{t('devices')}</Link>}
        {user?.role === 'renter' && <Link to="/plans">{t('plans')}</Link>}
        {(user?.role === 'renter' || user?.role === 'distributor') && <Link to="/wallet">{t('wallet')}</Link>}
        {user?.role === 'distributor' && <Link to="/distribution" data-testid="nav-distribution">{t('distribution')}</Link>}
        {user?.role === 'renter' && <Link to="/distribution/apply">{t('becomeDistributor')}</Link>}
        {isAdmin(user) && <Link to="/admin/rentals">{t('rentals')}</Link>}
        {isAdmin(user) && <Link to="/admin/users">{t('users')}</Link>}
        {isAdmin(user) && <Link to="/admin/servers">{t('servers')}</Link>}
        {isAdmin(user) && <Link to="/admin/containers">{t('containers')}</Link>}
        {isAdmin(user) && <Link to="/admin/alerts">{t('alerts')}</Link>}
        {isAdmin(user) && <Link to="/admin/serials">{t('serials')}</Link>}
        {isAdmin(user) && <Link to="/admin/serials/mismatches">{t('mismatches')}</Link>}
        {(isAdmin(user) || user?.role === 'distributor') && <Link to="/admin/policy-logs">{t('policyLogs')}</Link>}
        {isAdmin(user) && <Link to="/admin/audit">{t('audit')}</Link>}
        {isAdmin(user) && <Link to="/admin/finance">{t('finance')}</Link>}
        {isAdmin(user) && <Link to="/admin/distribution" data-testid="nav-admin-distribution">{t('distribution')}</Link>}
      </nav>
      <div className="spacer" />
      <button className="link" onClick={() => setLanguage(language === 'zh-CN' ? 'en' : 'zh-CN')}>{t('language')}</button>
      {user ? (
        <button className="link" onClick={async () => { await logout(); navigate('/login'); }}>{t('logout')}</button>
      ) : (
        <>
          <Link to="/login">{t('login')}</Link>
          <Link to="/register">{t('register')}</Link>
        </>
      )}
    </header>
  );
}

export function App() {
  const { t } = useI18n();
  return (
    <>
      <Header />
      <main>
        <Routes>
          <Route path="/" element={<RequireUser><DashboardPage /></RequireUser>} />
          <Route path="/login" element={<LoginPage />} />
          <Route path="/register" element={<RegisterPage />} />
          <Route path="/verify" element={<VerifyPage />} />
          <Route path="/admin/users" element={<RequireUser admin><AdminUsersPage /></RequireUser>} />
          <Route path="/admin/audit" element={<RequireUser admin><AuditPage /></RequireUser>} />
          <Route path="/redeem" element={<RequireUser><RedeemPage /></RequireUser>} />
          <Route path="/policy" element={<RequireUser><MyPolicyPage /></RequireUser>} />
          <Route path="/admin/policy-logs" element={<RequireUser><PolicyLogsPage /></RequireUser>} />
          <Route path="/devices" element={<RequireUser><DevicesPage /></RequireUser>} />
          <Route path="/account" element={<RequireUser><AccountPage /></RequireUser>} />
          <Route path="/admin/servers" element={<RequireUser admin><AdminServersPage /></RequireUser>} />
          <Route path="/admin/servers/:id" element={<RequireUser admin><ServerDetailPage /></RequireUser>} />
          <Route path="/admin/containers" element={<RequireUser admin><AdminContainersPage /></RequireUser>} />
          <Route path="/admin/alerts" element={<RequireUser admin><AlertsPage /></RequireUser>} />
          <Route path="/admin/rentals" element={<RequireUser admin><AdminRentalsPage /></RequireUser>} />
          <Route path="/admin/users/:id" element={<RequireUser admin><AdminUserDetailPage /></RequireUser>} />
          <Route path="/admin/serials" element={<RequireUser admin><AdminSerialsPage /></RequireUser>} />
          <Route path="/admin/serials/mismatches" element={<RequireUser admin><MismatchesPage /></RequireUser>} />
          <Route path="/admin/serials/:id" element={<RequireUser admin><SerialDetailPage /></RequireUser>} />
          <Route path="/plans" element={<PlansPage />} />
          <Route path="/orders" element={<RequireUser><MyOrdersPage /></RequireUser>} />
          <Route path="/orders/:id" element={<RequireUser><PayOrderPage /></RequireUser>} />
          <Route path="/wallet" element={<RequireUser><WalletPage /></RequireUser>} />
          <Route path="/donate" element={<RequireUser><DonatePage /></RequireUser>} />
          <Route path="/thanks" element={<ThanksPage />} />
          <Route path="/admin/finance" element={<RequireUser admin><FinanceDashboardPage /></RequireUser>} />
          <Route path="/admin/finance/plans" element={<RequireUser admin><AdminPlansPage /></RequireUser>} />
          <Route path="/admin/finance/orders" element={<RequireUser admin><AdminOrdersPage /></RequireUser>} />
          <Route path="/admin/finance/orders/:id" element={<RequireUser admin><AdminOrderDetailPage /></RequireUser>} />
          <Route path="/admin/finance/receipts" element={<RequireUser admin><ReceiptsPage /></RequireUser>} />
          <Route path="/admin/finance/wallets" element={<RequireUser admin><WalletsPage /></RequireUser>} />
          <Route path="/admin/finance/wallets/:userId" element={<RequireUser admin><WalletDetailPage /></RequireUser>} />
          <Route path="/admin/finance/donations" element={<RequireUser admin><AdminDonationsPage /></RequireUser>} />
          <Route path="/admin/finance/settings" element={<RequireUser admin><PaymentSettingsPage /></RequireUser>} />
          <Route path="/admin/finance/settlements" element={<RequireUser admin><SettlementsPage /></RequireUser>} />
          <Route path="/admin/finance/audit" element={<RequireUser admin><FinanceAuditPage /></RequireUser>} />
          <Route path="/distribution" element={<RequireUser only="distributor"><DistributorDashboardPage /></RequireUser>} />
          <Route path="/distribution/request" element={<RequireUser only="distributor"><RequestSerialsPage /></RequireUser>} />
          <Route path="/distribution/requests" element={<RequireUser only="distributor"><MyRequestsPage /></RequireUser>} />
          <Route path="/distribution/serials" element={<RequireUser only="distributor"><MySerialsPage /></RequireUser>} />
          <Route path="/distribution/renters" element={<RequireUser only="distributor"><MyRentersPage /></RequireUser>} />
          <Route path="/distribution/commissions" element={<RequireUser only="distributor"><CommissionsPage /></RequireUser>} />
          <Route path="/distribution/apply" element={<RequireUser><BecomeDistributorPage /></RequireUser>} />
          <Route path="/distribution/storefront" element={<RequireUser only="owner"><StorefrontCardsPage /></RequireUser>} />
          <Route path="/distribution/storefront/rules" element={<RequireUser only="owner"><StorefrontRulesPage /></RequireUser>} />
          <Route path="/distribution/storefront/keys" element={<RequireUser only="owner"><StorefrontKeysPage /></RequireUser>} />
          <Route path="/distribution/storefront/deliveries" element={<RequireUser only="owner"><StorefrontDeliveriesPage /></RequireUser>} />
          <Route path="/distribution/storefront/dry-run" element={<RequireUser only="owner"><StorefrontDryRunPage /></RequireUser>} />
          <Route path="/distribution/storefront/alerts" element={<RequireUser only="owner"><StorefrontAlertsPage /></RequireUser>} />
          <Route path="/admin/distribution" element={<RequireUser admin><DistributorFinancesPage /></RequireUser>} />
          <Route path="/admin/distribution/applications" element={<RequireUser admin><ApplicationsPage /></RequireUser>} />
          <Route path="/admin/distribution/distributors" element={<RequireUser admin><DistributorsPage /></RequireUser>} />
          <Route path="/admin/distribution/distributors/:userId" element={<RequireUser admin><DistributorDetailPage /></RequireUser>} />
          <Route path="/admin/distribution/requests" element={<RequireUser admin><AdminRequestsPage /></RequireUser>} />
          <Route path="/admin/distribution/payouts" element={<RequireUser admin><AdminPayoutsPage /></RequireUser>} />
          <Route path="/admin/distribution/tiers" element={<RequireUser admin><TiersPage /></RequireUser>} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </main>
      <footer>{t('tagline')} · <Link to="/plans">{t('plans')}</Link> · <Link to="/thanks">{t('thanks')}</Link></footer>
    </>
  );
}
