// People by name: the lists hold user ids; usePeople resolves them through the users lookup, batching the ids of every
// component that asks in the same tick into one request (≤ 200 ids each), and caching what it learnt.
import { createElement, useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { api } from './api';

export interface Person { id: string; email: string; username: string; role: string; status: string }

const maxIdsPerLookup = 200;
const known = new Map<string, Person | null>();
const waiting = new Set<string>();
const listeners = new Set<() => void>();
let scheduled = false;

async function flush() {
  scheduled = false;
  const ids = [...waiting];
  waiting.clear();
  for (let i = 0; i < ids.length; i += maxIdsPerLookup) {
    const chunk = ids.slice(i, i + maxIdsPerLookup);
    try {
      const people = await api<Person[]>(`/api/users/lookup?ids=${chunk.join(',')}`);
      chunk.forEach((id) => known.set(id, null));
      people.forEach((p) => known.set(p.id, p));
    } catch {
      // Not resolved (no permission, users down): the id stays on screen; a later page may ask again.
    }
  }
  listeners.forEach((notify) => notify());
}

function request(ids: string[]) {
  ids.filter((id) => !known.has(id)).forEach((id) => waiting.add(id));
  if (waiting.size > 0 && !scheduled) {
    scheduled = true;
    queueMicrotask(flush);
  }
}

/** Forgets what was looked up (a role changed; tests). */
export function forgetPeople() {
  known.clear();
}

/** The people behind the ids (null and repeated ids allowed); an id not yet (or never) resolved maps to undefined. */
export function usePeople(ids: (string | null | undefined)[]): Map<string, Person> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))].sort();
  const key = wanted.join(',');
  const [, setVersion] = useState(0);
  useEffect(() => {
    const notify = () => setVersion((v) => v + 1);
    listeners.add(notify);
    request(key ? key.split(',') : []);
    return () => {
      listeners.delete(notify);
    };
  }, [key]);
  const map = new Map<string, Person>();
  wanted.forEach((id) => {
    const person = known.get(id);
    if (person) map.set(id, person);
  });
  return map;
}

/** A person as a link to their user page: the email (username below it on hover), else a short id until resolved. */
export function PersonLink({ id, person, fallback }: { id: string | null | undefined; person?: Person; fallback?: ReactNode }): ReactNode {
  if (!id) return fallback ?? '—';
  return createElement(Link, { to: `/admin/users/${id}`, title: person ? `${person.username} · ${id}` : id, ...{ 'data-testid': 'person' } },
    person ? person.email : id.slice(0, 8));
}

/** A name for each of the ids: the email once resolved, else the start of the id. */
export function usePersonName(ids: (string | null | undefined)[]): (id: string) => string {
  const people = usePeople(ids);
  return (id: string) => people.get(id)?.email ?? id.slice(0, 8);
}
