// Loading what a page shows: one GET per path, with the answer or the problem kept for rendering.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';

export const pageSize = 20;

/**
 * GETs a path (null = not yet) and keeps the answer or the problem; reload() fetches it again. Only the newest request
 * is kept: typing a filter sends a request per change, and an older answer arriving last (the unfiltered list) must not
 * replace the newer one.
 */
export function useLoad<T>(path: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const newest = useRef(0);
  const reload = useCallback(async () => {
    if (!path) return;
    const request = ++newest.current;
    try {
      const answer = await api<T>(path);
      if (request !== newest.current) return;
      setData(answer);
      setError(null);
    } catch (e) {
      if (request === newest.current) setError(e);
    }
  }, [path]);
  useEffect(() => {
    reload();
  }, [reload]);
  return { data, error, setError, reload };
}

/** A list path with paging and the filters that have a value. */
export function pagedPath(path: string, page: number, filters: Record<string, string> = {}, size = pageSize): string {
  const query = new URLSearchParams({ page: String(page), pageSize: String(size) });
  Object.entries(filters).forEach(([key, value]) => value.trim() && query.set(key, value.trim()));
  return `${path}?${query}`;
}
