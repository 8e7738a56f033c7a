// Renter side of finance: plans, buying and paying an order, my orders, wallet, donating with a card key, and the
// public thank-you list. Shared bits the admin pages reuse (loading, money, badges, ledger) live here too.
import { useCallback, useEffect, useState } from 'react';
import { Link, NavLink, useNavigate, useParams } from 'react-router-dom';
import { Field, Form, Pager, ProblemMessage, ScrollTable } from '../components';
import { api, ApiError, imageDataUrl, type Paged } from '../lib/api';
import { isAdmin, useAuth } from '../lib/auth';
import {
  amountDue, itemsOf, orderPlanName, planName, toOrderDetail, type Donation, type LedgerEntry, type Order, type OrderDetail, type Plan,
  type ReceivingAccount, type Wallet,
} from '../lib/finance';
import { useI18n } from '../lib/i18n';
import { pageSize, pagedPath, useLoad } from '../lib/load';
import { formatCents, formatCountdown } from '../lib/money';
import { OrderStatuses } from '../lib/vocabulary.generated';

export const when = (value: string | null | undefined, language: string) => (value ? new Date(value).toLocaleString(language) : '—');

export function Money({ cents, currency, signed }: { cents: number; currency?: string; signed?: boolean }) {
  const className = signed ? (cents > 0 ? 'amount-positive' : cents < 0 ? 'amount-negative' : '') : '';
  return <span className={`money ${className}`} data-cents={cents}>{signed && cents > 0 ? '+' : ''}{formatCents(cents, currency)}</span>;
}

export function OrderStatusBadge({ status }: { status: string }) {
  const { label } = useI18n();
  return <span className={`badge order-${status}`} data-status={status}>{label('orderStatus', status)}</span>;
}

/** Copies text; plain-http portals have no Clipboard API, so fall back to a selected textarea. */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = Object.assign(document.createElement('textarea'), { value: text });
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

export function CopyButton({ text }: { text: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <button type="button" className="small" onClick={() => copyText(text).then(() => setCopied(true), () => undefined)}>
      {copied ? t('copied') : t('copy')}
    </button>
  );
}

/** The receiving QR code needs the bearer token, so it is fetched and shown as a data: URL. */
export function AuthedImage({ path, alt, version }: { path: string | null; alt: string; version?: number }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!path) return;
    let live = true;
    imageDataUrl(path).then((u) => live && setUrl(u), () => live && setUrl(null));
    return () => {
      live = false;
    };
  }, [path, version]);
  return url ? <img src={url} alt={alt} /> : null;
}

export function RenterFinanceNav() {
  const { t } = useI18n();
  const { user } = useAuth();
  return (
    <nav className="subnav" aria-label={t('finance')}>
      {user?.role === 'renter' && <NavLink to="/plans" end>{t('plans')}</NavLink>}
      {(user?.role === 'renter' || user?.role === 'distributor') && <NavLink to="/orders" end>{t('myOrders')}</NavLink>}
      <NavLink to="/wallet">{t('wallet')}</NavLink>
      <NavLink to="/donate">{t('donate')}</NavLink>
    </nav>
  );
}

