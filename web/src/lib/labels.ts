// What people read instead of the raw codes the services send: a zh and en label and a tone (the badge colour) for
// every value of every vocabulary in vocabulary.generated.ts (generated from Derp.Contracts, so the lists cannot drift;
// labels.test.ts fails when a value has no label in either language).
import { messages, useI18n, vocabularyLabel, type Language, type VocabularyGroup } from './i18n';
import * as vocabularies from './vocabulary.generated';

export type VocabularyName = keyof typeof vocabularies;
export type Tone = 'ok' | 'info' | 'warn' | 'danger' | 'neutral';

/** Every vocabulary and its values, by the name of its list in vocabulary.generated.ts. */
export const vocabularyValues = vocabularies as unknown as Record<VocabularyName, readonly string[]>;

// The finance and distribution vocabularies were labelled in i18n.tsx first (as `${group}_${value}` messages, which
// their pages also read through useI18n().label): they are taken from there, not written twice.
const fromMessages: Partial<Record<VocabularyName, VocabularyGroup>> = {
  OrderStatuses: 'orderStatus', OrderTypes: 'orderType', PaymentChannels: 'paymentChannel', PaymentAccountChannels: 'accountChannel',
  LedgerEntryTypes: 'ledgerType', RefundMethods: 'refundMethod', OrderMarks: 'orderMark', ReceiptStatuses: 'receiptStatus',
  SettlementBlockers: 'settlementBlocker', SettlementActions: 'settlementAction', FinanceAuditActions: 'financeAudit',
  RentalSources: 'rentalSource', ApplicationStatuses: 'applicationStatus', DistributorStatuses: 'distributorStatus', TierCodes: 'tier',
  SerialRequestStatuses: 'requestStatus', CommissionStatuses: 'commissionStatus', PayoutStatuses: 'payoutStatus', CardTypes: 'cardType',
  DeliveryStatuses: 'deliveryStatus', DistributionAuditActions: 'distributionAudit', SerialStatuses: 'serialStatus',
};

type Labels = Record<string, [zh: string, en: string]>;

const own: Partial<Record<VocabularyName, Labels>> = {
  AlertSeverities: { info: ['提示', 'Info'], warning: ['警告', 'Warning'], critical: ['严重', 'Critical'] },
  AlertTypes: {
    host_unhealthy: ['主机异常', 'Host unhealthy'],
    host_recovered: ['主机恢复', 'Host recovered'],
    capacity_short: ['容量不足', 'Capacity short'],
    regions_short: ['地区不足', 'Too few regions'],
    provisioning_failed: ['开通失败', 'Provisioning failed'],
    container_change_failed: ['容器操作失败', 'Container change failed'],
    remove_failed: ['移除失败', 'Removal failed'],
    relay_unreachable: ['中继不可达', 'Relay unreachable'],
    traffic_rate: ['流量速率过高', 'High traffic rate'],
    host_allowance: ['主机流量额度', 'Host traffic allowance'],
    quota_exceeded: ['流量超额', 'Quota exceeded'],
  },
  AuditActions: {
    registered: ['注册', 'Registered'],
    email_verified: ['验证邮箱', 'Email verified'],
    login: ['登录', 'Signed in'],
    login_failed: ['登录失败', 'Sign-in failed'],
    account_locked: ['账号锁定', 'Account locked'],
    logout: ['退出', 'Signed out'],
    password_changed: ['修改密码', 'Password changed'],
    role_changed: ['修改角色', 'Role changed'],
    refresh_token_reused: ['令牌重复使用', 'Refresh token reused'],
    rental_extended: ['延长租期', 'Rental extended'],
    deregistered: ['注销账号', 'Account closed'],
    device_registered: ['添加设备', 'Device registered'],
    device_removed: ['移除设备', 'Device removed'],
    deregistration_blocked: ['注销被阻止', 'Closing blocked'],
  },
  BindingPolicies: { strict: ['严格', 'Strict'], lenient: ['宽松', 'Lenient'] },
  ContainerStates: {
    pending: ['等待中', 'Pending'], running: ['运行中', 'Running'], stopped: ['已停止', 'Stopped'], exited: ['已退出', 'Exited'],
    failed: ['失败', 'Failed'], removed: ['已移除', 'Removed'],
  },
  Currencies: { CNY: ['人民币', 'Chinese yuan'] },
  DenialReasons: {
    bad_token: ['令牌无效', 'Bad token'],
    malformed_key: ['节点密钥格式错误', 'Malformed node key'],
    unknown_key: ['未登记的设备', 'Unknown device'],
    other_renter: ['其他租户的设备', "Another renter's device"],
    rental_inactive: ['租期未生效', 'Rental not active'],
    over_quota: ['流量已用完', 'Over quota'],
  },
  EmailStatuses: { pending: ['待发送', 'Pending'], sent: ['已发送', 'Sent'], failed: ['发送失败', 'Failed'] },
  GenerationTriggers: {
    provisioned: ['中继开通', 'Relays provisioned'], rotation: ['定期轮换', 'Rotation'], admin: ['管理员', 'Admin'],
    host_removed: ['主机移除', 'Host removed'],
  },
  PolicyFormats: { tailscale: ['Tailscale', 'Tailscale'], headscale: ['Headscale', 'Headscale'] },
  ProvisioningReasons: { rental: ['新租期', 'New rental'], host_removed: ['主机移除', 'Host removed'], reprovisioned: ['重新开通', 'Reprovisioned'] },
  RelatedTypes: { plan: ['套餐', 'Plan'], ledger_entry: ['账目', 'Ledger entry'], donation: ['捐赠', 'Donation'] },
  RentalStatuses: { active: ['生效中', 'Active'], expired: ['已过期', 'Expired'], closed: ['已关闭', 'Closed'] },
  Roles: { renter: ['租户', 'Renter'], distributor: ['分销商', 'Distributor'], admin: ['管理员', 'Admin'], superadmin: ['超级管理员', 'Super admin'] },
  SerialActions: {
    generate: ['生成', 'Generated'], redeem: ['兑换', 'Redeemed'], validate: ['验证', 'Validated'], disable: ['禁用', 'Disabled'],
    enable: ['启用', 'Enabled'], edit: ['编辑', 'Edited'], delete: ['删除', 'Deleted'], unbind: ['解绑', 'Unbound'], expire: ['过期', 'Expired'],
  },
  SerialKinds: {
    rental: ['租用卡', 'Rental'], licence: ['授权卡', 'Licence'], balance: ['充值卡', 'Balance'], donation: ['捐赠卡', 'Donation'],
    invite: ['邀请卡', 'Invite'],
  },
  ServerStatuses: { active: ['正常', 'Active'], draining: ['排空中', 'Draining'], unhealthy: ['异常', 'Unhealthy'], removed: ['已移除', 'Removed'] },
  ServiceStates: { provisioning: ['开通中', 'Setting up'], ready: ['可用', 'Ready'], stopped: ['已停止', 'Stopped'] },
  UseTypes: {
    membership: ['会员', 'Membership'], donation: ['捐赠', 'Donation'], register: ['注册', 'Registration'], product: ['商品', 'Product'],
    points: ['积分', 'Points'], other: ['其他', 'Other'],
  },
  UserStatuses: { active: ['正常', 'Active'], deregistered: ['已注销', 'Closed'] },
};

