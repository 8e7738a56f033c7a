// Generated from Derp.Contracts by `make vocabulary`: do not edit. A unit test fails when it is out of date.

export const AlertSeverities = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof AlertSeverities)[number];

export const AlertTypes = ['host_unhealthy', 'host_recovered', 'capacity_short', 'regions_short', 'provisioning_failed', 'container_change_failed', 'remove_failed', 'relay_unreachable', 'traffic_rate', 'host_allowance', 'quota_exceeded'] as const;
export type AlertType = (typeof AlertTypes)[number];

export const ApplicationStatuses = ['pending', 'approved', 'rejected'] as const;
export type ApplicationStatus = (typeof ApplicationStatuses)[number];

export const AuditActions = ['registered', 'email_verified', 'login', 'login_failed', 'account_locked', 'logout', 'password_changed', 'role_changed', 'refresh_token_reused', 'rental_extended', 'deregistered', 'device_registered', 'device_removed', 'deregistration_blocked', 'password_reset', 'sessions_revoked'] as const;
export type AuditAction = (typeof AuditActions)[number];

export const BindingPolicies = ['strict', 'lenient'] as const;
export type BindingPolicy = (typeof BindingPolicies)[number];

export const CardTypes = ['serial', 'text', 'data', 'image', 'api'] as const;
export type CardType = (typeof CardTypes)[number];

export const CommissionStatuses = ['pending', 'available', 'locked', 'paid', 'reversed'] as const;
export type CommissionStatus = (typeof CommissionStatuses)[number];

export const ContainerStates = ['pending', 'running', 'stopped', 'exited', 'failed', 'removed'] as const;
export type ContainerState = (typeof ContainerStates)[number];

export const Currencies = ['CNY'] as const;
export type Currency = (typeof Currencies)[number];

export const DeliveryStatuses = ['scheduled', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DeliveryStatuses)[number];

export const DenialReasons = ['bad_token', 'malformed_key', 'unknown_key', 'other_renter', 'rental_inactive', 'over_quota'] as const;
export type DenialReason = (typeof DenialReasons)[number];

export const DistributionAuditActions = ['application_approved', 'application_rejected', 'distributor_appointed', 'distributor_suspended', 'tier_changed', 'tier_edited', 'request_approved', 'request_rejected', 'payout_paid', 'payout_rejected'] as const;
export type DistributionAuditAction = (typeof DistributionAuditActions)[number];

export const DistributorStatuses = ['active', 'suspended'] as const;
export type DistributorStatus = (typeof DistributorStatuses)[number];

export const EmailStatuses = ['pending', 'sent', 'failed'] as const;
export type EmailStatus = (typeof EmailStatuses)[number];

export const FinanceAuditActions = ['plan_created', 'plan_updated', 'plan_retired', 'payment_confirmed', 'receipt_recorded', 'receipt_matched', 'receipt_credited', 'order_cancelled', 'order_marked', 'order_reopened', 'order_refunded', 'wallet_adjusted', 'account_settled', 'settings_changed'] as const;
export type FinanceAuditAction = (typeof FinanceAuditActions)[number];

export const GenerationTriggers = ['provisioned', 'rotation', 'admin', 'host_removed'] as const;
export type GenerationTrigger = (typeof GenerationTriggers)[number];

export const LedgerEntryTypes = ['serial_top_up', 'order_payment', 'overpayment', 'receipt_credit', 'refund', 'adjustment', 'forfeit', 'paid_out', 'donation', 'commission'] as const;
export type LedgerEntryType = (typeof LedgerEntryTypes)[number];

export const OrderMarks = ['complete', 'renewed', 'cancelled'] as const;
export type OrderMark = (typeof OrderMarks)[number];

export const OrderStatuses = ['pending_payment', 'paid', 'fulfilled', 'cancelled', 'expired', 'refunded'] as const;
export type OrderStatus = (typeof OrderStatuses)[number];

