// A thin client for the gateway: JSON in and out, RFC 7807 problems surfaced as ApiError with their stable code,
// and one transparent refresh when the access token has expired.

export interface Problem {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: Record<string, string[]>;
  retryAfter?: number;
}

export class ApiError extends Error {
  constructor(public readonly problem: Problem) {
    super(problem.title);
  }
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface User {
  id: string;
  email: string;
  username: string;
  role: 'renter' | 'distributor' | 'admin' | 'superadmin';
  emailVerified: boolean;
  language: string;
  createdAt: string;
  lastLoginAt: string | null;
  lockedUntil: string | null;
  status: 'active' | 'deregistered';
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface AuditEntry {
  id: number;
  userId: string | null;
  actorId: string | null;
  action: string;
  detail: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
}

const storageKey = 'derp.tokens';

export const tokenStore = {
  get(): Tokens | null {
    const raw = localStorage.getItem(storageKey);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  },
  set(tokens: Tokens | null) {
    if (tokens) localStorage.setItem(storageKey, JSON.stringify(tokens));
    else localStorage.removeItem(storageKey);
  },
};

export async function toProblem(response: Response): Promise<Problem> {
  const retryAfter = Number(response.headers.get('Retry-After')) || undefined;
  try {
    const body = await response.json();
    return { status: response.status, code: body.code ?? 'unknown', title: body.title ?? response.statusText, detail: body.detail, errors: body.errors, retryAfter };
  } catch {
    return { status: response.status, code: 'unknown', title: response.statusText, retryAfter };
  }
}

let refreshing: Promise<boolean> | null = null;

async function refresh(): Promise<boolean> {
  const tokens = tokenStore.get();
  if (!tokens) return false;
  const response = await fetch('/api/users/refresh', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken: tokens.refreshToken }),
  });
  if (!response.ok) {
    tokenStore.set(null);
    return false;
  }
  tokenStore.set(await response.json());
  return true;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}, retried = false): Promise<T> {
  const tokens = tokenStore.get();
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (tokens) headers.Authorization = `Bearer ${tokens.accessToken}`;
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (response.status === 401 && tokens && !retried) {
    // Several calls may expire together: they share one refresh.
    refreshing ??= refresh().finally(() => (refreshing = null));
    if (await refreshing) return api<T>(path, init, true);
  }
  if (!response.ok) throw new ApiError(await toProblem(response));
  if (response.status === 204 || response.status === 202) return undefined as T;
  return (await response.json()) as T;
}

/** Downloads an authenticated response (an export) as a file. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const tokens = tokenStore.get();
  const response = await fetch(path, { headers: tokens ? { Authorization: `Bearer ${tokens.accessToken}` } : {} });
  if (!response.ok) throw new ApiError(await toProblem(response));
  const name = response.headers.get('Content-Disposition')?.match(/filename="?([^";]+)"?/)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * An authenticated image (a receiving QR code) as a data: URL for <img>. Not an object URL: the gateway's
 * Content-Security-Policy lets images come from 'self' and data: only, so a blob: URL would not be shown.
 */
export async function imageDataUrl(path: string, retried = false): Promise<string> {
  const tokens = tokenStore.get();
  const response = await fetch(path, { headers: tokens ? { Authorization: `Bearer ${tokens.accessToken}` } : {} });
  if (response.status === 401 && tokens && !retried) {
    refreshing ??= refresh().finally(() => (refreshing = null));
    if (await refreshing) return imageDataUrl(path, true);
  }
  if (!response.ok) throw new ApiError(await toProblem(response));
  const type = response.headers.get('Content-Type')?.split(';')[0] || 'application/octet-stream';
  const bytes = new Uint8Array(await response.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${type};base64,${btoa(binary)}`;
}
