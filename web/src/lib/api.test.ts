import { ApiError, api, imageDataUrl, tokenStore, toProblem } from './api';

function problemResponse(status: number, body: object, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json', ...headers } });
}

describe('api client', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    localStorage.clear();
  });

  it('reads the stable code, field errors and Retry-After of a problem', async () => {
    const problem = await toProblem(problemResponse(429, { title: 'Slow down', code: 'verification_mail_limit' }, { 'Retry-After': '42' }));
    expect(problem).toMatchObject({ status: 429, code: 'verification_mail_limit', retryAfter: 42 });
  });

  it('throws ApiError carrying the problem', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => problemResponse(400, { title: 'Bad', code: 'validation_failed', errors: { email: ['x'] } })));
    const error = await api('/api/users/register', { method: 'POST', body: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).problem.errors).toEqual({ email: ['x'] });
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    tokenStore.set({ accessToken: 'old', refreshToken: 'r1', expiresIn: 900 });
    const calls: string[] = [];
    vi.stubGlobal('fetch', vi.fn(async (path: string, init: RequestInit) => {
      calls.push(`${path} ${(init.headers as Record<string, string>).Authorization ?? ''}`);
      if (path === '/api/users/refresh') return new Response(JSON.stringify({ accessToken: 'new', refreshToken: 'r2', expiresIn: 900 }), { status: 200 });
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === 'Bearer new' ? new Response(JSON.stringify({ ok: true }), { status: 200 }) : problemResponse(401, { code: 'unauthorized' });
    }));

    await expect(api('/api/users/me')).resolves.toEqual({ ok: true });
    expect(calls).toEqual(['/api/users/me Bearer old', '/api/users/refresh ', '/api/users/me Bearer new']);
    expect(tokenStore.get()?.refreshToken).toBe('r2');
  });

  it('forgets the tokens when the refresh is refused', async () => {
    tokenStore.set({ accessToken: 'old', refreshToken: 'stolen', expiresIn: 900 });
    vi.stubGlobal('fetch', vi.fn(async () => problemResponse(401, { code: 'refresh_token_reused' })));
    await expect(api('/api/users/me')).rejects.toBeInstanceOf(ApiError);
    expect(tokenStore.get()).toBeNull();
  });

  it('reads an authenticated image as a data URL with its content type', async () => {
    tokenStore.set({ accessToken: 'a', refreshToken: 'r', expiresIn: 900 });
    const bytes = new Uint8Array(70000).map((_, i) => i % 256);
    const fetchMock = vi.fn(async () => new Response(bytes, { status: 200, headers: { 'Content-Type': 'image/png' } }));
    vi.stubGlobal('fetch', fetchMock);
    const url = await imageDataUrl('/api/finance/payment-accounts/alipay/qr');
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    expect(Uint8Array.from(atob(url.split(',')[1]), (c) => c.charCodeAt(0))).toEqual(bytes);
    expect((fetchMock.mock.calls[0] as unknown[])[1]).toEqual({ headers: { Authorization: 'Bearer a' } });
  });
});
