// Page tests render the real App (router, auth, i18n) against a stubbed gateway: each route answers a fixed body, a
// Response, or a handler; every call is recorded so a test can check what a page sent.
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { App } from '../App';
import { tokenStore } from '../lib/api';
import { AuthProvider } from '../lib/auth';
import { I18nProvider } from '../lib/i18n';

export type Handler = (init: RequestInit & { path: string }) => unknown;
export type Calls = { method: string; path: string; body: unknown }[];

export let calls: Calls = [];

export function stubGateway(user: object, routes: Record<string, Handler | object>) {
  calls = [];
  tokenStore.set({ accessToken: 'a', refreshToken: 'r', expiresIn: 900 });
  vi.stubGlobal('fetch', vi.fn(async (path: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    calls.push({ method, path, body: init.body ? JSON.parse(String(init.body)) : undefined });
    if (path === '/api/users/me') return Response.json(user);
    const bare = path.split('?')[0];
    const route = routes[`${method} ${bare}`] ?? routes[bare];
    if (route === undefined) return Response.json({ title: 'Not Found', code: 'not_found' }, { status: 404 });
    const answer = typeof route === 'function' ? (route as Handler)({ ...init, path }) : route;
    return answer instanceof Response ? answer : Response.json(answer);
  }));
}

export function renderAt(path: string) {
  return render(
    <I18nProvider>
      <AuthProvider>
        <MemoryRouter initialEntries={[path]}>
          <App />
        </MemoryRouter>
      </AuthProvider>
    </I18nProvider>,
  );
}

export const sent = (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path);
