// Admin finance money desk: unmatched receipts, wallets and adjustments, donations, payment settings (receiving
// accounts and their QR codes) and settlements before deregistration.
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Field, Form, Pager, ProblemMessage, ScrollTable } from '../components';
import { api, type Paged } from '../lib/api';
import { dayStart, orderPlanName, type Donation, type FinanceSettings, type LedgerEntry, type Order, type PaymentResult, type Receipt, type Settlement, type WalletRow } from '../lib/finance';
import { useI18n, type MessageKey } from '../lib/i18n';
import { base64OfDataUrl, formatCents, parseYuan, qrFileProblem } from '../lib/money';
import { PaymentAccountChannels, ReceiptStatuses, SettlementActions, type PaymentAccountChannel } from '../lib/vocabulary.generated';
import { ActionPanel, AdminFinanceNav, AdminFinanceSection, Check, isoOfLocal, localNow, manualChannels, requireYuan, Select, TextInput } from './FinanceAdminShared';
import { AuthedImage, DonationsTable, LedgerTable, Money, OrderStatusBadge, when } from './FinancePages';
import { pagedPath, pageSize, useLoad } from '../lib/load';

// ---------------------------------------------------------------- receipts

const emptyReceipt = { channel: manualChannels[0] as string, amount: '', reference: '', receivedAt: '', memo: '', payerName: '', remark: '' };

function RecordReceipt({ onDone }: { onDone: () => Promise<void> }) {
  const { t, label } = useI18n();
  const [form, setForm] = useState({ ...emptyReceipt, receivedAt: localNow() });
  const [result, setResult] = useState<string | null>(null);
  const set = (key: keyof typeof emptyReceipt) => (value: string) => setForm({ ...form, [key]: value });
  return (
    <details className="rental" data-testid="record-receipt">
      <summary><strong>{t('recordReceipt')}</strong></summary>
      {result && <p className="alert success" data-testid="receipt-recorded">{result}</p>}
      <Form submitLabel={t('recordReceipt')} onSubmit={async () => {
        setResult(null);
        const { payment } = await api<PaymentResult>('/api/finance/receipts', {
          method: 'POST',
          body: {
            channel: form.channel, amountCents: requireYuan(form.amount, t('invalidAmount')), reference: form.reference.trim(), receivedAt: isoOfLocal(form.receivedAt),
            memo: form.memo.trim() || undefined, payerName: form.payerName.trim() || undefined, remark: form.remark.trim() || undefined,
          },
        });
        setResult(t('receiptRecorded', { status: label('receiptStatus', payment.status) }));
        setForm({ ...emptyReceipt, receivedAt: localNow() });
        await onDone();
      }}>
        <div className="form grid">
          <Select label={t('channel')} name="channel" value={form.channel} options={manualChannels} optionLabel={(c) => label('paymentChannel', c)} onChange={set('channel')} />
          <TextInput label={t('amountYuan')} name="amount" value={form.amount} onChange={set('amount')} required />
          <TextInput label={t('reference')} name="reference" value={form.reference} onChange={set('reference')} required />
          <TextInput label={t('receivedAt')} name="receivedAt" type="datetime-local" value={form.receivedAt} onChange={set('receivedAt')} required />
          <TextInput label={t('memoOptional')} name="memo" value={form.memo} onChange={set('memo')} />
          <TextInput label={t('payerName')} name="payerName" value={form.payerName} onChange={set('payerName')} />
          <TextInput label={t('remarkOptional')} name="remark" value={form.remark} onChange={set('remark')} />
        </div>
      </Form>
    </details>
  );
}

