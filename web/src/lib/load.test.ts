import { act, renderHook, waitFor } from '@testing-library/react';
import { pagedPath, useLoad } from './load';

describe('useLoad', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('keeps the newest path\'s answer when an older request answers last', async () => {
    const pending = new Map<string, (body: unknown) => void>();
    vi.stubGlobal('fetch', vi.fn((path: string) => new Promise<Response>((resolve) => {
      pending.set(path, (body) => resolve(Response.json(body)));
    })));
    const { result, rerender } = renderHook(({ path }) => useLoad<{ rows: number }>(path), { initialProps: { path: '/api/list' } });
    rerender({ path: '/api/list?userId=u1' });
    await waitFor(() => expect(pending.size).toBe(2));

    await act(async () => pending.get('/api/list?userId=u1')!({ rows: 3 }));
    await act(async () => pending.get('/api/list')!({ rows: 12 }));

    expect(result.current.data).toEqual({ rows: 3 });
  });

  it('builds a list path with paging and only the filters that have a value', () => {
    expect(pagedPath('/api/alerts', 2, { resolved: '', userId: ' u1 ' }, 50)).toBe('/api/alerts?page=2&pageSize=50&userId=u1');
  });
});