export function LedgerTable({ entries, orderPath = (id) => `/orders/${id}` }: { entries: LedgerEntry[]; orderPath?: (orderId: string) => string }) {
  const { t, language, label } = useI18n();
  if (entries.length === 0) return <p className="muted-text">{t('noEntries')}</p>;
  return (
    <ScrollTable testId="ledger">
      <thead><tr><th>{t('time')}</th><th>{t('type')}</th><th>{t('amount')}</th><th>{t('balanceAfter')}</th><th>{t('remark')}</th></tr></thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} data-type={e.type}>
            <td>{when(e.createdAt, language)}</td>
            <td><span className="badge">{label('ledgerType', e.type)}</span></td>
            <td><Money cents={e.amountCents} currency={e.currency} signed /></td>
            <td><Money cents={e.balanceAfterCents} currency={e.currency} /></td>
            <td>{e.remark}{e.orderId && <> <Link to={orderPath(e.orderId)}>{t('orderNumber')}</Link></>}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

interface RentalState { status: string }

export function PlansPage() {
  const { t, language } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const plans = useLoad<Plan[] | Paged<Plan>>('/api/finance/plans');
  const [rental, setRental] = useState<RentalState | null>(null);
  const [buying, setBuying] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const renter = user?.role === 'renter';

  useEffect(() => {
    if (!renter) return;
    api<RentalState>('/api/users/me/rental').then(setRental, () => setRental(null));
  }, [renter]);

  const renewing = rental?.status === 'active';
  const buy = async (plan: Plan) => {
    setBuying(plan.id);
    setError(null);
    try {
      const order = await api<Order>('/api/finance/orders', { method: 'POST', body: { planId: plan.id } });
      navigate(`/orders/${order.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBuying(null);
    }
  };

  const list = plans.data ? itemsOf(plans.data) : null;
  return (
    <section className="card" data-testid="plans-page">
      {user && !isAdmin(user) && <RenterFinanceNav />}
      <h1>{t('plans')}</h1>
      <p className="muted-text">{t('plansIntro')}</p>
      <ProblemMessage error={plans.error ?? error} />
      {!list ? <p>{t('loading')}</p> : list.length === 0 ? <p>{t('noPlans')}</p> : (
        <div className="plans">
          {list.map((plan) => {
            const renewalRefused = renewing && !plan.renew;
            return (
              <article key={plan.id} className="plan-card" data-testid="plan-card" data-plan-id={plan.id} data-days={plan.durationDays}>
                <h3>
                  {planName(plan, language)}
                  {renewing && plan.renew && <span className="badge renewal">{t('renewalBadge')}</span>}
                  {plan.soldOut && <span className="badge status-disabled">{t('soldOut')}</span>}
                </h3>
                <span className="price">{formatCents(plan.priceCents, plan.currency)}</span>
                <span>{t('days', { n: plan.durationDays })}</span>
                <span>{plan.trafficQuotaGb > 0 ? t('trafficGb', { n: plan.trafficQuotaGb }) : t('unlimitedTraffic')}</span>
                {renewalRefused && <span className="muted-text">{t('renewalNotOffered')}</span>}
                {!user ? <Link to="/login">{t('loginToBuy')}</Link> : renter && (
                  <button type="button" disabled={plan.soldOut || renewalRefused || buying !== null} onClick={() => buy(plan)}
                    aria-label={`${t('buy')} ${planName(plan, language)}`}>
                    {t('buy')}
                  </button>
                )}
              </article>
            );
          })}
        </div>
      )}
    </section>
  );
}

/** Counts down to a deadline once a second. */
export function Countdown({ until }: { until: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = new Date(until).getTime() - now;
  return <span className="countdown" data-testid="countdown" data-expired={left <= 0}>{formatCountdown(left)}</span>;
}

function ReceivingAccountCard({ account }: { account: ReceivingAccount }) {
  const { t, label } = useI18n();
  return (
    <div className="receiving" data-channel={account.channel}>
      <strong>{label('accountChannel', account.channel)}</strong>
      <div>{t('accountName')}: {account.accountName}</div>
      <div>{t('accountNumber')}: <span className="mono">{account.account}</span> <CopyButton text={account.account} /></div>
      <AuthedImage path={account.qrUrl} alt={`${label('accountChannel', account.channel)} ${t('qrCode')}`} />
    </div>
  );
}

export function PaymentsTable({ payments, currency }: { payments: OrderDetail['payments']; currency: string }) {
  const { t, language, label } = useI18n();
  if (payments.length === 0) return <p className="muted-text">{t('noEntries')}</p>;
  return (
    <ScrollTable testId="payments">
      <thead><tr><th>{t('receivedAt')}</th><th>{t('channel')}</th><th>{t('amount')}</th><th>{t('reference')}</th></tr></thead>
      <tbody>
        {payments.map((p) => (
          <tr key={p.id}>
            <td>{when(p.receivedAt, language)}</td><td>{label('paymentChannel', p.channel)}</td>
            <td><Money cents={p.amountCents} currency={p.currency ?? currency} /></td><td className="mono">{p.reference}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

export function PayOrderPage() {
  const { id } = useParams();
  const { t, language, label } = useI18n();
  const [detail, setDetail] = useState<OrderDetail | null>(null);
  const [wallet, setWallet] = useState<Wallet | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const loadOrder = useCallback(async () => {
    try {
      setDetail(toOrderDetail(await api<Record<string, unknown>>(`/api/finance/me/orders/${id}`)));
    } catch (e) {
      setError(e);
    }
  }, [id]);
  const loadWallet = useCallback(() => api<Wallet>('/api/finance/me/wallet').then(setWallet, () => undefined), []);
  useEffect(() => {
    loadOrder();
    loadWallet();
  }, [loadOrder, loadWallet]);

  // An admin confirms a transfer, then users extends the rental: watch the order until it settles.
  const status = detail?.order.status;
  useEffect(() => {
    if (status !== 'pending_payment' && status !== 'paid') return;
    const timer = setInterval(loadOrder, 4000);
    return () => clearInterval(timer);
  }, [status, loadOrder]);

  const act = async (path: string) => {
    setBusy(true);
    setError(null);
    try {
      const body = await api<Record<string, unknown>>(path, { method: 'POST' });
      // The actions answer the order alone; keep the payments and instructions until the next poll brings them.
      setDetail((previous) => previous && { ...previous, order: toOrderDetail(body).order });
      await Promise.all([loadOrder(), loadWallet()]);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (!detail) return <section className="card"><ProblemMessage error={error} />{!error && <p>{t('loading')}</p>}</section>;
  const { order, instructions, payments } = detail;
  const due = instructions?.amountDueCents ?? amountDue(order);
  const pending = order.status === 'pending_payment';
  const short = wallet ? due - wallet.balanceCents : due;

  return (
    <section className="card" data-testid="pay-page" data-status={order.status}>
      <RenterFinanceNav />
      <p><Link to="/orders">← {t('myOrders')}</Link></p>
      <h1>{t('orderNumber')} <span className="mono">{order.number}</span> <OrderStatusBadge status={order.status} /></h1>
      <p>
        {orderPlanName(order, language)} · {t('days', { n: order.durationDays })} ·{' '}
        {order.trafficQuotaGb > 0 ? t('trafficGb', { n: order.trafficQuotaGb }) : t('unlimitedTraffic')} ·{' '}
        <span className="badge">{label('orderType', order.type)}</span>
      </p>
      <ProblemMessage error={error} />
      {order.status === 'paid' && <p className="alert success" data-testid="order-paid">{t('orderPaidMessage')}</p>}
      {order.status === 'fulfilled' && <p className="alert success" data-testid="order-fulfilled">{t('orderFulfilledMessage')} <Link to="/">{t('dashboard')}</Link></p>}
      {(order.status === 'cancelled' || order.status === 'expired' || order.status === 'refunded') && <p className="alert info">{t('orderClosedMessage')}</p>}

      <div className="stats">
        <div className="stat"><strong data-testid="amount-due">{formatCents(due, order.currency)}</strong><span>{t('amountDue')}</span></div>
        <div className="stat"><strong>{formatCents(order.priceCents, order.currency)}</strong><span>{t('price')}</span></div>
        <div className="stat"><strong>{formatCents(order.paidCents, order.currency)}</strong><span>{t('paidAmount')}</span></div>
        {pending && <div className="stat"><Countdown until={instructions?.expiresAt ?? order.expiresAt} /><span>{t('timeLeft')}</span></div>}
      </div>

      {pending && (
        <div className="pay">
          <div className="pay-box">
            <h2>{t('payByTransfer')}</h2>
            <div>{t('memo')}</div>
            <div><span className="memo mono" data-testid="memo">{instructions?.memo ?? order.memo}</span> <CopyButton text={instructions?.memo ?? order.memo} /></div>
            <p className="muted-text">{t('memoHint')}</p>
            <p className="muted-text">{t('transferHint')}</p>
            {(instructions?.accounts ?? []).length === 0 ? <p className="alert info">{t('noAccounts')}</p> : (
              <div className="accounts">{instructions!.accounts.map((a) => <ReceivingAccountCard key={a.channel} account={a} />)}</div>
            )}
          </div>
          <div className="pay-box">
            <h2>{t('payFromWallet')}</h2>
            <p>{t('walletBalance', { amount: wallet ? formatCents(wallet.balanceCents, wallet.currency) : '—' })}</p>
            {short > 0 && <p className="muted-text" data-testid="wallet-short">{t('insufficientBalance', { amount: formatCents(short, order.currency) })}</p>}
            <button type="button" data-testid="pay-from-wallet" disabled={busy || !wallet || short > 0}
              onClick={() => act(`/api/finance/me/orders/${order.id}/pay-from-wallet`)}>
              {t('payFromWallet')}
            </button>
          </div>
        </div>
      )}
      {pending && order.paidCents === 0 && (
        <p>
          <button type="button" className="danger" data-testid="cancel-order" disabled={busy}
            onClick={() => window.confirm(t('confirmCancelOrder')) && act(`/api/finance/me/orders/${order.id}/cancel`)}>
            {t('cancelOrder')}
          </button>
        </p>
      )}
      <h2>{t('payments')}</h2>
      <PaymentsTable payments={payments} currency={order.currency} />
    </section>
  );
}

export function MyOrdersPage() {
  const { t, language, label } = useI18n();
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const { data, error } = useLoad<Paged<Order>>(pagedPath('/api/finance/me/orders', page, { status }));
  return (
    <section className="card" data-testid="my-orders">
      <RenterFinanceNav />
      <h1>{t('myOrders')}</h1>
      <div className="toolbar">
        <select aria-label={t('status')} value={status} onChange={(e) => { setStatus(e.target.value); setPage(1); }}>
          <option value="">{t('allStatuses')}</option>
          {OrderStatuses.map((s) => <option key={s} value={s}>{label('orderStatus', s)}</option>)}
        </select>
      </div>
      <ProblemMessage error={error} />
      {!data ? <p>{t('loading')}</p> : data.items.length === 0 ? <p className="muted-text">{t('noEntries')}</p> : (
        <>
          <ScrollTable testId="orders">
            <thead><tr><th>{t('orderNumber')}</th><th>{t('plan')}</th><th>{t('type')}</th><th>{t('status')}</th><th>{t('price')}</th><th>{t('createdAt')}</th><th /></tr></thead>
            <tbody>
              {data.items.map((o) => (
                <tr key={o.id} data-order-id={o.id}>
                  <td><Link to={`/orders/${o.id}`} className="mono">{o.number}</Link></td>
                  <td>{orderPlanName(o, language)}</td>
                  <td>{label('orderType', o.type)}</td>
                  <td><OrderStatusBadge status={o.status} /></td>
                  <td><Money cents={o.priceCents} currency={o.currency} /></td>
                  <td>{when(o.createdAt, language)}</td>
                  <td>{o.status === 'pending_payment' && <Link to={`/orders/${o.id}`}>{t('pay')}</Link>}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

export function WalletPage() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const wallet = useLoad<Wallet>('/api/finance/me/wallet');
  const ledger = useLoad<Paged<LedgerEntry>>(pagedPath('/api/finance/me/wallet/ledger', page));
  return (
    <section className="card" data-testid="wallet-page">
      <RenterFinanceNav />
      <h1>{t('wallet')}</h1>
      <ProblemMessage error={wallet.error ?? ledger.error} />
      <div className="stats">
        <div className="stat"><strong className="big" data-testid="wallet-balance">{wallet.data ? formatCents(wallet.data.balanceCents, wallet.data.currency) : '—'}</strong><span>{t('balance')}</span></div>
      </div>
      <h2>{t('ledger')}</h2>
      {!ledger.data ? <p>{t('loading')}</p> : (
        <>
          <LedgerTable entries={ledger.data.items} />
          <Pager page={page} pageSize={pageSize} total={ledger.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

export function DonationsTable({ donations, showCode, testId }: { donations: Donation[]; showCode?: boolean; testId?: string }) {
  const { t, language } = useI18n();
  if (donations.length === 0) return <p className="muted-text">{t('noEntries')}</p>;
  return (
    <ScrollTable testId={testId}>
      <thead><tr><th>{t('time')}</th><th>{t('donor')}</th><th>{t('amount')}</th><th>{t('messageCol')}</th>{showCode && <><th>{t('user')}</th><th>{t('cardKey')}</th></>}</tr></thead>
      <tbody>
        {donations.map((d) => (
          <tr key={d.id}>
            <td>{when(d.createdAt, language)}</td>
            <td>{d.donorName ?? (d.anonymous ? t('anonymousDonor') : '—')}{d.anonymous && d.donorName && <> <span className="badge">{t('anonymous')}</span></>}</td>
            <td><Money cents={d.amountCents} currency={d.currency} /></td>
            <td className="wrap">{d.message}</td>
            {showCode && (
              <>
                <td>{d.userId && <Link to={`/admin/users/${d.userId}`}>{d.userEmail ?? d.userId.slice(0, 8)}</Link>}</td>
                <td className="mono">{d.fullCode}</td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

export function DonatePage() {
  const { t } = useI18n();
  const [form, setForm] = useState({ code: '', donorName: '', message: '', anonymous: false });
  const [result, setResult] = useState<string | null>(null);
  const mine = useLoad<Donation[] | Paged<Donation>>('/api/finance/me/donations');
  return (
    <section className="card" data-testid="donate-page">
      <RenterFinanceNav />
      <h1>{t('donate')}</h1>
      <p className="muted-text">{t('donateHint')}</p>
      {result && <p className="alert success" data-testid="donated">{result}</p>}
      <Form submitLabel={t('donateSubmit')} onSubmit={async () => {
        setResult(null);
        const redeemed = await api<{ kind: string; fullCode: string }>('/api/serials/redeem', {
          method: 'POST',
          body: { code: form.code, donorName: form.donorName.trim() || undefined, message: form.message.trim() || undefined, anonymous: form.anonymous },
        });
        setResult(t('donatedThanks', { code: redeemed.fullCode }));
        setForm({ code: '', donorName: '', message: '', anonymous: false });
        // The donation is recorded when finance consumes the redemption: look again shortly.
        await mine.reload();
        setTimeout(mine.reload, 2000);
      }}>
        <Field label={t('cardKey')} name="code" value={form.code} onChange={(code) => setForm({ ...form, code })} />
        <label className="field"><span>{t('donorName')}</span>
          <input name="donorName" maxLength={64} value={form.donorName} onChange={(e) => setForm({ ...form, donorName: e.target.value })} />
        </label>
        <label className="field"><span>{t('donationMessage')}</span>
          <textarea name="message" maxLength={500} rows={3} value={form.message} onChange={(e) => setForm({ ...form, message: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" name="anonymous" checked={form.anonymous} onChange={(e) => setForm({ ...form, anonymous: e.target.checked })} />
          {t('anonymous')}
        </label>
      </Form>
      <h2>{t('myDonations')}</h2>
      <ProblemMessage error={mine.error} />
      {mine.data && <DonationsTable donations={itemsOf(mine.data)} testId="my-donations" />}
    </section>
  );
}

export function ThanksPage() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const { data, error } = useLoad<Paged<Donation>>(pagedPath('/api/finance/donations/public', page));
  const disabled = error instanceof ApiError && (error.problem.status === 404 || error.problem.status === 403);
  return (
    <section className="card" data-testid="thanks-page">
      <h1>{t('thanks')}</h1>
      {disabled ? <p className="alert info">{t('thanksDisabled')}</p> : <ProblemMessage error={error} />}
      {data && (
        <>
          <p className="muted-text">{t('thanksIntro')}</p>
          <DonationsTable donations={data.items} testId="public-donations" />
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
