// The frame around every page: the top bar (brand, language, account menu), the navigation for the signed-in role
// (grouped for operators, with the open-alert count) as a side bar on a laptop and a drawer on a phone, and the footer.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { api, type Paged, type User } from '../lib/api';
import { isAdmin, useAuth } from '../lib/auth';
import { useI18n, type MessageKey } from '../lib/i18n';
import { label } from '../lib/labels';
import { setRouteTitle } from './title';
import { Toaster } from './Toast';

export interface NavItem {
  to: string;
  key: MessageKey;
  testId?: string;
  /** A count shown next to the item (open alerts). */
  count?: number;
}

export interface NavGroup {
  key: MessageKey;
  items: NavItem[];
}

/** The navigation of a role: operators get the five groups of the issue, renters and distributors their own pages. */
export function navigation(user: User | null, openAlerts?: number): NavGroup[] {
  if (!user) return [];
  if (isAdmin(user)) {
    return [
      { key: 'nav_groupOverview', items: [{ to: '/admin', key: 'nav_overview', testId: 'nav-overview' }] },
      {
        key: 'nav_groupPeople',
        items: [
          { to: '/admin/rentals', key: 'rentals' }, { to: '/admin/users', key: 'users' }, { to: '/admin/serials', key: 'serials' },
          { to: '/admin/serials/mismatches', key: 'mismatches' },
        ],
      },
      {
        key: 'nav_groupFleet',
        items: [
          { to: '/admin/servers', key: 'servers' }, { to: '/admin/containers', key: 'containers' },
          { to: '/admin/alerts', key: 'alerts', testId: 'nav-alerts', count: openAlerts },
        ],
      },
      {
        key: 'nav_groupMoney',
        items: [
          { to: '/admin/finance', key: 'finance' }, { to: '/admin/distribution', key: 'distribution', testId: 'nav-admin-distribution' },
          { to: '/distribution/storefront', key: 'storefront' },
        ],
      },
      {
        key: 'nav_groupLogs',
        items: [{ to: '/admin/audit', key: 'audit' }, { to: '/admin/policy-logs', key: 'policyLogs' }, { to: '/admin/finance/audit', key: 'nav_financeAudit' }],
      },
    ];
  }
  if (user.role === 'distributor') {
    return [
      { key: 'nav_groupMine', items: [{ to: '/', key: 'dashboard' }, { to: '/wallet', key: 'wallet' }, { to: '/account', key: 'account' }] },
      {
        key: 'nav_groupDistribution',
        items: [
          { to: '/distribution', key: 'distribution', testId: 'nav-distribution' }, { to: '/distribution/storefront', key: 'storefront' },
          { to: '/admin/policy-logs', key: 'policyLogs' },
        ],
      },
    ];
  }
  return [
    {
      key: 'nav_groupMine',
      items: [
        { to: '/', key: 'nav_myRelays' }, { to: '/redeem', key: 'redeem' }, { to: '/policy', key: 'myPolicy' }, { to: '/devices', key: 'devices' },
        { to: '/plans', key: 'plans' }, { to: '/orders', key: 'myOrders' }, { to: '/wallet', key: 'wallet' }, { to: '/account', key: 'account' },
        { to: '/distribution/apply', key: 'becomeDistributor' },
      ],
    },
  ];
}