// Tones by what a value means wherever it appears; a vocabulary overrides where the same word means something else.
const toneByValue: Record<string, Tone> = {
  active: 'ok', ready: 'ok', running: 'ok', fulfilled: 'ok', paid: 'ok', issued: 'ok', delivered: 'ok', credited: 'ok', approved: 'info',
  available: 'info', matched: 'info', sent: 'ok', host_recovered: 'ok', registered: 'info', email_verified: 'ok', login: 'neutral',
  pending: 'warn', pending_payment: 'warn', requested: 'warn', scheduled: 'warn', provisioning: 'warn', draining: 'warn', unmatched: 'warn',
  locked: 'warn', warning: 'warn', unused: 'info', used: 'neutral',
  failed: 'danger', rejected: 'danger', reversed: 'danger', suspended: 'danger', unhealthy: 'danger', critical: 'danger', refunded: 'danger',
  disabled: 'danger', stopped: 'danger', exited: 'danger', forfeit: 'danger', login_failed: 'warn', account_locked: 'danger',
  refresh_token_reused: 'danger', role_changed: 'warn', password_changed: 'info', deregistered: 'neutral', deregistration_blocked: 'warn',
  cancelled: 'neutral', expired: 'neutral', closed: 'neutral', removed: 'neutral', info: 'info',
};

const toneOverrides: Partial<Record<VocabularyName, Record<string, Tone>>> = {
  AlertTypes: Object.fromEntries(vocabularies.AlertTypes.map((type) => [type, type === 'host_recovered' ? 'ok' : type === 'traffic_rate' || type === 'host_allowance' ? 'warn' : 'danger'])),
  DenialReasons: Object.fromEntries(vocabularies.DenialReasons.map((reason) => [reason, 'danger'])),
  SerialActions: { disable: 'danger', delete: 'danger', expire: 'neutral', redeem: 'ok', generate: 'info', enable: 'ok' },
  SerialStatuses: { active: 'ok', used: 'neutral' },
  CommissionStatuses: { paid: 'neutral' },
  OrderStatuses: { paid: 'info' },
  ContainerStates: { stopped: 'warn' },
  UserStatuses: { deregistered: 'neutral' },
  Roles: { admin: 'info', superadmin: 'info', distributor: 'info', renter: 'neutral' },
};

/** The label of a vocabulary value in a language; a value this build does not know yet (a newer server) shows as itself. */
export function label(vocabulary: VocabularyName, value: string, language: Language): string {
  const group = fromMessages[vocabulary];
  if (group) return vocabularyLabel(language, group, value);
  const pair = own[vocabulary]?.[value];
  return pair ? pair[language === 'en' ? 1 : 0] : value;
}

/** Whether a vocabulary value has a label of its own in a language (the unit test asks this for every value). */
export function hasLabel(vocabulary: VocabularyName, value: string, language: Language): boolean {
  const group = fromMessages[vocabulary];
  if (group) return `${group}_${value}` in messages[language];
  return Boolean(own[vocabulary]?.[value]?.[language === 'en' ? 1 : 0]);
}

/** The colour a badge of this value has: ok (green), info (blue), warn (amber), danger (red) or neutral (grey). */
export function tone(vocabulary: VocabularyName, value: string): Tone {
  return toneOverrides[vocabulary]?.[value] ?? toneByValue[value] ?? 'neutral';
}

/** `(vocabulary, value) => label` in the UI language. */
export function useLabel(): (vocabulary: VocabularyName, value: string) => string {
  const { language } = useI18n();
  return (vocabulary, value) => label(vocabulary, value, language);
}
