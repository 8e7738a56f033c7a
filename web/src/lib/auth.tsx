import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, tokenStore, type Tokens, type User } from './api';

interface Auth {
  user: User | null;
  loading: boolean;
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);

  const loadMe = useCallback(async () => {
    if (!tokenStore.get()) {
      setUser(null);
      return;
    }
    try {
      setUser(await api<User>('/api/users/me'));
    } catch {
      tokenStore.set(null);
      setUser(null);
    }
  }, []);

  useEffect(() => {
    loadMe().finally(() => setLoading(false));
  }, [loadMe]);

  const login = async (email: string, password: string) => {
    tokenStore.set(await api<Tokens>('/api/users/login', { method: 'POST', body: { email, password } }));
    await loadMe();
  };

  const logout = async () => {
    const tokens = tokenStore.get();
    if (tokens) await api('/api/users/logout', { method: 'POST', body: { refreshToken: tokens.refreshToken } }).catch(() => undefined);
    tokenStore.set(null);
    setUser(null);
  };

  return <AuthContext.Provider value={{ user, loading, login, logout }}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const context = useContext(AuthContext);
  if (!context) throw new Error('useAuth outside AuthProvider');
  return context;
}

export const isAdmin = (user: User | null) => user?.role === 'admin' || user?.role === 'superadmin';
