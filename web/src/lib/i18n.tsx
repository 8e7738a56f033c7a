import { createContext, useContext, useState, type ReactNode } from 'react';

export type Language = 'zh-CN' | 'en';

const zh = {
  appName: 'Derp 中继',
  tagline: '为您的 Tailscale 网络租用专属 DERP 中继',
  login: '登录',
  logout: '退出',
  register: '注册',
  verifyEmail: '验证邮箱',
  email: '邮箱',
  username: '用户名',
  password: '密码',
  code: '验证码',
  submit: '提交',
  resend: '重新发送验证码',
  codeSent: '验证码已发送到您的邮箱，10 分钟内最多发送 5 封。',
  verified: '邮箱已验证，请登录。',
  noAccount: '还没有账号？',
  haveAccount: '已有账号？',
  dashboard: '控制台',
  welcome: '欢迎，{name}',
  role: '角色',
  roles_renter: '租户',
  roles_distributor: '分销商',
  roles_admin: '管理员',
  roles_superadmin: '超级管理员',
  renterIntro: '兑换卡密即可租用三个地区的 DERP 中继，并下载您的 tailnet 策略。',
  distributorIntro: '在这里申请和管理您的卡密。',
  adminIntro: '管理用户、服务器、财务与分销商。',
  users: '用户',
  audit: '操作日志',
  search: '搜索邮箱或用户名',
  allRoles: '全部角色',
  changeRole: '修改角色',
  save: '保存',
  created: '注册时间',
  lastLogin: '最近登录',
  verifiedCol: '已验证',
  yes: '是',
  no: '否',
  action: '操作',
  time: '时间',
  ip: 'IP',
  userAgent: '浏览器',
  detail: '详情',
  previous: '上一页',
  next: '下一页',
  total: '共 {n} 条',
  roleChanged: '角色已更新',
  loading: '加载中…',
  language: 'English',
  error_generic: '出错了，请稍后再试。',
  serials: '卡密',
  redeem: '兑换卡密',
  redeemHint: '输入卡密（如 VIP-XXXXXXXXXX），大小写和首尾空格不影响。',
  redeemed: '兑换成功：{kind}',
  generate: '批量生成',
  prefix: '前缀',
  count: '数量',
  kind: '类型',
  codeLength: '卡密长度',
  durationDays: '时长（天）',
  durationHours: '时长（小时）',
  trafficQuotaGb: '流量（GB）',
  valueCents: '面值（分）',
  validDays: '未使用有效期（天）',
  bindingPolicy: '绑定策略',
  dataKey: '数据密钥（仅授权卡）',
  remark: '备注',
  generating: '正在生成 {n} 个卡密… 已用 {s} 秒',
  generated: '已生成 {n} 个卡密',
  status: '状态',
  allStatuses: '全部状态',
  allKinds: '全部类型',
  export: '导出',
  disable: '禁用',
  enable: '启用',
  delete: '删除',
  confirmDelete: '确定删除这个卡密吗？',
  unbind: '解绑机器',
  validUntil: '未使用截止',
  expiresAt: '到期时间',
  firstUsed: '首次使用',
  user: '用户',
  useLog: '使用记录',
  mismatches: '绑定不符记录',
  machineCode: '机器码',
  hardware: '硬件',
  boundTo: '绑定于',
  request: '请求内容',
  back: '返回',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  appName: 'Derp Relays',
  tagline: 'Private DERP relays for your Tailscale network',
  login: 'Log in',
  logout: 'Log out',
  register: 'Register',
  verifyEmail: 'Verify email',
  email: 'Email',
  username: 'Username',
  password: 'Password',
  code: 'Code',
  submit: 'Submit',
  resend: 'Send the code again',
  codeSent: 'A code was sent to your email. At most 5 mails per 10 minutes.',
  verified: 'Your email is verified. Please log in.',
  noAccount: 'No account yet?',
  haveAccount: 'Already registered?',
  dashboard: 'Dashboard',
  welcome: 'Welcome, {name}',
  role: 'Role',
  roles_renter: 'Renter',
  roles_distributor: 'Distributor',
  roles_admin: 'Admin',
  roles_superadmin: 'Superadmin',
  renterIntro: 'Redeem a serial to rent DERP relays in three regions and download your tailnet policy.',
  distributorIntro: 'Request and manage your serials here.',
  adminIntro: 'Run users, servers, money and distributors.',
  users: 'Users',
  audit: 'Operation log',
  search: 'Search email or username',
  allRoles: 'All roles',
  changeRole: 'Change role',
  save: 'Save',
  created: 'Registered',
  lastLogin: 'Last login',
  verifiedCol: 'Verified',
  yes: 'Yes',
  no: 'No',
  action: 'Action',
  time: 'Time',
  ip: 'IP',
  userAgent: 'Browser',
  detail: 'Detail',
  previous: 'Previous',
  next: 'Next',
  total: '{n} in total',
  roleChanged: 'Role updated',
  loading: 'Loading…',
  language: '中文',
  error_generic: 'Something went wrong. Please try again.',
  serials: 'Serials',
  redeem: 'Redeem a serial',
  redeemHint: 'Enter the serial (e.g. VIP-XXXXXXXXXX); case and surrounding spaces do not matter.',
  redeemed: 'Redeemed: {kind}',
  generate: 'Generate a batch',
  prefix: 'Prefix',
  count: 'Count',
  kind: 'Kind',
  codeLength: 'Code length',
  durationDays: 'Duration (days)',
  durationHours: 'Duration (hours)',
  trafficQuotaGb: 'Traffic (GB)',
  valueCents: 'Value (cents)',
  validDays: 'Valid while unused (days)',
  bindingPolicy: 'Binding policy',
  dataKey: 'Data key (licences only)',
  remark: 'Remark',
  generating: 'Generating {n} serials… {s} s so far',
  generated: '{n} serials generated',
  status: 'Status',
  allStatuses: 'All statuses',
  allKinds: 'All kinds',
  export: 'Export',
  disable: 'Disable',
  enable: 'Enable',
  delete: 'Delete',
  confirmDelete: 'Delete this serial?',
  unbind: 'Unbind machine',
  validUntil: 'Valid until',
  expiresAt: 'Expires',
  firstUsed: 'First used',
  user: 'User',
  useLog: 'Use log',
  mismatches: 'Binding mismatches',
  machineCode: 'Machine code',
  hardware: 'Hardware',
  boundTo: 'Bound to',
  request: 'Request',
  back: 'Back',
};

export const messages: Record<Language, Record<MessageKey, string>> = { 'zh-CN': zh, en };

export function translate(language: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  return Object.entries(values).reduce((text, [name, value]) => text.replaceAll(`{${name}}`, String(value)), messages[language][key]);
}

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() => (localStorage.getItem('derp.language') as Language) ?? 'zh-CN');
  const setLanguage = (next: Language) => {
    localStorage.setItem('derp.language', next);
    document.documentElement.lang = next;
    setLanguageState(next);
  };
  return (
    <I18nContext.Provider value={{ language, setLanguage, t: (key, values) => translate(language, key, values) }}>
      {children}
    </I18nContext.Provider>
  );
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}