export const OrderTypes = ['new', 'renewal', 'serial_purchase'] as const;
export type OrderType = (typeof OrderTypes)[number];

export const PaymentAccountChannels = ['alipay', 'wechat'] as const;
export type PaymentAccountChannel = (typeof PaymentAccountChannels)[number];

export const PaymentChannels = ['wallet', 'alipay_transfer', 'wechat_transfer', 'alipay', 'wechat_pay', 'other'] as const;
export type PaymentChannel = (typeof PaymentChannels)[number];

export const PayoutStatuses = ['requested', 'paid', 'rejected'] as const;
export type PayoutStatus = (typeof PayoutStatuses)[number];

export const PolicyFormats = ['tailscale', 'headscale'] as const;
export type PolicyFormat = (typeof PolicyFormats)[number];

export const ProvisioningReasons = ['rental', 'host_removed', 'reprovisioned'] as const;
export type ProvisioningReason = (typeof ProvisioningReasons)[number];

export const ProvisioningSteps = ['placed', 'created', 'started', 'announced', 'answering'] as const;
export type ProvisioningStep = (typeof ProvisioningSteps)[number];

export const ReceiptStatuses = ['unmatched', 'matched', 'credited'] as const;
export type ReceiptStatus = (typeof ReceiptStatuses)[number];

export const RefundMethods = ['wallet', 'manual'] as const;
export type RefundMethod = (typeof RefundMethods)[number];

export const RelatedTypes = ['plan', 'ledger_entry', 'donation'] as const;
export type RelatedType = (typeof RelatedTypes)[number];

export const RelaySetStates = ['none', 'provisioning', 'running', 'stopped'] as const;
export type RelaySetState = (typeof RelaySetStates)[number];

export const RelayStopReasons = ['expired', 'over_quota', 'closed'] as const;
export type RelayStopReason = (typeof RelayStopReasons)[number];

export const RentalSources = ['serial', 'admin', 'order'] as const;
export type RentalSource = (typeof RentalSources)[number];

export const RentalStatuses = ['active', 'expired', 'closed'] as const;
export type RentalStatus = (typeof RentalStatuses)[number];

export const Roles = ['renter', 'distributor', 'admin', 'superadmin'] as const;
export type Role = (typeof Roles)[number];

export const SerialActions = ['generate', 'redeem', 'validate', 'disable', 'enable', 'edit', 'delete', 'unbind', 'expire'] as const;
export type SerialAction = (typeof SerialActions)[number];

export const SerialKinds = ['rental', 'licence', 'balance', 'donation', 'invite'] as const;
export type SerialKind = (typeof SerialKinds)[number];

export const SerialRequestStatuses = ['requested', 'approved', 'rejected', 'paid', 'issued', 'cancelled', 'expired'] as const;
export type SerialRequestStatus = (typeof SerialRequestStatuses)[number];

export const SerialStatuses = ['unused', 'active', 'used', 'expired', 'disabled'] as const;
export type SerialStatus = (typeof SerialStatuses)[number];

export const ServerStatuses = ['active', 'draining', 'unhealthy', 'removed'] as const;
export type ServerStatus = (typeof ServerStatuses)[number];

export const ServiceStates = ['provisioning', 'ready', 'stopped'] as const;
export type ServiceState = (typeof ServiceStates)[number];

export const SettlementActions = ['refund', 'forfeit'] as const;
export type SettlementAction = (typeof SettlementActions)[number];

export const SettlementBlockers = ['unpaid_order', 'paid_not_fulfilled', 'balance', 'unmatched_receipt'] as const;
export type SettlementBlocker = (typeof SettlementBlockers)[number];

export const TierCodes = ['gold', 'white_gold', 'platinum'] as const;
export type TierCode = (typeof TierCodes)[number];

export const UseTypes = ['membership', 'donation', 'register', 'product', 'points', 'other'] as const;
export type UseType = (typeof UseTypes)[number];

export const UserStatuses = ['active', 'deregistered'] as const;
export type UserStatus = (typeof UserStatuses)[number];