function ResolveReceipt({ receipt, onDone }: { receipt: Receipt; onDone: () => Promise<void> }) {
  const { t, language } = useI18n();
  const [orderId, setOrderId] = useState('');
  const [memo, setMemo] = useState(receipt.memo ?? '');
  const [candidates, setCandidates] = useState<Order[] | null>(null);
  const [searchError, setSearchError] = useState<unknown>(null);
  const [credit, setCredit] = useState({ userId: '', remark: '' });
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.scrollIntoView?.({ behavior: 'smooth', block: 'start' }), []);
  const search = async () => {
    setSearchError(null);
    try {
      setCandidates((await api<Paged<Order>>(pagedPath('/api/finance/orders', 1, { memo }))).items);
    } catch (e) {
      setSearchError(e);
    }
  };
  return (
    <div className="split" data-testid="resolve-receipt" data-receipt-id={receipt.id} ref={box}>
      <div className="rental">
        <h3>{t('matchToOrder')}</h3>
        <div className="toolbar">
          <input aria-label={t('findByMemo')} name="memoSearch" placeholder={t('memo')} value={memo} onChange={(e) => setMemo(e.target.value)} />
          <button type="button" onClick={search}>{t('findByMemo')}</button>
        </div>
        <ProblemMessage error={searchError} />
        {candidates && (candidates.length === 0 ? <p className="muted-text">{t('noEntries')}</p> : (
          <ul>
            {candidates.map((o) => (
              <li key={o.id}>
                <button type="button" className="link" onClick={() => setOrderId(o.id)}>{o.number}</button> · {o.memo} · {orderPlanName(o, language)} ·{' '}
                <Money cents={o.priceCents} currency={o.currency} /> · <OrderStatusBadge status={o.status} />
              </li>
            ))}
          </ul>
        ))}
        <Form submitLabel={t('match')} onSubmit={async () => {
          await api(`/api/finance/receipts/${receipt.id}/match`, { method: 'POST', body: { orderId: orderId.trim() } });
          await onDone();
        }}>
          <Field label={t('orderId')} name="orderId" value={orderId} onChange={setOrderId} />
        </Form>
      </div>
      <div className="rental">
        <h3>{t('creditToWallet')}</h3>
        <Form submitLabel={t('credit')} onSubmit={async () => {
          await api(`/api/finance/receipts/${receipt.id}/credit`, { method: 'POST', body: { userId: credit.userId.trim(), remark: credit.remark } });
          await onDone();
        }}>
          <Field label={t('userId')} name="userId" value={credit.userId} onChange={(userId) => setCredit({ ...credit, userId })} />
          <TextInput label={t('remark')} name="remark" value={credit.remark} onChange={(remark) => setCredit({ ...credit, remark })} required />
        </Form>
      </div>
    </div>
  );
}

