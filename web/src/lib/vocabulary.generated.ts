// Generated from Derp.Contracts by `make vocabulary`: do not edit. A unit test fails when it is out of date.

export const AlertSeverities = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof AlertSeverities)[number];

export const AlertTypes = ['host_unhealthy', 'host_recovered', 'capacity_short', 'regions_short', 'provisioning_failed', 'container_change_failed', 'remove_failed', 'relay_unreachable', 'traffic_rate', 'host_allowance', 'quota_exceeded'] as const;
export type AlertType = (typeof AlertTypes)[number];

export const AuditActions = ['registered', 'email_verified', 'login', 'login_failed', 'account_locked', 'logout', 'password_changed', 'role_changed', 'refresh_token_reused', 'rental_extended', 'deregistered', 'device_registered', 'device_removed'] as const;
export type AuditAction = (typeof AuditActions)[number];

export const BindingPolicies = ['strict', 'lenient'] as const;
export type BindingPolicy = (typeof BindingPolicies)[number];

export const ContainerStates = ['pending', 'running', 'stopped', 'exited', 'failed', 'removed'] as const;
export type ContainerState = (typeof ContainerStates)[number];

export const DenialReasons = ['bad_token', 'malformed_key', 'unknown_key', 'other_renter', 'rental_inactive', 'over_quota'] as const;
export type DenialReason = (typeof DenialReasons)[number];

export const EmailStatuses = ['pending', 'sent', 'failed'] as const;
export type EmailStatus = (typeof EmailStatuses)[number];

export const GenerationTriggers = ['provisioned', 'rotation', 'admin', 'host_removed'] as const;
export type GenerationTrigger = (typeof GenerationTriggers)[number];

export const PolicyFormats = ['tailscale', 'headscale'] as const;
export type PolicyFormat = (typeof PolicyFormats)[number];

export const ProvisioningReasons = ['rental', 'host_removed', 'reprovisioned'] as const;
export type ProvisioningReason = (typeof ProvisioningReasons)[number];

export const RentalSources = ['serial', 'admin'] as const;
export type RentalSource = (typeof RentalSources)[number];

export const RentalStatuses = ['active', 'expired', 'closed'] as const;
export type RentalStatus = (typeof RentalStatuses)[number];

export const Roles = ['renter', 'distributor', 'admin', 'superadmin'] as const;
export type Role = (typeof Roles)[number];

export const SerialActions = ['generate', 'redeem', 'validate', 'disable', 'enable', 'edit', 'delete', 'unbind', 'expire'] as const;
export type SerialAction = (typeof SerialActions)[number];

export const SerialKinds = ['rental', 'licence', 'balance', 'donation', 'invite'] as const;
export type SerialKind = (typeof SerialKinds)[number];

export const SerialStatuses = ['unused', 'active', 'used', 'expired', 'disabled'] as const;
export type SerialStatus = (typeof SerialStatuses)[number];

export const ServerStatuses = ['active', 'draining', 'unhealthy', 'removed'] as const;
export type ServerStatus = (typeof ServerStatuses)[number];

export const ServiceStates = ['provisioning', 'ready', 'stopped'] as const;
export type ServiceState = (typeof ServiceStates)[number];

export const UseTypes = ['membership', 'donation', 'register', 'product', 'points', 'other'] as const;
export type UseType = (typeof UseTypes)[number];

export const UserStatuses = ['active', 'deregistered'] as const;
export type UserStatus = (typeof UserStatuses)[number];
