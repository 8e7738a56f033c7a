// What a problem (RFC 7807) says to a person, keyed by its stable `code` — never by the English title, which must not
// show in the Chinese UI. problems.test.ts reads the C# sources and fails when a code a service can return has no
// message here in both languages; a helper adding codes adds their messages in its own block at the end.
import type { Problem } from './api';
import type { Language } from './i18n';

type Messages = Record<string, [zh: string, en: string]>;

const messages: Messages = {
  // Shared by every service (building-blocks ProblemCodes, session revocation, the gateway's limiter)
  validation_failed: ['有内容填写不正确，请检查标出的字段。', 'Some fields are not valid: check the marked fields.'],
  malformed_json: ['请求格式不正确。', 'The request was not understood.'],
  invalid_request: ['请求无效。', 'The request is not valid.'],
  payload_too_large: ['提交的内容太大。', 'What you sent is too large.'],
  unsupported_media_type: ['不支持提交的内容格式。', 'This kind of content is not accepted.'],
  unauthorized: ['请先登录。', 'Please sign in.'],
  forbidden: ['您没有权限执行此操作。', 'You are not allowed to do this.'],
  not_found: ['找不到该内容。', 'Not found.'],
  method_not_allowed: ['不支持此操作。', 'This action is not supported.'],
  conflict: ['操作与当前状态冲突，请刷新后再试。', 'This conflicts with the current state: reload and try again.'],
  too_many_requests: ['请求太频繁，请稍后再试。', 'Too many requests: try again later.'],
  internal_error: ['服务器出错了，请稍后再试。', 'Something went wrong on our side: try again later.'],
  service_unavailable: ['服务暂时不可用，请稍后再试。', 'The service is unavailable for a moment: try again later.'],
  session_ended: ['您的登录已失效，请重新登录。', 'Your session has ended: please sign in again.'],
  rate_limited: ['请求太频繁，请稍后再试。', 'Too many requests from this address: try again later.'],

  // Users
  account_not_settled: ['账户尚未结清（还有余额、未支付或处理中的订单），结清后才能注销。', 'Your account is not settled yet (money left or an open order): it can be closed once settled.'],
  username_taken: ['该用户名已被占用。', 'This username is taken.'],
  invalid_verification_code: ['验证码不正确。', 'The verification code is not valid.'],
  verification_code_expired: ['验证码已过期，请重新发送。', 'The verification code has expired: send a new one.'],
  email_already_verified: ['该邮箱已验证，请直接登录。', 'This email is already verified: sign in.'],
  verification_mail_limit: ['验证邮件发送太频繁。', 'Too many verification mails.'],
  invalid_credentials: ['邮箱或密码错误。', 'The email or password is wrong.'],
  email_not_verified: ['请先验证您的邮箱。', 'Verify your email address first.'],
  account_locked: ['登录失败次数过多，账号已暂时锁定。', 'The account is locked after repeated failed sign-ins.'],
  login_rate_limited: ['该地址登录尝试太频繁。', 'Too many sign-in attempts from this address.'],
  invalid_refresh_token: ['登录已失效，请重新登录。', 'Your session has expired: please sign in again.'],
  refresh_token_reused: ['检测到登录凭据被重复使用，为安全起见已退出，请重新登录。', 'A sign-in token was used twice: you were signed out for safety. Please sign in again.'],
  invalid_current_password: ['当前密码不正确。', 'The current password is wrong.'],
  user_not_found: ['找不到该用户。', 'No such user.'],
  cannot_change_own_role: ['不能修改自己的角色。', 'You cannot change your own role.'],
  account_deregistered: ['该账号已注销。', 'This account has been closed.'],
  no_rental: ['您还没有租期：兑换卡密或购买套餐即可开始。', 'No rental yet: redeem a card key or buy a plan to start one.'],
  device_limit_reached: ['设备数量已达上限，请先移除一台设备。', 'You have reached the device limit: remove a device first.'],
  device_exists: ['该节点密钥已登记。', 'This node key is already registered.'],
  device_not_found: ['找不到该设备。', 'No such device.'],

  // ACL
  policy_not_found: ['还没有可用的策略：中继开通后会自动生成。', 'No policy yet: it is generated once your relays are set up.'],
  rental_not_active: ['租期未生效或已过期。', 'The rental is not active.'],
  renter_deregistered: ['该租户已注销。', 'This renter has closed the account.'],

  // Servers
  server_not_found: ['找不到该服务器。', 'No such server.'],
  server_name_taken: ['该服务器名称已被使用。', 'This server name is taken.'],
  host_key_mismatch: ['主机 SSH 指纹与登记的不一致。', "The host's SSH key does not match the recorded one."],
  host_unreachable: ['无法连接到该主机。', 'The host cannot be reached.'],
  server_removed: ['该服务器已移除。', 'This server has been removed.'],
  container_not_found: ['找不到该容器。', 'No such container.'],
  container_removed: ['该容器已移除。', 'This container has been removed.'],
  alert_not_found: ['找不到该告警。', 'No such alert.'],

  // Serials
  serial_not_found: ['卡密不存在，请检查输入。', 'No such card key: check what you typed.'],
  serial_already_used: ['该卡密已被使用。', 'This card key has already been used.'],
  serial_expired: ['该卡密已过期。', 'This card key has expired.'],
  serial_disabled: ['该卡密已被禁用。', 'This card key has been disabled.'],
  serial_wrong_kind: ['该卡密不能在这里使用。', 'This card key cannot be used here.'],
  serial_in_use: ['该卡密正在使用中。', 'This card key is in use.'],
  redeem_rate_limited: ['兑换尝试太频繁。', 'Too many redemption attempts.'],
  not_a_licence: ['这不是授权卡。', 'This is not a licence key.'],

  // Finance
  plan_not_found: ['找不到该套餐。', 'No such plan.'],
  plan_not_on_sale: ['该套餐暂未出售。', 'This plan is not on sale.'],
  renewal_not_offered: ['该套餐不支持续费。', 'This plan cannot be bought as a renewal.'],
  plan_sold_out: ['该套餐已售罄。', 'This plan is sold out.'],
  too_many_open_orders: ['未支付的订单太多，请先支付或取消。', 'Too many unpaid orders: pay or cancel one first.'],
  order_not_found: ['找不到该订单。', 'No such order.'],
  order_not_cancellable: ['该订单当前不能取消。', 'This order cannot be cancelled now.'],
  order_not_payable: ['该订单当前不能支付。', 'This order cannot be paid now.'],
  order_not_refundable: ['该订单当前不能退款。', 'This order cannot be refunded now.'],
  order_not_reopenable: ['该订单不能重新打开。', 'This order cannot be reopened.'],
  mark_not_allowed: ['该订单当前不能这样标记。', 'This order cannot be marked this way now.'],
  insufficient_balance: ['余额不足。', 'The balance is too small.'],
  payment_reference_conflict: ['该支付流水号已被使用。', 'This payment reference is already recorded.'],
  receipt_not_found: ['找不到该收款记录。', 'No such receipt.'],
  receipt_not_unmatched: ['该收款已匹配或已入账。', 'This receipt is already matched or credited.'],
  payment_account_not_found: ['找不到该收款账户。', 'No such payment account.'],
  qr_image_invalid: ['收款码必须是 PNG 或 JPEG 图片。', 'The QR code must be a PNG or JPEG image.'],
  account_settled: ['该账户已结清。', 'This account is already settled.'],
  provider_disabled: ['该支付渠道的通知未启用。', 'Notifications from this payment provider are off.'],
  signature_invalid: ['签名无效。', 'The signature is not valid.'],
  public_donations_off: ['捐赠名单未公开。', 'The public donation list is not enabled.'],
  notification_malformed: ['支付通知格式不正确。', 'The payment notification is malformed.'],
  notification_replayed: ['该支付通知已处理过。', 'This payment notification was already processed.'],
  provider_account_mismatch: ['支付通知的收款账户不符。', 'The notification is for another account.'],
  notification_undecryptable: ['无法解密支付通知。', 'The payment notification cannot be decrypted.'],
  refund_amount_invalid: ['退款金额无效。', 'The refund amount is not valid.'],

  // Distribution
  not_a_distributor: ['您还不是分销商。', 'You are not a distributor.'],
  application_pending: ['您的申请正在审核中。', 'Your application is being reviewed.'],
  already_distributor: ['您已经是分销商。', 'You are already a distributor.'],
  application_not_found: ['找不到该申请。', 'No such application.'],
  application_not_pending: ['该申请已处理。', 'This application has already been decided.'],
  distributor_not_found: ['找不到该分销商。', 'No such distributor.'],
  batch_not_found: ['找不到该卡密批次。', 'No such serial batch.'], // people
  distributor_not_active: ['该分销商已暂停。', 'This distributor is suspended.'],
  distributor_not_suspended: ['该分销商未被暂停。', 'This distributor is not suspended.'],
  tier_not_found: ['找不到该等级。', 'No such tier.'],
  tier_exists: ['该等级已存在。', 'This tier already exists.'],
  payout_qr_invalid: ['收款码必须是 PNG 或 JPEG 图片。', 'The payout QR code must be a PNG or JPEG image.'],
  plan_retired: ['该套餐已下架。', 'This plan has been retired.'],
  request_not_found: ['找不到该申请。', 'No such request.'],
  request_not_pending: ['该申请已处理。', 'This request has already been decided.'],
  request_not_cancellable: ['该申请当前不能撤销。', 'This request cannot be cancelled now.'],
  insufficient_commission: ['可提现佣金不足。', 'Not enough commission is available.'],
  payout_below_minimum: ['提现金额低于最低额度。', 'The payout is below the minimum.'],
  payout_not_found: ['找不到该提现申请。', 'No such payout.'],
  payout_already_decided: ['该提现申请已处理。', 'This payout has already been decided.'],
  card_not_found: ['找不到该商品卡。', 'No such card.'],
  rule_not_found: ['找不到该规则。', 'No such rule.'],
  api_key_not_found: ['找不到该接口密钥。', 'No such API key.'],
  delivery_not_found: ['找不到该发货记录。', 'No such delivery.'],
  invalid_api_key: ['接口密钥无效。', 'The API key is not valid.'],
  api_key_attempts_exceeded: ['接口密钥尝试次数过多。', 'Too many attempts with invalid API keys.'],
  card_type_mismatch: ['商品卡类型不匹配。', 'The card type does not match.'],

  // --- (other helpers add the messages of their new codes below, each in its own block) ---

  // --- renter ---
  invalid_reset_code: ['验证码不正确。', 'The reset code is not valid.'],
  reset_code_expired: ['验证码已过期或已使用，请重新发送。', 'The reset code has expired or was used: send a new one.'],
  password_reset_mail_limit: ['重置邮件发送太频繁。', 'Too many password reset mails.'],
};

/** The message of a status when a code is unknown to this build (a newer server). */
const byStatus = (status: number | undefined): string =>
  status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status === 409 ? 'conflict'
    : status === 422 || status === 400 ? 'invalid_request' : status === 429 ? 'too_many_requests'
      : status !== undefined && status >= 502 && status <= 504 ? 'service_unavailable' : 'internal_error';

/** Every code that has a message (the test compares this with the codes the services return). */
export const knownProblemCodes = (): string[] => Object.keys(messages);

/**
 * What a problem says in the UI language. An unknown code falls back to the server's title in English and to the
 * message of its HTTP status in Chinese (never the English title).
 */
export function problemMessage(code: string, language: Language, problem?: Partial<Problem>): string {
  const pair = messages[code];
  if (pair) return pair[language === 'en' ? 1 : 0];
  if (language === 'en' && problem?.title) return problem.title;
  return messages[byStatus(problem?.status)][language === 'en' ? 1 : 0];
}

/** Whether a problem is a "wait and try again" one that comes with a countdown. */
export const isRetryLater = (problem: Partial<Problem>): boolean => (problem.retryAfter ?? 0) > 0 && (problem.status === 429 || problem.status === 423);