export function ReceiptsPage() {
  const { t, language, label } = useI18n();
  const [status, setStatus] = useState<string>(ReceiptStatuses[0]);
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Receipt | null>(null);
  const { data, error, reload } = useLoad<Paged<Receipt>>(pagedPath('/api/finance/receipts', page, { status }));
  return (
    <AdminFinanceSection title={t('receipts')} testId="receipts-page">
      <RecordReceipt onDone={reload} />
      <div className="toolbar">
        <select aria-label={t('status')} name="status" value={status} onChange={(e) => { setStatus(e.target.value); setPage(1); setSelected(null); }}>
          <option value="">{t('allStatuses')}</option>
          {ReceiptStatuses.map((s) => <option key={s} value={s}>{label('receiptStatus', s)}</option>)}
        </select>
      </div>
      <ProblemMessage error={error} />
      {data && (
        <>
          <ScrollTable testId="receipts">
            <thead><tr><th>{t('receivedAt')}</th><th>{t('channel')}</th><th>{t('amount')}</th><th>{t('reference')}</th><th>{t('memo')}</th><th>{t('payer')}</th><th>{t('status')}</th><th /></tr></thead>
            <tbody>
              {data.items.map((r) => (
                <tr key={r.id} data-receipt-id={r.id} data-reference={r.reference}>
                  <td>{when(r.receivedAt, language)}</td>
                  <td>{label('paymentChannel', r.channel)}</td>
                  <td><Money cents={r.amountCents} currency={r.currency} /></td>
                  <td className="mono">{r.reference}</td>
                  <td className="mono">{r.memo}</td>
                  <td>{r.payerName}{r.remark && <div className="muted">{r.remark}</div>}</td>
                  <td>
                    <span className="badge">{label('receiptStatus', r.status)}</span>
                    {r.orderId && <> <Link to={`/admin/finance/orders/${r.orderId}`}>{t('orderNumber')}</Link></>}
                    {r.creditedUserId && <> <Link to={`/admin/finance/wallets/${r.creditedUserId}`}>{t('wallet')}</Link></>}
                  </td>
                  <td>{r.status === 'unmatched' && <button type="button" className="small" onClick={() => setSelected(r)}>{t('match')} / {t('credit')}</button>}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
      {selected && (
        <>
          <h2>{formatCents(selected.amountCents, selected.currency)} · <span className="mono">{selected.reference}</span></h2>
          <ResolveReceipt key={selected.id} receipt={selected} onDone={async () => { setSelected(null); await reload(); }} />
        </>
      )}
    </AdminFinanceSection>
  );
}

// ---------------------------------------------------------------- wallets

export function WalletsPage() {
  const { t, language } = useI18n();
  const [userId, setUserId] = useState('');
  const [minBalance, setMinBalance] = useState('');
  const [page, setPage] = useState(1);
  const minCents = minBalance.trim() ? parseYuan(minBalance) : null;
  const invalid = minBalance.trim() !== '' && minCents === null;
  const { data, error } = useLoad<Paged<WalletRow>>(pagedPath('/api/finance/wallets', page, { userId, minBalanceCents: minCents === null ? '' : String(minCents) }));
  return (
    <AdminFinanceSection title={t('wallets')} testId="wallets-page">
      <div className="toolbar">
        <input aria-label={t('userId')} name="userId" placeholder={t('userId')} value={userId} onChange={(e) => { setUserId(e.target.value); setPage(1); }} />
        <input aria-label={t('minBalance')} name="minBalance" placeholder={t('minBalance')} value={minBalance} onChange={(e) => { setMinBalance(e.target.value); setPage(1); }} />
      </div>
      {invalid && <p className="alert error" role="alert">{t('invalidAmount')}</p>}
      <ProblemMessage error={error} />
      {data && (
        <>
          <ScrollTable testId="wallets">
            <thead><tr><th>{t('user')}</th><th>{t('balance')}</th><th>{t('updatedAt')}</th><th /></tr></thead>
            <tbody>
              {data.items.map((w) => (
                <tr key={w.userId} data-user-id={w.userId}>
                  <td><Link to={`/admin/users/${w.userId}`}>{w.userEmail ?? w.userId}</Link></td>
                  <td><Money cents={w.balanceCents} currency={w.currency} /></td>
                  <td>{when(w.updatedAt, language)}</td>
                  <td><Link to={`/admin/finance/wallets/${w.userId}`}>{t('ledger')}</Link></td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </AdminFinanceSection>
  );
}

export function WalletDetailPage() {
  const { userId = '' } = useParams();
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [adjustment, setAdjustment] = useState({ amount: '', reason: '' });
  const wallet = useLoad<Paged<WalletRow>>(pagedPath('/api/finance/wallets', 1, { userId }));
  const ledger = useLoad<Paged<LedgerEntry>>(pagedPath(`/api/finance/wallets/${userId}/ledger`, page));
  const row = wallet.data?.items.find((w) => w.userId === userId);
  return (
    <section className="card" data-testid="wallet-detail">
      <AdminFinanceNav />
      <p><Link to="/admin/finance/wallets">← {t('wallets')}</Link></p>
      <h1>{t('wallet')}: <Link to={`/admin/users/${userId}`}>{row?.userEmail ?? userId}</Link></h1>
      <ProblemMessage error={wallet.error ?? ledger.error} />
      <div className="stats">
        <div className="stat"><strong className="big" data-testid="wallet-balance">{!wallet.data ? '—' : row ? formatCents(row.balanceCents, row.currency) : formatCents(0)}</strong><span>{t('balance')}</span></div>
      </div>
      <ActionPanel title={t('adjust')} testId="action-adjust" submitLabel={t('adjust')} onSubmit={async () => {
        const amountCents = requireYuan(adjustment.amount, t('invalidAmount'), { allowNegative: true });
        await api(`/api/finance/wallets/${userId}/adjustments`, { method: 'POST', body: { amountCents, reason: adjustment.reason } });
        setAdjustment({ amount: '', reason: '' });
        await Promise.all([wallet.reload(), ledger.reload()]);
      }}>
        <div className="form grid">
          <TextInput label={t('adjustAmount')} name="amount" value={adjustment.amount} onChange={(amount) => setAdjustment({ ...adjustment, amount })} required />
          <TextInput label={t('reason')} name="reason" value={adjustment.reason} onChange={(reason) => setAdjustment({ ...adjustment, reason })} required />
        </div>
      </ActionPanel>
      <h2>{t('ledger')}</h2>
      {ledger.data && (
        <>
          <LedgerTable entries={ledger.data.items} orderPath={(id) => `/admin/finance/orders/${id}`} />
          <Pager page={page} pageSize={pageSize} total={ledger.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- donations and settings

function useSettings() {
  const settings = useLoad<FinanceSettings>('/api/finance/settings');
  const save = async (change: Partial<Pick<FinanceSettings, 'orderTimeoutMinutes' | 'publicDonations'>>) => {
    if (!settings.data) return;
    const { orderTimeoutMinutes, publicDonations } = { ...settings.data, ...change };
    await api('/api/finance/settings', { method: 'PUT', body: { orderTimeoutMinutes, publicDonations } });
    await settings.reload();
  };
  return { ...settings, save };
}

export function AdminDonationsPage() {
  const { t } = useI18n();
  const [range, setRange] = useState({ from: '', to: '' });
  const [page, setPage] = useState(1);
  const { data, error } = useLoad<Paged<Donation>>(pagedPath('/api/finance/donations', page, {
    from: range.from ? dayStart(range.from) : '', to: range.to ? dayStart(range.to, 1) : '',
  }));
  const settings = useSettings();
  const [settingsError, setSettingsError] = useState<unknown>(null);
  return (
    <AdminFinanceSection title={t('donations')} testId="admin-donations">
      {settings.data && (
        <p className="row-actions">
          <Check label={t('publicDonations')} name="publicDonations" checked={settings.data.publicDonations}
            onChange={(publicDonations) => { setSettingsError(null); settings.save({ publicDonations }).catch(setSettingsError); }} />
          <Link to="/thanks">{t('thanks')}</Link>
        </p>
      )}
      <ProblemMessage error={settings.error ?? settingsError} />
      <div className="toolbar">
        <label className="field"><span>{t('from')}</span><input type="date" name="from" value={range.from} onChange={(e) => { setRange({ ...range, from: e.target.value }); setPage(1); }} /></label>
        <label className="field"><span>{t('to')}</span><input type="date" name="to" value={range.to} onChange={(e) => { setRange({ ...range, to: e.target.value }); setPage(1); }} /></label>
      </div>
      <ProblemMessage error={error} />
      {data && (
        <>
          <DonationsTable donations={data.items} showCode testId="donations" />
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </AdminFinanceSection>
  );
}

function ReceivingAccountForm({ channel, current, onSaved }: { channel: PaymentAccountChannel; current: FinanceSettings['accounts'][number] | undefined; onSaved: () => Promise<void> }) {
  const { t, label } = useI18n();
  const [form, setForm] = useState({ accountName: current?.accountName ?? '', account: current?.account ?? '', enabled: current?.enabled ?? false });
  const [qr, setQr] = useState<{ dataUrl: string; contentType: string } | null>(null);
  const [fileProblem, setFileProblem] = useState<MessageKey | null>(null);
  const [version, setVersion] = useState(0);
  const choose = (file: File | undefined) => {
    setQr(null);
    setFileProblem(null);
    if (!file) return;
    const problem = qrFileProblem(file);
    if (problem) {
      setFileProblem(problem);
      return;
    }
    const reader = new FileReader();
    reader.onload = () => setQr({ dataUrl: String(reader.result), contentType: file.type });
    reader.readAsDataURL(file);
  };
  return (
    <div className="rental" data-testid={`account-${channel}`}>
      <h2>{t('receivingAccount', { channel: label('accountChannel', channel) })}</h2>
      <Form submitLabel={t('save')} onSubmit={async () => {
        await api(`/api/finance/payment-accounts/${channel}`, {
          method: 'PUT',
          body: { ...form, qrImageBase64: qr ? base64OfDataUrl(qr.dataUrl) : undefined, qrContentType: qr?.contentType },
        });
        setQr(null);
        setVersion((v) => v + 1);
        await onSaved();
      }}>
        <div className="form grid">
          <TextInput label={t('accountName')} name="accountName" value={form.accountName} onChange={(accountName) => setForm({ ...form, accountName })} required />
          <TextInput label={t('accountNumber')} name="account" value={form.account} onChange={(account) => setForm({ ...form, account })} required />
          <Check label={t('enabledLabel')} name="enabled" checked={form.enabled} onChange={(enabled) => setForm({ ...form, enabled })} />
          <label className="field"><span>{t('qrCode')} (PNG/JPEG ≤ 512 KiB)</span>
            <input type="file" name="qr" accept="image/png,image/jpeg" onChange={(e) => choose(e.target.files?.[0])} />
          </label>
        </div>
        {fileProblem && <p className="alert error" role="alert" data-code={fileProblem}>{t(fileProblem)}</p>}
        {qr ? <img className="qr-preview" src={qr.dataUrl} alt={t('qrCode')} data-testid="qr-preview" /> : current?.hasQr && (
          <div className="qr-preview-current"><AuthedImage path={`/api/finance/payment-accounts/${channel}/qr`} alt={t('qrCode')} version={version} /></div>
        )}
      </Form>
    </div>
  );
}

export function PaymentSettingsPage() {
  const { t } = useI18n();
  const settings = useSettings();
  const [timeout, setTimeoutMinutes] = useState<string | null>(null);
  const [publicDonations, setPublicDonations] = useState<boolean | null>(null);
  const data = settings.data;
  return (
    <AdminFinanceSection title={t('paymentSettings')} testId="payment-settings">
      <ProblemMessage error={settings.error} />
      {!data ? !settings.error && <p>{t('loading')}</p> : (
        <>
          <Form submitLabel={t('save')} onSubmit={async () => {
            await settings.save({ orderTimeoutMinutes: Number(timeout ?? data.orderTimeoutMinutes), publicDonations: publicDonations ?? data.publicDonations });
            setTimeoutMinutes(null);
            setPublicDonations(null);
          }}>
            <div className="form grid">
              <TextInput label={t('orderTimeoutMinutes')} name="orderTimeoutMinutes" type="number" value={timeout ?? String(data.orderTimeoutMinutes)} onChange={setTimeoutMinutes} required />
              <Check label={t('publicDonations')} name="publicDonations" checked={publicDonations ?? data.publicDonations} onChange={setPublicDonations} />
            </div>
          </Form>
          {PaymentAccountChannels.map((channel) => (
            <ReceivingAccountForm key={channel} channel={channel} current={data.accounts.find((a) => a.channel === channel)} onSaved={settings.reload} />
          ))}
        </>
      )}
    </AdminFinanceSection>
  );
}

// ---------------------------------------------------------------- settlements

function SettlementCard({ settlement, onDone }: { settlement: Settlement; onDone: () => Promise<void> }) {
  const { t, language, label } = useI18n();
  const [action, setAction] = useState<string>(SettlementActions[0]);
  const [remark, setRemark] = useState('');
  return (
    <div className="rental" data-testid="settlement" data-user-id={settlement.userId}>
      <div className="rental-head">
        <strong><Link to={`/admin/users/${settlement.userId}`}>{settlement.userEmail ?? settlement.userId}</Link></strong>
        <Money cents={settlement.balanceCents} />
        <span className="muted">{t('awaitingSince', { time: when(settlement.firstAskedAt, language) })}</span>
      </div>
      <p>{t('blockers')}: {settlement.blockers.map((b) => <span key={b} className="badge status-disabled" data-blocker={b}>{label('settlementBlocker', b)}</span>)}</p>
      <p><Link to={`/admin/finance/orders?userId=${settlement.userId}`}>{t('orders')}</Link> · <Link to={`/admin/finance/wallets/${settlement.userId}`}>{t('ledger')}</Link></p>
      <Form submitLabel={t('settle')} onSubmit={async () => {
        await api(`/api/finance/settlements/${settlement.userId}`, { method: 'POST', body: { action, remark } });
        await onDone();
      }}>
        <div className="form grid">
          <Select label={t('settleAction')} name="action" value={action} options={SettlementActions} optionLabel={(a) => label('settlementAction', a)} onChange={setAction} />
          <TextInput label={t('remark')} name="remark" value={remark} onChange={setRemark} required />
        </div>
      </Form>
    </div>
  );
}

export function SettlementsPage() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const { data, error, reload } = useLoad<Paged<Settlement>>(pagedPath('/api/finance/settlements', page));
  return (
    <AdminFinanceSection title={t('settlements')} testId="settlements-page">
      <ProblemMessage error={error} />
      {data && (data.items.length === 0 ? <p className="muted-text">{t('nothingToSettle')}</p> : (
        <>
          {data.items.map((s) => <SettlementCard key={s.userId} settlement={s} onDone={reload} />)}
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      ))}
    </AdminFinanceSection>
  );
}