/** The item a path belongs to: the one whose path is the longest whole-segment prefix of it ('/admin/serials/7' → serials). */
export function activeItem(groups: NavGroup[], pathname: string): NavItem | undefined {
  const matches = (to: string) => (to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`));
  return groups.flatMap((g) => g.items).filter((item) => matches(item.to)).sort((a, b) => b.to.length - a.to.length)[0];
}

/** Pages outside the navigation still have a name in the title. */
const otherTitles: [string, MessageKey][] = [
  ['/login', 'login'], ['/register', 'register'], ['/verify', 'verifyEmail'], ['/plans', 'plans'], ['/thanks', 'thanks'], ['/donate', 'donate'],
  ['/orders', 'myOrders'], ['/account', 'account'], ['/wallet', 'wallet'],
];

/** Open alerts for the operator's navigation: the alerts list's total, refreshed every minute. */
function useOpenAlerts(enabled: boolean): number | undefined {
  const [count, setCount] = useState<number>();
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const load = () => api<Paged<unknown>>('/api/alerts?resolved=false&page=1&pageSize=1').then((page) => live && setCount(page.total), () => undefined);
    load();
    const timer = setInterval(load, 60_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [enabled]);
  return enabled ? count : undefined;
}

function AccountMenu({ user }: { user: User }) {
  const { t, language } = useI18n();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !box.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  return (
    <div className="account-menu" ref={box}>
      <button type="button" className="topbar-button" aria-haspopup="menu" aria-expanded={open} aria-label={t('nav_accountMenu')} onClick={() => setOpen(!open)} data-testid="account-menu">
        <span className="avatar" aria-hidden="true">{(user.username || user.email).slice(0, 1).toUpperCase()}</span>
        <span className="account-name">{user.username || user.email}</span>
      </button>
      {open && (
        <div className="menu" role="menu">
          <div className="menu-head">
            <span className="muted-text">{t('nav_signedInAs')}</span>
            <strong>{user.email}</strong>
            <span className="badge tone-info">{label('Roles', user.role, language)}</span>
          </div>
          <Link role="menuitem" to="/account" onClick={() => setOpen(false)}>{t('account')}</Link>
          <button
            type="button" role="menuitem" className="menu-item" data-testid="logout"
            onClick={async () => {
              setOpen(false);
              await logout();
              navigate('/login');
            }}
          >
            {t('logout')}
          </button>
        </div>
      )}
    </div>
  );
}

function SideNav({ groups, active, id, onNavigate }: { groups: NavGroup[]; active?: NavItem; id: string; onNavigate: () => void }) {
  const { t } = useI18n();
  return (
    <nav className="sidenav" id={id} aria-label={t('nav_main')}>
      {groups.map((group) => (
        <div key={group.key} className="nav-group">
          {groups.length > 1 && <div className="nav-group-title">{t(group.key)}</div>}
          {group.items.map((item) => (
            <Link
              key={item.to} to={item.to} data-testid={item.testId} onClick={onNavigate}
              className={item === active ? 'nav-item active' : 'nav-item'} aria-current={item === active ? 'page' : undefined}
            >
              <span>{t(item.key)}</span>
              {item.count !== undefined && item.count > 0 && (
                <span className="nav-count" data-testid="nav-alert-count" aria-label={t('nav_openAlerts', { n: item.count })}>{item.count}</span>
              )}
            </Link>
          ))}
        </div>
      ))}
    </nav>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { t, language, setLanguage } = useI18n();
  const { user } = useAuth();
  const { pathname } = useLocation();
  const [drawer, setDrawer] = useState(false);
  const openAlerts = useOpenAlerts(isAdmin(user));
  const groups = navigation(user, openAlerts);
  const active = activeItem(groups, pathname);

  // The title names the route until a page's header names the page; it follows the language too.
  useEffect(() => {
    const other = otherTitles.find(([prefix]) => pathname === prefix || pathname.startsWith(`${prefix}/`));
    setRouteTitle(active ? t(active.key) : other ? t(other[1]) : pathname === '/' && !user ? t('appName') : '');
  }, [active, pathname, user, t]);
  useEffect(() => setDrawer(false), [pathname]);
  useEffect(() => {
    if (!drawer) return;
    const close = (event: KeyboardEvent) => event.key === 'Escape' && setDrawer(false);
    document.addEventListener('keydown', close);
    return () => document.removeEventListener('keydown', close);
  }, [drawer]);

  const hasNav = groups.length > 0;
  return (
    <div className={`shell${hasNav ? ' with-nav' : ''}${drawer ? ' drawer-open' : ''}`}>
      <a className="skip-link" href="#content">{t('nav_skipToContent')}</a>
      <header className="topbar">
        {hasNav && (
          <button type="button" className="topbar-button menu-toggle" aria-controls="sidenav" aria-expanded={drawer} aria-label={drawer ? t('nav_closeMenu') : t('nav_openMenu')} onClick={() => setDrawer(!drawer)} data-testid="menu-toggle">
            <span aria-hidden="true">☰</span>
            {openAlerts !== undefined && openAlerts > 0 && <span className="nav-count dot" aria-hidden="true">{openAlerts}</span>}
          </button>
        )}
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width={22} height={22} />
          <span>{t('appName')}</span>
        </Link>
        <div className="spacer" />
        {!user && <Link to="/plans" className="topbar-link hide-narrow">{t('plans')}</Link>}
        <button type="button" className="topbar-button" lang={language === 'zh-CN' ? 'en' : 'zh-CN'} aria-label={t('nav_switchLanguage')} onClick={() => setLanguage(language === 'zh-CN' ? 'en' : 'zh-CN')} data-testid="language-switch">
          {t('language')}
        </button>
        {user ? (
          <AccountMenu user={user} />
        ) : (
          <>
            <Link to="/login" className="topbar-link">{t('login')}</Link>
            <Link to="/register" className="btn btn-primary btn-sm">{t('register')}</Link>
          </>
        )}
      </header>
      <div className="shell-body">
        {hasNav && <SideNav groups={groups} active={active} id="sidenav" onNavigate={() => setDrawer(false)} />}
        {hasNav && drawer && <div className="drawer-backdrop" onClick={() => setDrawer(false)} aria-hidden="true" />}
        <div className="shell-main">
          <main id="content">{children}</main>
          <footer>
            {t('tagline')} · <Link to="/plans">{t('plans')}</Link> · <Link to="/thanks">{t('thanks')}</Link>
          </footer>
        </div>
      </div>
      <Toaster />
    </div>
  );
}
