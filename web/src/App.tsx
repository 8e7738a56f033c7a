import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { User } from './lib/api';
import { isAdmin, useAuth } from './lib/auth';
import { Skeleton } from './ui/States';
import { Shell } from './ui/Shell';
import { LandingPage } from './pages/LandingPage';
import { OverviewPage } from './pages/OverviewPage';
import { AdminUsersPage, AuditPage } from './pages/AdminPages';
import { ForgotPasswordPage, LoginPage, RegisterPage, ResetPasswordPage, VerifyPage } from './pages/AuthPages';
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
import { AccountPage, DevicesPage } from './pages/RentalPages';
import { AdminRentalsPage, AdminUserDetailPage } from './pages/AdminUserPages';
import { AdminSerialsPage, MismatchesPage, RedeemPage, SerialDetailPage } from './pages/SerialsPages';
import { BatchesPage } from './pages/SerialsPages';
import {
  StorefrontAlertsPage, StorefrontCardsPage, StorefrontDeliveriesPage, StorefrontDryRunPage, StorefrontKeysPage, StorefrontRulesPage,
} from './pages/StorefrontPages';

/** Who may open a page beyond being signed in: admins, distributors, or storefront owners (a distributor or an admin). */
type Audience = 'admin' | 'distributor' | 'owner';

const allowed = (user: User, audience: Audience) =>
  audience === 'admin' ? isAdmin(user) : audience === 'distributor' ? user.role === 'distributor' : user.role === 'distributor' || isAdmin(user);

function RequireUser({ admin, only, children }: { admin?: boolean; only?: Audience; children: ReactNode }) {
  const { user, loading } = useAuth();
  if (loading) return <Skeleton rows={4} />;
  if (!user) return <Navigate to="/login" replace />;
  if (admin && !isAdmin(user)) return <Navigate to="/" replace />;
  if (only && !allowed(user, only)) return <Navigate to="/" replace />;
  return <>{children}</>;
}

/** `/`: the landing page for visitors, the home of the signed-in user's role otherwise. */
function Home() {
  const { user, loading } = useAuth();
  if (loading) return <Skeleton rows={4} />;
  return user ? <DashboardPage /> : <LandingPage />;
}

export function App() {
  return (
    <Shell>
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/admin" element={<RequireUser admin><OverviewPage /></RequireUser>} />
          <Route path="/login" element={<LoginPage />} />
          <Route path="/register" element={<RegisterPage />} />
          <Route path="/verify" element={<VerifyPage />} />
          {/* --- renter --- */}
          <Route path="/forgot-password" element={<ForgotPasswordPage />} />
          <Route path="/reset-password" element={<ResetPasswordPage />} />
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
          <Route path="/admin/serials/batches" element={<RequireUser admin><BatchesPage /></RequireUser>} />
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
    </Shell>
  );
}
